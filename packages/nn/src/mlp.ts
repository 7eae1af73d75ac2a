import type { Value } from '@mg/engine';
import { Module } from './module.js';
import { Layer } from './layer.js';
import type { Activation } from './activation.js';
import { checkCount, resolveRandom, type RandomOptions } from './init.js';
import { checkInputs } from './inputs.js';

/** Options for an {@link MLP}. */
export interface MLPOptions extends RandomOptions {
  /** The hidden layers' nonlinearity. Default `'relu'`. */
  activation?: Activation;
  /** The last layer's. Default `'linear'`, as in micrograd. */
  outputActivation?: Activation;
}

/**
 * A multi-layer perceptron, micrograd's `MLP`: `nouts.length` layers, `nin` inputs, the last
 * layer linear by default.
 *
 * With `{ seed: n }` the weights are exactly micrograd's after Python's `random.seed(n)`: one
 * `random.uniform(-1, 1)` per weight, neuron by neuron, layer by layer; every bias 0.
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1], { seed: 1337 });
 * model.parameters().length;    // 337
 * model.forward([0.5, -1]);     // [Value(data=…)]: always an array
 * ```
 */
export class MLP extends Module {
  /** The layers, input side first. */
  readonly layers: Layer[];

  /**
   * @param nin - the number of inputs
   * @param nouts - each layer's number of neurons, the last one being the number of outputs
   * @param options - activations, initialiser, and a seed or generator for the weights
   * @throws RangeError when `nin` or a layer size is not a positive integer or `nouts` is empty; TypeError for a bad option
   */
  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    checkCount(nin, 'new MLP', 'nin');
    const sizes = [nin, ...layerSizes(nouts)];
    const rng = resolveRandom(options, 'new MLP');
    const { activation = 'relu', outputActivation = 'linear', init } = options;
    this.layers = sizes.slice(1).map(
      (nout, i) =>
        new Layer(sizes[i]!, nout, {
          rng,
          activation: i === sizes.length - 2 ? outputActivation : activation,
          ...(init === undefined ? {} : { init }),
        }),
    );
  }

  /** The number of inputs. */
  get nin(): number {
    return this.layers[0]!.nin;
  }

  /** The number of outputs. */
  get nout(): number {
    return this.layers[this.layers.length - 1]!.nout;
  }

  /**
   * The network's outputs for one input vector.
   *
   * @param x - `nin` inputs, Values or numbers
   * @returns one Value per output neuron (an array even for one output)
   * @throws RangeError naming both lengths when `x` does not have `nin` entries
   */
  forward(x: readonly (Value | number)[]): Value[] {
    checkInputs(x, this.nin, 'MLP.forward');
    let out: readonly (Value | number)[] = x;
    for (const layer of this.layers) out = layer.neurons.map((n) => n.forwardChecked(out));
    return out as Value[];
  }

  /** @returns every layer's parameters, layer by layer */
  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** `MLP of [Layer of [ReLUNeuron(2), ...], ...]` */
  override toString(): string {
    return `MLP of [${this.layers.join(', ')}]`;
  }
}

function layerSizes(nouts: unknown): number[] {
  if (!Array.isArray(nouts) || nouts.length === 0) {
    throw new RangeError(`new MLP: nouts must be a non-empty array of layer sizes, got ${Array.isArray(nouts) ? '[]' : typeof nouts}`);
  }
  return nouts.map((n: unknown, i) => checkCount(n, 'new MLP', `nouts[${i}]`));
}
