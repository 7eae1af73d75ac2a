import { checkActivation, type Activation } from './activation.js';

/** A weight in JSON: a number, or `'-0'` for negative zero (which `JSON.stringify` would print as 0). */
export type JSONNumber = number | '-0';

/** One neuron in {@link MLPJSON}. */
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

/** A checked model description with plain numbers. */
export interface ParsedMLP {
  nin: number;
  layers: { activation: Activation; neurons: { w: number[]; b: number }[] }[];
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
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json) as unknown;
    } catch (e) {
      throw new TypeError(`${where}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
  }
  const root = record(data, where, 'the model');
  if (root.format !== 'mg.mlp') {
    throw new TypeError(`${where}: format must be "mg.mlp", got ${show(root.format)} (is this a model saved by MLP.toJSON?)`);
  }
  if (root.version !== 1) throw new TypeError(`${where}: unsupported version ${show(root.version)}, expected 1`);
  const nin = root.nin;
  if (typeof nin !== 'number' || !Number.isInteger(nin) || nin < 1) {
    throw new TypeError(`${where}: nin must be a positive integer, got ${show(nin)}`);
  }
  const layers = list(root.layers, where, 'layers');
  let fanIn = nin;
  const parsed = layers.map((l, i) => {
    const layer = record(l, where, `layers[${i}]`);
    let activation: Activation;
    try {
      activation = checkActivation(layer.activation, where);
    } catch {
      throw new TypeError(`${where}: layers[${i}].activation must be 'relu', 'tanh', 'sigmoid' or 'linear', got ${show(layer.activation)}`);
    }
    const neurons = list(layer.neurons, where, `layers[${i}].neurons`).map((n, j) => {
      const path = `layers[${i}].neurons[${j}]`;
      const neuron = record(n, where, path);
      const w = list(neuron.w, where, `${path}.w`).map((x, k) => readNumber(x, where, `${path}.w[${k}]`));
      if (w.length !== fanIn) {
        throw new RangeError(`${where}: ${path}.w has ${w.length} weights, but the layer has ${fanIn} inputs`);
      }
      return { w, b: readNumber(neuron.b, where, `${path}.b`) };
    });
    fanIn = neurons.length;
    return { activation, neurons };
  });
  return { nin, layers: parsed };
}

function readNumber(x: unknown, where: string, path: string): number {
  if (x === '-0') return -0;
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new TypeError(`${where}: ${path} must be a finite number, got ${show(x)}`);
  }
  return x;
}

function record(x: unknown, where: string, path: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new TypeError(`${where}: ${path} must be an object, got ${show(x)}`);
  }
  return x as Record<string, unknown>;
}

function list(x: unknown, where: string, path: string): unknown[] {
  if (!Array.isArray(x) || x.length === 0) {
    throw new TypeError(`${where}: ${path} must be a non-empty array, got ${Array.isArray(x) ? '[]' : show(x)}`);
  }
  return x as unknown[];
}

function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x);
  return Array.isArray(x) ? 'an array' : `a ${typeof x}`;
}
