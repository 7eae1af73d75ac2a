import { describeInput } from '@mg/engine';
import { checkActivation, type Activation } from './activation.js';

/** A weight in JSON: a number, or `'-0'` for negative zero (which `JSON.stringify` would print as 0). */
export type JSONNumber = number | '-0';

/** One neuron in {@link LayerJSON}. */
export interface NeuronJSON {
  /** The weights. */
  w: JSONNumber[];
  /** The bias. */
  b: JSONNumber;
}

/** One layer in {@link MLPJSON}. */
export interface LayerJSON {
  /** The layer's activation. */
  activation: Activation;
  /** Its neurons, in output order. */
  neurons: NeuronJSON[];
}

/** An {@link MLP} as plain JSON, made by `MLP.toJSON()` and read by `MLP.fromJSON`. */
export interface MLPJSON {
  /** Always `'mg.mlp'`. */
  format: 'mg.mlp';
  /** The format's version, 1. */
  version: 1;
  /** The number of inputs. */
  nin: number;
  /** The layers, input side first. */
  layers: LayerJSON[];
}

/** A {@link Layer} on its own as plain JSON, made by `Layer.toJSON()` and read by `Layer.fromJSON`. */
export interface LayerFileJSON extends LayerJSON {
  /** Always `'mg.layer'`. */
  format: 'mg.layer';
  /** The format's version, 1. */
  version: 1;
  /** The number of inputs. */
  nin: number;
}

/** A {@link Neuron} on its own as plain JSON, made by `Neuron.toJSON()` and read by `Neuron.fromJSON`. */
export interface NeuronFileJSON extends NeuronJSON {
  /** Always `'mg.neuron'`. */
  format: 'mg.neuron';
  /** The format's version, 1. */
  version: 1;
  /** The neuron's activation. */
  activation: Activation;
}

/** A checked neuron with plain numbers. */
export interface ParsedNeuron {
  w: number[];
  b: number;
}

/** A checked layer with plain numbers. */
export interface ParsedLayer {
  activation: Activation;
  neurons: ParsedNeuron[];
}

/** A checked model description with plain numbers. */
export interface ParsedMLP {
  nin: number;
  layers: ParsedLayer[];
}

/** Writes `x` so that `readNumber` gives back the same bits. */
export function writeNumber(x: number): JSONNumber {
  return Object.is(x, -0) ? '-0' : x;
}

/**
 * Checks the shape and every number of a model description (an object or a JSON string) and
 * returns it with plain numbers; throws naming the first bad place.
 */
export function parseMLP(json: unknown, where: string): ParsedMLP {
  const root = header(json, where, 'mg.mlp', 'MLP.toJSON');
  const nin = inputCount(root.nin, where);
  let fanIn = nin;
  const layers = list(root.layers, where, 'layers').map((l, i) => {
    const layer = parseLayerBody(record(l, where, `layers[${i}]`), fanIn, where, `layers[${i}].`);
    fanIn = layer.neurons.length;
    return layer;
  });
  return { nin, layers };
}

/** {@link parseMLP} for a layer saved on its own. */
export function parseLayer(json: unknown, where: string): ParsedLayer & { nin: number } {
  const root = header(json, where, 'mg.layer', 'Layer.toJSON');
  const nin = inputCount(root.nin, where);
  return { nin, ...parseLayerBody(root, nin, where, '') };
}

/** {@link parseMLP} for a neuron saved on its own. */
export function parseNeuron(json: unknown, where: string): ParsedNeuron & { activation: Activation } {
  const root = header(json, where, 'mg.neuron', 'Neuron.toJSON');
  const activation = readActivation(root.activation, where, 'activation');
  const w = list(root.w, where, 'w').map((x, k) => readNumber(x, where, `w[${k}]`));
  return { activation, w, b: readNumber(root.b, where, 'b') };
}

function header(json: unknown, where: string, format: string, writer: string): Record<string, unknown> {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json) as unknown;
    } catch (e) {
      throw new TypeError(`${where}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
  }
  const root = record(data, where, 'the model');
  if (root.format !== format) {
    throw new TypeError(
      `${where}: format must be "${format}", got ${describeInput(root.format)} (is this saved by ${writer}?)`,
    );
  }
  if (root.version !== 1)
    throw new TypeError(`${where}: unsupported version ${describeInput(root.version)}, expected 1`);
  return root;
}

function inputCount(nin: unknown, where: string): number {
  if (typeof nin !== 'number' || !Number.isInteger(nin) || nin < 1) {
    throw new TypeError(`${where}: nin must be a positive integer, got ${describeInput(nin)}`);
  }
  return nin;
}

function parseLayerBody(
  layer: Record<string, unknown>,
  fanIn: number,
  where: string,
  at: string,
): ParsedLayer {
  const activation = readActivation(layer.activation, where, `${at}activation`);
  const neurons = list(layer.neurons, where, `${at}neurons`).map((n, j) => {
    const path = `${at}neurons[${j}]`;
    const neuron = record(n, where, path);
    const w = list(neuron.w, where, `${path}.w`).map((x, k) => readNumber(x, where, `${path}.w[${k}]`));
    if (w.length !== fanIn) {
      throw new RangeError(`${where}: ${path}.w has ${w.length} weights, but the layer has ${fanIn} inputs`);
    }
    return { w, b: readNumber(neuron.b, where, `${path}.b`) };
  });
  return { activation, neurons };
}

function readActivation(x: unknown, where: string, path: string): Activation {
  return checkActivation(x, `${where}: ${path}`);
}

function readNumber(x: unknown, where: string, path: string): number {
  if (x === '-0') return -0;
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new TypeError(`${where}: ${path} must be a finite number, got ${describeInput(x)}`);
  }
  return x;
}

function record(x: unknown, where: string, path: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${where}: ${path} must be an object, got ${describeInput(x)}`);
  }
  return x as Record<string, unknown>;
}

function list(x: unknown, where: string, path: string): unknown[] {
  if (!Array.isArray(x) || x.length === 0) {
    throw new TypeError(
      `${where}: ${path} must be a non-empty array, got ${Array.isArray(x) ? '[]' : describeInput(x)}`,
    );
  }
  // A copy without holes: `[0.5, , 0.25]` passed `map`'s checks (it skips holes) and then failed
  // half way through writing the weights. Each hole is now an undefined entry, refused by name.
  return Array.from(x as unknown[]);
}
