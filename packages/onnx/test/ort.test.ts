import { MLP, type Activation } from '@mg/nn';
import { describe, expect, it } from 'vitest';
import { toOnnx } from '../src/index.js';
import { runOrt, seededInputs, seededModel } from './models.js';

const ROWS = 300;
// A float32 dot product of n terms is within about n roundings (2^-24 each) of exact; 256 roundings
// covers the widest layer here (32) with its activations and the next layer's sums, and is still
// far below what a wrong weight or a wrong activation would give.
const FLOAT32_TOLERANCE = 256 * 2 ** -24;
const shapes: { nin: number; nouts: number[] }[] = [
  { nin: 1, nouts: [1] },
  { nin: 2, nouts: [16, 16, 1] },
  { nin: 5, nouts: [8, 3] },
  { nin: 3, nouts: [32, 7, 4, 2] },
];
const activations: Activation[] = ['relu', 'tanh', 'sigmoid', 'linear'];

/**
 * The largest |got - want| / max(|want|, 1) over every output: relative error, absolute below 1
 * (numpy's allclose criterion). Pure relative error is unbounded where a weighted sum cancels to
 * nearly 0, and where a sigmoid saturates: ONNX Runtime's double Sigmoid has an absolute error near
 * 1e-16 for negative inputs (it gives exactly 0 for sigmoid(-40) = 4.2e-18).
 */
function maxRelativeError(got: number[][], want: number[][]): number {
  let worst = 0;
  got.forEach((row, i) => {
    row.forEach((g, j) => {
      const w = want[i]![j]!;
      worst = Math.max(worst, Math.abs(g - w) / Math.max(Math.abs(w), 1));
    });
  });
  return worst;
}

/** One seeded model per output activation, with `hidden` on every hidden layer. */
function modelsWithHidden(nin: number, nouts: number[], hidden: Activation) {
  return activations.map((output) => {
    const layerActivations = nouts.map((_, i) => (i === nouts.length - 1 ? output : hidden));
    return { layerActivations, model: seededModel(nin, nouts, layerActivations, 7 * nin + nouts.length) };
  });
}

describe('toOnnx in ONNX Runtime', () => {
  describe.each(shapes)('MLP($nin, $nouts)', ({ nin, nouts }) => {
    it.each(activations)(
      'computes what mg computes, to 1e-12 relative, in float64 with %s hidden layers and each output activation',
      async (hidden) => {
        for (const { layerActivations, model } of modelsWithHidden(nin, nouts, hidden)) {
          const x = seededInputs(ROWS, nin, 11);

          const got = await runOrt(toOnnx(model), x);

          const want = x.map((row) => model.forward(row).map((v) => v.data));
          expect(got).toHaveLength(ROWS);
          expect(maxRelativeError(got, want), layerActivations.join(', ')).toBeLessThanOrEqual(1e-12);
        }
      },
    );

    it.each(activations)(
      'computes what mg computes with float32 weights, to float32 rounding, with %s hidden layers',
      async (hidden) => {
        for (const { layerActivations, model } of modelsWithHidden(nin, nouts, hidden)) {
          const x = seededInputs(ROWS, nin, 11).map((row) => row.map(Math.fround));
          // The reference is the float32 model computed exactly (to double precision) by mg.
          const rounded = MLP.fromJSON(
            JSON.stringify(model.toJSON(), (_, v: unknown) => (typeof v === 'number' ? Math.fround(v) : v)),
          );

          const got = await runOrt(toOnnx(model, { dtype: 'float32' }), x, 'float32');

          const want = x.map((row) => rounded.forward(row).map((v) => v.data));
          const error = maxRelativeError(got, want);
          expect(error, layerActivations.join(', ')).toBeLessThanOrEqual(FLOAT32_TOLERANCE);
        }
      },
    );
  });
});
