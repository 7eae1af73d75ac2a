import { Value } from '@mg/engine';
import { Module } from './module.js';
import { activate, activationName, checkActivation, type Activation } from './activation.js';
import { checkCount, resolveInit, resolveRandom, type RandomOptions } from './init.js';
import { checkInputs } from './inputs.js';

/** Options for a {@link Neuron}. */
export interface NeuronOptions extends RandomOptions {
  /** The nonlinearity. Default `'relu'` (micrograd's `nonlin=True`). */
  activation?: Activation;
}

/**
 * One neuron: `activation(b + w0*x0 + w1*x1 + ...)`, micrograd's `Neuron`.
 *
 * Weights are drawn at construction (see {@link Initializer}), the bias starts at 0.
 *
 * @example
 * ```ts
 * const n = new Neuron(2, { seed: 1337, activation: 'tanh' });
 * n.forward([1, -2]).data; // tanh(0 + w0*1 + w1*-2)
 * String(n);               // 'TanhNeuron(2)'
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
   * @throws RangeError when `nin` is not a positive integer; TypeError for a bad option
   */
  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    checkCount(nin, 'new Neuron', 'nin');
    this.activation = checkActivation(options.activation ?? 'relu', 'new Neuron');
    const random = resolveRandom(options, 'new Neuron');
    const draw = resolveInit(options.init, 'new Neuron');
    this.w = Array.from({ length: nin }, () => new Value(draw(nin, random)));
    this.b = new Value(0);
  }

  /** The number of inputs. */
  get nin(): number {
    return this.w.length;
  }

  /**
   * The neuron's output for one input vector, summed in micrograd's order:
   * `((b + w0*x0) + w1*x1) + ...`, so the numbers match micrograd's bit for bit.
   *
   * @param x - `nin` inputs, Values or numbers
   * @returns the activated sum
   * @throws RangeError naming both lengths when `x` does not have `nin` entries
   */
  forward(x: readonly (Value | number)[]): Value {
    checkInputs(x, this.w.length, 'Neuron.forward');
    return this.forwardChecked(x);
  }

  /** @internal {@link Neuron.forward} without the input check, for callers that made it. */
  forwardChecked(x: readonly (Value | number)[]): Value {
    const w = this.w;
    let act = this.b;
    for (let i = 0; i < w.length; i++) act = act.add(w[i]!.mul(x[i]!));
    return activate(this.activation, act);
  }

  /** @returns the weights, then the bias */
  parameters(): Value[] {
    return [...this.w, this.b];
  }

  /** `ReLUNeuron(2)`, `LinearNeuron(16)`, ...: the activation and the number of inputs. */
  override toString(): string {
    return `${activationName(this.activation)}Neuron(${this.w.length})`;
  }
}
