import { topologicalOrder, Value } from '@mg/engine';
import { Neuron, type MLP } from '@mg/nn';
import { at, pointAt } from './checked.js';

/**
 * The first point of `X` at which the model's first hidden neuron is active (its weighted sum is
 * positive), so its graph shows gradients flowing; the first point when there is none, where every
 * gradient is 0 (the web page says so; {@link chooseNeuron} picks another neuron instead).
 *
 * @param model - an MLP whose first layer takes 2 inputs
 * @param X - row-major `(x, y)` pairs
 * @returns the chosen point
 * @throws RangeError when `X` holds no point
 */
export function activePoint(model: MLP, X: Float64Array): [number, number] {
  if (X.length < 2) throw new RangeError('activePoint: X holds no point');
  return pointAt(X, Math.max(0, firstActiveAt(firstNeuron(model), X)));
}

/** Which neuron of the first hidden layer a graph shows, and at which point. */
export interface NeuronChoice {
  /** Its index in the first hidden layer, from 0. */
  readonly neuron: number;
  /** The point of `X` it is drawn at. */
  readonly point: [number, number];
  /** Whether it is active there: false only when no neuron of the layer is active at any point. */
  readonly active: boolean;
}

/**
 * The first neuron of the model's first hidden layer that is active (its weighted sum positive)
 * at some point of `X`, and the first such point, so its graph shows gradients flowing. When no
 * neuron is active anywhere (every one a dead ReLU over the data), the first neuron at the first
 * point, `active` false: its graph's gradients are all 0, which the caller should say.
 *
 * @param model - an MLP whose first layer takes 2 inputs
 * @param X - row-major `(x, y)` pairs
 * @returns the neuron, the point, and whether it is active there
 * @throws RangeError when `X` holds no point
 */
export function chooseNeuron(model: MLP, X: Float64Array): NeuronChoice {
  if (X.length < 2) throw new RangeError('chooseNeuron: X holds no point');
  const neurons = at(model.layers, 0).neurons;
  for (const [index, neuron] of neurons.entries()) {
    const i = firstActiveAt(neuron, X);
    if (i >= 0) return { neuron: index, point: pointAt(X, i), active: true };
  }
  return { neuron: 0, point: pointAt(X, 0), active: false };
}

/** The index of the first point of `X` at which `neuron`'s weighted sum is positive, or -1. */
function firstActiveAt(neuron: Neuron, X: Float64Array): number {
  const { w, b } = neuron;
  const [w1, w2] = [at(w, 0).data, at(w, 1).data];
  for (let i = 0; 2 * i + 1 < X.length; i++) {
    const [x1, x2] = pointAt(X, i);
    if (b.data + w1 * x1 + w2 * x2 > 0) return i;
  }
  return -1;
}

/**
 * A neuron of the model's first hidden layer (the first unless `index` says otherwise) applied to
 * one point, through a copy of the neuron with labelled weights so the graph is small and reads
 * like the lecture's: `relu(b + w1*x1 + w2*x2)`, after `backward()`. The model's own Values are
 * left untouched.
 *
 * @param model - a trained MLP whose first layer takes 2 inputs
 * @param point - the input `(x1, x2)`
 * @param index - which neuron of the first layer, from 0 (default 0)
 * @returns the neuron's output, with gradients filled in
 * @throws Error (an internal error) when the first layer has no neuron `index`
 * @example
 * ```ts
 * const out = neuronGraph(training.model, activePoint(training.model, data.X));
 * toDot(out); // the graph @mg/viz draws
 * ```
 */
export function neuronGraph(model: MLP, point: readonly [number, number], index = 0): Value {
  const neuron = at(at(model.layers, 0).neurons, index);
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
