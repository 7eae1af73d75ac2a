import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromOnnx } from '../src/index.js';
import { runOrt } from './models.js';

// Written by fixtures/make_torch_fixture.py with torch.onnx.export (torch 1.13, opset 14):
// Flatten, Linear(3, 8), ReLU, Linear(8, 6), Tanh, Linear(6, 4), Sigmoid, Linear(4, 2).
const fixture = (name: string) => ({
  bytes: readFileSync(new URL(`./fixtures/torch_mlp_${name}.onnx`, import.meta.url)),
  expected: JSON.parse(
    readFileSync(new URL(`./fixtures/torch_mlp_${name}.json`, import.meta.url), 'utf8'),
  ) as { x: number[][]; y: number[][] },
});

/** The largest |got - want| / max(|want|, 1), as in the ONNX Runtime tests. */
function maxError(got: number[][], want: number[][]): number {
  return Math.max(
    ...got.flatMap((row, i) =>
      row.map((g, j) => Math.abs(g - want[i]![j]!) / Math.max(Math.abs(want[i]![j]!), 1)),
    ),
  );
}

describe('a model exported from PyTorch', () => {
  it('imports as an MLP with the same layers and activations', () => {
    const model = fromOnnx(fixture('float64').bytes);

    expect(model.nin).toBe(3);
    expect(model.layers.map((l) => [l.nout, l.activation])).toEqual([
      [8, 'relu'],
      [6, 'tanh'],
      [4, 'sigmoid'],
      [2, 'linear'],
    ]);
  });

  it('computes what PyTorch computed, to 1e-12, in float64', () => {
    const { bytes, expected } = fixture('float64');
    const model = fromOnnx(bytes);

    const got = expected.x.map((row) => model.forward(row).map((v) => v.data));

    expect(expected.x).toHaveLength(300);
    expect(maxError(got, expected.y)).toBeLessThanOrEqual(1e-12);
  });

  it('computes what PyTorch computed in float32, to float32 rounding, with the float32 weights read exactly', () => {
    const { bytes, expected } = fixture('float32');
    const model = fromOnnx(bytes);

    const got = expected.x.map((row) => model.forward(row).map((v) => v.data));

    expect(model.parameters().every((p) => Math.fround(p.data) === p.data)).toBe(true);
    expect(maxError(got, expected.y)).toBeLessThanOrEqual(64 * 2 ** -24);
  });

  it('is the same model ONNX Runtime runs from the same file', async () => {
    const { bytes, expected } = fixture('float64');

    const got = await runOrt(bytes, expected.x);

    expect(maxError(got, expected.y)).toBeLessThanOrEqual(1e-12);
  });
});
