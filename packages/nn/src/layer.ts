import type { Value } from '@mg/engine';
import { Module } from './module.js';
import { Neuron } from './neuron.js';
import type { Activation } from './activation.js';
import { checkCount, resolveRandom, type RandomOptions } from './init.js';
import { checkInputs } from './inputs.js';

/** Options for a {@link Layer}. */
export interface LayerOptions extends RandomOptions {
  /** Every neuron's nonlinearity. Default `'relu'`. */
  activation?: Activation;
}

/**
 * `nout` neurons reading the same `nin` inputs, micrograd's `Layer`; neurons draw their weights
 * in order, each from the same generator.
 *
 * @example
 * ```ts
 * const layer = new Layer(3, 2, { seed: 7 });
 * layer.forward([1, 2, 3]).length; // 2, always an array (even for one neuron)
 * String(layer);                   // 'Layer of [ReLUNeuron(3), ReLUNeuron(3)]'
 * ```
 */
export class Layer extends Module {
  /** The neurons, in output order. */
  readonly neurons: Neuron[];

  /**
   * @param nin - inputs per neuron
   * @param nout - number of neurons (outputs)
   * @param options - activation, initialiser, and a seed or generator for the weights
   * @throws RangeError when `nin` or `nout` is not a positive integer; TypeError for a bad option
   */
  constructor(nin: number, nout: number, options: LayerOptions = {}) {
    super();
    checkCount(nin, 'new Layer', 'nin');
    checkCount(nout, 'new Layer', 'nout');
    const rng = resolveRandom(options, 'new Layer');
    const neuron = { rng, activation: options.activation ?? 'relu', ...(options.init === undefined ? {} : { init: options.init }) };
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, neuron));
  }

  /** Inputs per neuron. */
  get nin(): number {
    return this.neurons[0]!.nin;
  }

  /** Number of outputs. */
  get nout(): number {
    return this.neurons.length;
  }

  /** The activation shared by the layer's neurons. */
  get activation(): Activation {
    return this.neurons[0]!.activation;
  }

  /**
   * Each neuron's output for one input vector.
   *
   * @param x - `nin` inputs, Values or numbers
   * @returns `nout` Values (an array even when `nout` is 1, unlike micrograd)
   * @throws RangeError naming both lengths when `x` does not have `nin` entries
   */
  forward(x: readonly (Value | number)[]): Value[] {
    checkInputs(x, this.nin, 'Layer.forward');
    return this.neurons.map((n) => n.forwardChecked(x));
  }

  /** @returns every neuron's parameters, neuron by neuron */
  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  /** `Layer of [ReLUNeuron(2), ...]` */
  override toString(): string {
    return `Layer of [${this.neurons.join(', ')}]`;
  }
}
