import { checkOptions, describeInput, type Value } from '@mg/engine';
import { Module } from './module.js';
import { Layer, forwardLayer, labelLayer, layerJSON } from './layer.js';
import { assign } from './neuron.js';
import { checkActivation, type Activation } from './activation.js';
import { parseMLP, type MLPJSON } from './serialize.js';
import { checkCount, handDownInit, resolveRandom, type RandomOptions } from './init.js';
import { checkInputs } from './inputs.js';
import { at } from './at.js';

/** Options for an {@link MLP}. */
export interface MLPOptions extends RandomOptions {
  /** The hidden layers' nonlinearity. Default `'relu'`. */
  activation?: Activation;
  /** The last layer's. Default `'linear'`, as in micrograd. */
  outputActivation?: Activation;
  /** One activation per layer, overriding `activation` and `outputActivation`. */
  activations?: readonly Activation[];
}

/**
 * A multi-layer perceptron, micrograd's `MLP`: `nouts.length` layers, `nin` inputs, the last
 * layer linear by default.
 *
 * With `{ seed: n }` the weights are exactly micrograd's after Python's `random.seed(n)`: one
 * `random.uniform(-1, 1)` per weight, neuron by neuron, layer by layer; every bias 0.
 *
 * Parameters are labelled after their place, numbered from 1 as in the lecture: `L1.N3.w2` is
 * the weight of input 2 of neuron 3 in layer 1 (`model.layers[0].neurons[2].w[1]`), `L1.N3.b`
 * its bias.
 *
 * @example
 * ```ts
 * import { MLP } from '@mg/nn';
 *
 * const model = new MLP(2, [16, 16, 1], { seed: 1337 });
 * console.log(model.parameters().length); // 337
 * console.log(model.parameters()[0].label, model.parameters()[2].label); // L1.N1.w1 L1.N1.b
 * // always an array, even for one output
 * console.log(model.forward([0.5, -1]).length); // 1
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
  constructor(nin: number, nouts: readonly number[], options?: MLPOptions) {
    super();
    checkCount(nin, 'new MLP', 'nin');
    const sizes = [nin, ...layerSizes(nouts)];
    const given = checkOptions(
      options,
      ['activation', 'outputActivation', 'activations', 'seed', 'rng', 'init'],
      'new MLP',
    );
    // Checked even when no layer uses them: a typo must not pass because the model has no hidden layer.
    const activation = checkActivation(given.activation ?? 'relu', 'new MLP: activation');
    const outputActivation = checkActivation(given.outputActivation ?? 'linear', 'new MLP: outputActivation');
    const rng = resolveRandom(given, 'new MLP');
    const init = handDownInit(given.init, 'new MLP');
    const activations = layerActivations(given.activations, sizes.length - 1);
    this.layers = sizes.slice(1).map(
      (nout, i) =>
        new Layer(at(sizes, i), nout, {
          rng,
          activation: activations?.[i] ?? (i === sizes.length - 2 ? outputActivation : activation),
          ...init,
        }),
    );
    this.layers.forEach((layer, l) => {
      labelLayer(layer, `L${l + 1}.`);
    });
  }

  /** The number of inputs. */
  get nin(): number {
    return at(this.layers, 0).nin;
  }

  /** The number of outputs. */
  get nout(): number {
    return at(this.layers, this.layers.length - 1).nout;
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
    for (const layer of this.layers) out = forwardLayer(layer, out);
    return out as Value[];
  }

  /** @returns every layer's parameters, layer by layer */
  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /**
   * The architecture and every weight as plain JSON; `JSON.stringify(model)` uses it.
   * Numbers are kept exactly: JavaScript prints doubles so that they parse back to the same bits.
   *
   * @returns the description {@link MLP.fromJSON} reads
   */
  toJSON(): MLPJSON {
    return {
      format: 'mg.mlp',
      version: 1,
      nin: this.nin,
      layers: this.layers.map(layerJSON),
    };
  }

  /**
   * A model from {@link MLP.toJSON}'s output (an object or its JSON string), weights to the last bit.
   *
   * @param json - the description
   * @returns a new model
   * @throws TypeError naming the first malformed field; RangeError when a neuron's weight count does not match its layer's inputs
   *
   * @example
   * ```ts
   * import { MLP } from '@mg/nn';
   *
   * const model = new MLP(2, [4, 1], { seed: 1 });
   * const copy = MLP.fromJSON(JSON.stringify(model));
   * console.log(copy.forward([1, 2])[0].data === model.forward([1, 2])[0].data); // true
   * ```
   */
  static fromJSON(json: unknown): MLP {
    const parsed = parseMLP(json, 'MLP.fromJSON');
    const model = new MLP(
      parsed.nin,
      parsed.layers.map((l) => l.neurons.length),
      { activations: parsed.layers.map((l) => l.activation), init: () => 0 },
    );
    assign(
      model.parameters(),
      parsed.layers.flatMap((l) => l.neurons.flatMap((n) => [...n.w, n.b])),
    );
    return model;
  }

  /**
   * Loads weights saved by {@link MLP.toJSON} into this model, which must have the same
   * architecture. All or nothing: on any error the model is unchanged.
   *
   * @param json - the description (an object or its JSON string)
   * @throws TypeError for malformed JSON; RangeError naming both architectures when they differ
   */
  loadJSON(json: unknown): void {
    const parsed = parseMLP(json, 'MLP.loadJSON');
    const theirs = describe(
      parsed.nin,
      parsed.layers.map((l) => [l.neurons.length, l.activation] as const),
    );
    const ours = describe(
      this.nin,
      this.layers.map((l) => [l.nout, l.activation] as const),
    );
    if (theirs !== ours) {
      throw new RangeError(`MLP.loadJSON: the JSON holds ${theirs} but this model is ${ours}`);
    }
    assign(
      this.parameters(),
      parsed.layers.flatMap((l) => l.neurons.flatMap((n) => [...n.w, n.b])),
    );
  }

  /** `MLP of [Layer of [ReLUNeuron(2), ...], ...]` */
  override toString(): string {
    return `MLP of [${this.layers.join(', ')}]`;
  }
}

function layerSizes(nouts: unknown): number[] {
  if (!Array.isArray(nouts) || nouts.length === 0) {
    const message = `new MLP: nouts must be a non-empty array of layer sizes, got ${Array.isArray(nouts) ? '[]' : describeInput(nouts)}`;
    throw Array.isArray(nouts) ? new RangeError(message) : new TypeError(message);
  }
  return nouts.map((n: unknown, i) => checkCount(n, 'new MLP', `nouts[${i}]`));
}

function layerActivations(activations: unknown, count: number): Activation[] | undefined {
  if (activations === undefined) return undefined;
  if (!Array.isArray(activations) || activations.length !== count) {
    const message = `new MLP: activations must list one activation per layer (${count}), got ${Array.isArray(activations) ? activations.length : describeInput(activations)}`;
    throw Array.isArray(activations) ? new RangeError(message) : new TypeError(message);
  }
  return activations.map((a: unknown, i) => checkActivation(a, `new MLP: activations[${i}]`));
}

/** `MLP(2, [16 relu, 1 linear])`, for error messages. */
function describe(nin: number, layers: readonly (readonly [number, Activation])[]): string {
  return `MLP(${nin}, [${layers.map(([n, a]) => `${n} ${a}`).join(', ')}])`;
}
