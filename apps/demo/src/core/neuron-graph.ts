import { topologicalOrder, Value } from '@mg/engine';
import { Neuron, type MLP } from '@mg/nn';
import { at, pointAt } from './checked.js';

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
  const { w, b } = firstNeuron(model);
  const [w1, w2] = [at(w, 0).data, at(w, 1).data];
  for (let i = 0; 2 * i + 1 < X.length; i++) {
    const [x1, x2] = pointAt(X, i);
    if (b.data + w1 * x1 + w2 * x2 > 0) return [x1, x2];
  }
  return pointAt(X, 0);
}

/**
 * The first hidden neuron of `model` applied to one point, through a copy of the neuron with
 * labelled weights so the graph is small and reads like the lecture's:
 * `relu(b + w1*x1 + w2*x2)`, after `backward()`. The model's own Values are left untouched.
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
  const neuron = firstNeuron(model);
  // A standalone neuron labels its parameters as the lecture does: w1, w2, b.
  const copy = Neuron.fromJSON(neuron.toJSON());
  const x = point.map((v, i) => new Value(v, { label: `x${i + 1}` }));
  const out = copy.forward(x);
  // Name what the neuron built: products `w1x1`, running sums `b + w1x1`, then `n` and `out`.
  for (const v of topologicalOrder(out)) {
    const [a, b] = v.children;
    if (v.label !== '' || a === undefined || b === undefined) continue;
    v.label = v.op === 'mul' ? `${a.label}${b.label}` : `${a.label} + ${b.label}`;
  }
  const n = copy.activation === 'linear' ? out : at(out.children, 0);
  n.label = 'n';
  out.label = 'out';
  out.backward();
  return out;
}

/**
 * The first neuron of the model's first layer, the one the graphs draw.
 *
 * @param model - an MLP (every MLP has at least one layer of at least one neuron)
 * @returns that neuron
 */
export function firstNeuron(model: MLP): Neuron {
  return at(at(model.layers, 0).neurons, 0);
}
