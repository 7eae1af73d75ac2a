import { MLP, PythonRandom, type Activation } from '@mg/nn';
import * as ort from 'onnxruntime-node';

/** A seeded model whose biases are drawn too (a fresh MLP's are all 0, which would hide bias bugs). */
export function seededModel(
  nin: number,
  nouts: readonly number[],
  activations: readonly Activation[],
  seed: number,
): MLP {
  const model = new MLP(nin, nouts, { seed, activations });
  const rng = new PythonRandom(seed + 1);
  for (const layer of model.layers) for (const n of layer.neurons) n.b.data = rng.uniform(-1, 1);
  return model;
}

/** `count` seeded input rows of `nin` numbers in [-3, 3). */
export function seededInputs(count: number, nin: number, seed: number): number[][] {
  const rng = new PythonRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: nin }, () => rng.uniform(-3, 3)));
}

/** Runs an ONNX model in ONNX Runtime for Node on a batch of rows; returns one output row per input row. */
export async function runOrt(
  bytes: Uint8Array,
  rows: readonly (readonly number[])[],
  dtype: 'float64' | 'float32' = 'float64',
): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const nin = rows[0]!.length;
    const flat = rows.flat();
    const x = new ort.Tensor(dtype, dtype === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat), [
      rows.length,
      nin,
    ]);
    const { y } = await session.run({ x });
    const [n, nout] = y!.dims as [number, number];
    const data = y!.data as Float64Array | Float32Array;
    return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * nout, (i + 1) * nout)));
  } finally {
    await session.release();
  }
}
