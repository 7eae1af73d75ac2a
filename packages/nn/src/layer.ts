import { checkOptions, type Value } from '@mg/engine';
import { Module } from './module.js';
import { Neuron, assign, forwardNeuron, labelNeuron } from './neuron.js';
import { checkActivation, type Activation } from './activation.js';
import { checkCount, handDownInit, resolveRandom, type RandomOptions } from './init.js';
import { checkInputs } from './inputs.js';
import { parseLayer, writeNumber, type LayerFileJSON, type LayerJSON } from './serialize.js';
import { at } from './at.js';

/** Options for a {@link Layer}. */
export interface LayerOptions extends RandomOptions {
  /** Every neuron's nonlinearity. Default `'relu'`. */
  activation?: Activation;
}

/**
 * `nout` neurons reading the same `nin` inputs, micrograd's `Layer`; neurons draw their weights
 * in order, each from the same generator. Parameters are labelled `N1.w1`, ..., `N1.b`, `N2.w1`, ...
 *
 * @example
 * ```ts
 * import { Layer } from '@mg/nn';
 *
 * const layer = new Layer(3, 2, { seed: 7 });
 * // always an array, even for one neuron
 * console.log(layer.forward([1, 2, 3]).length); // 2
 * console.log(String(layer)); // Layer of [ReLUNeuron(3), ReLUNeuron(3)]
 * ```
 */
export class Layer extends Module {
  /** The neurons, in output order. */
  readonly neurons: Neuron[];

  /**
   * @param nin - inputs per neuron
   * @param nout - number of neurons (outputs)
   * @param options - activation, initialiser, and a seed or generator for the weights
   * @throws RangeError when `nin` or `nout` is not a positive integer; TypeError for a bad or unknown option
   */
  constructor(nin: number, nout: number, options?: LayerOptions) {
    super();
    checkCount(nin, 'new Layer', 'nin');
    checkCount(nout, 'new Layer', 'nout');
    const given = checkOptions(options, ['activation', 'seed', 'rng', 'init'], 'new Layer');
    const activation = checkActivation(given.activation ?? 'relu', 'new Layer: activation');
    const rng = resolveRandom(given, 'new Layer');
    const neuron = { rng, activation, ...handDownInit(given.init, 'new Layer') };
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, neuron));
    labelLayer(this, '');
  }

  /** Inputs per neuron. */
  get nin(): number {
    return at(this.neurons, 0).nin;
  }

  /** Number of outputs. */
  get nout(): number {
    return this.neurons.length;
  }

  /** The activation shared by the layer's neurons. */
  get activation(): Activation {
    return at(this.neurons, 0).activation;
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
    return forwardLayer(this, x);
  }

  /** @returns every neuron's parameters, neuron by neuron */
  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  /**
   * The architecture and every weight as plain JSON; `JSON.stringify(layer)` uses it.
   *
   * @returns the description {@link Layer.fromJSON} reads
   */
  toJSON(): LayerFileJSON {
    return { format: 'mg.layer', version: 1, nin: this.nin, ...layerJSON(this) };
  }

  /**
   * A layer from {@link Layer.toJSON}'s output (an object or its JSON string), weights to the last bit.
   *
   * @param json - the description
   * @returns a new layer
   * @throws TypeError naming the first malformed field; RangeError when a neuron's weight count differs from `nin`
   *
   * @example
   * ```ts
   * import { Layer } from '@mg/nn';
   *
   * const layer = new Layer(2, 3, { seed: 5, activation: 'tanh' });
   * const copy = Layer.fromJSON(JSON.stringify(layer));
   * console.log(String(copy), copy.neurons[2].w[0].data === layer.neurons[2].w[0].data); // Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)] true
   * ```
   */
  static fromJSON(json: unknown): Layer {
    const parsed = parseLayer(json, 'Layer.fromJSON');
    const layer = new Layer(parsed.nin, parsed.neurons.length, {
      activation: parsed.activation,
      init: () => 0,
    });
    assign(
      layer.parameters(),
      parsed.neurons.flatMap((n) => [...n.w, n.b]),
    );
    return layer;
  }

  /** `Layer of [ReLUNeuron(2), ...]` */
  override toString(): string {
    return `Layer of [${this.neurons.join(', ')}]`;
  }
}

/** The layer's outputs without the input check. */
export function forwardLayer(layer: Layer, x: readonly (Value | number)[]): Value[] {
  return layer.neurons.map((n) => forwardNeuron(n, x));
}

/** Labels every neuron's parameters `${prefix}N1.w1`, ... (neurons numbered from 1). */
export function labelLayer(layer: Layer, prefix: string): void {
  layer.neurons.forEach((n, j) => {
    labelNeuron(n, `${prefix}N${j + 1}.`);
  });
}

/** A layer's activation and weights, the part shared by {@link LayerFileJSON} and an MLP's layers. */
export function layerJSON(layer: Layer): LayerJSON {
  return {
    activation: layer.activation,
    neurons: layer.neurons.map((n) => ({ w: n.w.map((w) => writeNumber(w.data)), b: writeNumber(n.b.data) })),
  };
}
