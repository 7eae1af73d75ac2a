import { checkOptions, Value } from '@mg/engine';
import { Module } from './module.js';
import { activate, activationName, checkActivation, type Activation } from './activation.js';
import { checkCount, resolveInit, resolveRandom, type RandomOptions } from './init.js';
import { checkInputs } from './inputs.js';
import { parseNeuron, writeNumber, type NeuronFileJSON } from './serialize.js';
import { at } from './at.js';

/** Options for a {@link Neuron}. */
export interface NeuronOptions extends RandomOptions {
  /** The nonlinearity. Default `'relu'` (micrograd's `nonlin=True`). */
  activation?: Activation;
}

/** The option keys {@link Neuron} accepts. */
export const NEURON_OPTIONS = ['activation', 'seed', 'rng', 'init'] as const;

/**
 * One neuron: `activation(b + w1*x1 + w2*x2 + ...)`, micrograd's `Neuron`.
 *
 * Weights are drawn at construction (see {@link Initializer}), the bias starts at 0. The
 * parameters are labelled as in the lecture, `w1`, `w2`, ... and `b`; inside a layer or an MLP
 * the labels carry the neuron's place (`L1.N3.w2`, see {@link MLP}).
 *
 * @example
 * ```ts
 * import { Neuron } from '@mg/nn';
 *
 * const n = new Neuron(2, { seed: 1337, activation: 'tanh' });
 * console.log(String(n), n.parameters().map((p) => p.label)); // TanhNeuron(2) [ 'w1', 'w2', 'b' ]
 * const [w1, w2] = n.w.map((w) => w.data);
 * console.log(n.forward([1, -2]).data === Math.tanh(0 + w1 * 1 + w2 * -2)); // true
 * ```
 */
export class Neuron extends Module {
  /** The weights, one per input. */
  readonly w: Value[];
  /** The bias. */
  readonly b: Value;
  /** The nonlinearity applied to the weighted sum. */
  readonly activation: Activation;

  /**
   * @param nin - the number of inputs
   * @param options - activation, initialiser, and a seed or generator for the weights
   * @throws RangeError when `nin` is not a positive integer; TypeError for a bad or unknown option
   */
  constructor(nin: number, options?: NeuronOptions) {
    super();
    checkCount(nin, 'new Neuron', 'nin');
    const given = checkOptions(options, NEURON_OPTIONS, 'new Neuron');
    this.activation = checkActivation(given.activation ?? 'relu', 'new Neuron: activation');
    const random = resolveRandom(given, 'new Neuron');
    const draw = resolveInit(given.init, 'new Neuron');
    this.w = Array.from({ length: nin }, () => new Value(draw(nin, random)));
    this.b = new Value(0);
    labelNeuron(this, '');
  }

  /** The number of inputs. */
  get nin(): number {
    return this.w.length;
  }

  /**
   * The neuron's output for one input vector, summed in micrograd's order:
   * `((b + w1*x1) + w2*x2) + ...`, so the numbers match micrograd's bit for bit.
   *
   * @param x - `nin` inputs, Values or numbers
   * @returns the activated sum
   * @throws RangeError naming both lengths when `x` does not have `nin` entries
   */
  forward(x: readonly (Value | number)[]): Value {
    checkInputs(x, this.w.length, 'Neuron.forward');
    return forwardNeuron(this, x);
  }

  /** @returns the weights, then the bias */
  parameters(): Value[] {
    return [...this.w, this.b];
  }

  /**
   * The activation and every weight as plain JSON; `JSON.stringify(neuron)` uses it.
   *
   * @returns the description {@link Neuron.fromJSON} reads
   */
  toJSON(): NeuronFileJSON {
    return {
      format: 'mg.neuron',
      version: 1,
      activation: this.activation,
      w: this.w.map((w) => writeNumber(w.data)),
      b: writeNumber(this.b.data),
    };
  }

  /**
   * A neuron from {@link Neuron.toJSON}'s output (an object or its JSON string), weights to the last bit.
   *
   * @param json - the description
   * @returns a new neuron
   * @throws TypeError naming the first malformed field
   *
   * @example
   * ```ts
   * import { Neuron } from '@mg/nn';
   *
   * const n = new Neuron(2, { seed: 3 });
   * const copy = Neuron.fromJSON(JSON.stringify(n));
   * console.log(copy.w[1].data === n.w[1].data); // true
   * ```
   */
  static fromJSON(json: unknown): Neuron {
    const parsed = parseNeuron(json, 'Neuron.fromJSON');
    const neuron = new Neuron(parsed.w.length, { activation: parsed.activation, init: () => 0 });
    assign(neuron.parameters(), [...parsed.w, parsed.b]);
    return neuron;
  }

  /** `ReLUNeuron(2)`, `LinearNeuron(16)`, ...: the activation and the number of inputs. */
  override toString(): string {
    return `${activationName(this.activation)}Neuron(${this.w.length})`;
  }
}

/** A neuron's output without the input check, for layers that checked once for all neurons. */
export function forwardNeuron(neuron: Neuron, x: readonly (Value | number)[]): Value {
  const w = neuron.w;
  let act = neuron.b;
  for (let i = 0; i < w.length; i++) act = act.add(at(w, i).mul(at(x, i)));
  return activate(neuron.activation, act);
}

/** Labels a neuron's parameters `${prefix}w1`, `${prefix}w2`, ..., `${prefix}b`: numbered from 1, as the lecture's `x1*w1 + x2*w2 + b`. */
export function labelNeuron(neuron: Neuron, prefix: string): void {
  neuron.w.forEach((w, i) => (w.label = `${prefix}w${i + 1}`));
  neuron.b.label = `${prefix}b`;
}

/** Writes `values` into `params` in order; all or nothing (the caller checked the counts). */
export function assign(params: readonly Value[], values: readonly number[]): void {
  if (values.length !== params.length || values.some((x) => !Number.isFinite(x))) {
    throw new RangeError(`mg internal error: ${values.length} numbers for ${params.length} parameters`);
  }
  params.forEach((p, i) => (p.data = at(values, i)));
}
