// The whole network applied to one point, with its hinge loss, every node named for the graph.
import { Value } from '@mg/engine';
import type { MLP, Neuron } from '@mg/nn';
import { at } from '../../core/index.js';

/**
 * The model's score for `point` and its hinge loss `relu(1 - y*score)` (micrograd's
 * `(1 + -y*score).relu()`), after `backward()`, built so that every value has a short name:
 *
 * - the inputs `x1`, `x2`; the parameters keep the run's labels (`w1.3.2`, `b1.3`);
 * - a product of a weight and an input `w1.3.2*x2`; running sums `b1.3 + w1.3.1*x1`, then
 *   `b2.1 + … + w2.1.5*h1.5` (the terms in between left out);
 * - neuron 3 of layer 1's weighted sum `n1.3` and its output `h1.3`; the output neuron's `score`;
 * - the constants `-y` and `1`, then `-y*score`, `1 - y*score` and `loss (y = 1)`.
 *
 * The numbers are nn's: the same operations in the same order as `model.forward` and `hinge`.
 * The graph uses the model's own parameters, whose gradients it fills in: the caller zeroes them
 * when done.
 *
 * @param model - an MLP of one output
 * @param point - the input `(x1, x2)`
 * @param y - the point's label, -1 or +1
 * @returns the loss (`root`) and the score's number
 */
export function networkGraph(
  model: MLP,
  point: readonly [number, number],
  y: number,
): { root: Value; score: number } {
  const inputs = point.map((v, i) => new Value(v, { label: `x${i + 1}` }));
  const score = labelledForward(model, inputs);
  const negY = new Value(-y, { label: '-y' });
  const one = new Value(1, { label: '1' });
  const product = named(score.mul(negY), '-y*score');
  const shortfall = named(product.add(one), '1 - y*score');
  const loss = named(shortfall.relu(), `loss (y = ${y})`);
  model.zeroGrad();
  loss.backward();
  return { root: loss, score: score.data };
}

/** The model's output, layer by layer, each neuron's values named (see {@link networkGraph}). */
function labelledForward(model: MLP, inputs: readonly Value[]): Value {
  const last = model.layers.length - 1;
  let xs = inputs;
  model.layers.forEach((layer, l) => {
    xs = layer.neurons.map((neuron, j) => labelledNeuron(neuron, xs, names(l + 1, j + 1, l === last)));
  });
  return at(xs, 0);
}

/** What a neuron's weighted sum and output are called. */
interface NeuronNames {
  sum: string;
  out: string;
}

/**
 * Neuron `j` of layer `l` (both from 1): `n1.3` and `h1.3`; the output layer's gives the `score`
 * (its weighted sum itself, as the output layer is linear).
 */
function names(l: number, j: number, output: boolean): NeuronNames {
  return { sum: `n${l}.${j}`, out: output ? 'score' : `h${l}.${j}` };
}

/** nn's neuron forward, `b + w1*x1 + w2*x2 + ...` then the activation, naming every value. */
function labelledNeuron(neuron: Neuron, xs: readonly Value[], names: NeuronNames): Value {
  const { b, w } = neuron;
  let sum = b;
  w.forEach((wk, k) => {
    const x = at(xs, k);
    const term = named(wk.mul(x), `${wk.label}*${x.label}`);
    sum = named(sum.add(term), k === 0 ? `${b.label} + ${term.label}` : `${b.label} + … + ${term.label}`);
  });
  if (neuron.activation === 'linear') return named(sum, names.out);
  named(sum, names.sum);
  // nn's other activations are the Value ops of the same names.
  return named(sum[neuron.activation](), names.out);
}

/** `value`, labelled `label`. */
function named(value: Value, label: string): Value {
  value.label = label;
  return value;
}
