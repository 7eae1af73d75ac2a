import { Value } from '@mg/engine';
import type { MLP } from '@mg/nn';

/**
 * The first point of `X` at which the model's first hidden neuron is active (its weighted sum is
 * positive), so its graph shows gradients flowing; the first point when there is none.
 *
 * @param model - an MLP whose first layer takes 2 inputs
 * @param X - row-major `(x, y)` pairs
 * @returns the chosen point
 * @throws RangeError when `X` holds no point
 */
export function activePoint(model: MLP, X: Float64Array): [number, number] {
  if (X.length < 2) throw new RangeError('activePoint: X holds no point');
  const { w, b } = model.layers[0]!.neurons[0]!;
  for (let i = 0; i + 1 < X.length; i += 2) {
    if (b.data + w[0]!.data * X[i]! + w[1]!.data * X[i + 1]! > 0) return [X[i]!, X[i + 1]!];
  }
  return [X[0]!, X[1]!];
}

/**
 * The first hidden neuron of `model` applied to one point, rebuilt from labelled copies of its
 * weights so the graph is small and readable: `relu(b + w1*x1 + w2*x2)`, after `backward()`.
 * The model's own Values are left untouched.
 *
 * @param model - a trained MLP whose first layer takes 2 inputs
 * @param point - the input `(x1, x2)`
 * @returns the neuron's output, with gradients filled in
 * @example
 * ```ts
 * const out = neuronGraph(training.model, activePoint(training.model, data.X));
 * toDot(out); // the graph @mg/viz draws
 * ```
 */
export function neuronGraph(model: MLP, point: readonly [number, number]): Value {
  const neuron = model.layers[0]!.neurons[0]!;
  const x = point.map((v, i) => new Value(v, { label: `x${i + 1}` }));
  const w = neuron.w.map((v, i) => new Value(v.data, { label: `w${i + 1}` }));
  let act = new Value(neuron.b.data, { label: 'b' });
  w.forEach((wi, i) => {
    const term = wi.mul(x[i]!);
    term.label = `w${i + 1}x${i + 1}`;
    const sum = `${act.label} + ${term.label}`;
    act = act.add(term);
    act.label = sum;
  });
  act.label = 'n';
  const n = act;
  const out = { relu: () => n.relu(), tanh: () => n.tanh(), sigmoid: () => n.sigmoid(), linear: () => n }[neuron.activation]();
  out.label = 'out';
  out.backward();
  return out;
}
