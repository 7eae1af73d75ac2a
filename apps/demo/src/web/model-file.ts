// Saving the trained model as @mg/nn's MLP JSON, and reading one back into a configuration.
import type { Activation, MLPJSON } from '@mg/nn';
import { ACTIVATIONS, LIMITS, type Config } from './config.js';
import { at, present } from '../core/checked.js';

/** Offers a model as a file download: @mg/nn's JSON, or ONNX bytes. */
export function download(model: MLPJSON | Uint8Array<ArrayBuffer>, name: string): void {
  const blob =
    model instanceof Uint8Array
      ? new Blob([model], { type: 'application/octet-stream' })
      : new Blob([JSON.stringify(model, null, 1)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1000);
}

/** A value as a message quotes it: JSON, cut short. */
function quote(value: unknown): string {
  // Values from JSON.parse, or undefined for a missing field.
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Layer `l`'s neuron count and activation, checked for what this page needs of them. */
function layerShape(layer: unknown, l: number): { size: number; activation: unknown } {
  if (!isObject(layer)) throw new Error(`layer ${l + 1} is ${quote(layer)}, not an object with neurons`);
  const neurons = layer.neurons;
  if (!Array.isArray(neurons) || neurons.length === 0)
    throw new Error(`layer ${l + 1}'s neurons are ${quote(neurons)}, not a list of neurons`);
  return { size: neurons.length, activation: layer.activation };
}

/**
 * The configuration a model file implies (its hidden sizes and activation, over `base`); the
 * worker checks every weight when it loads the model.
 *
 * @throws Error saying what about the file this page cannot train, in words
 */
export function configFor(text: string | MLPJSON, base: Config): { config: Config; json: MLPJSON } {
  let json: unknown = text;
  if (typeof text === 'string') {
    if (text.trim() === '') throw new Error('the file is empty');
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`not JSON (${(error as Error).message})`, { cause: error });
    }
  }
  if (!isObject(json) || json.format !== 'mg.mlp')
    throw new Error(
      `not an MLP saved by @mg/nn: it needs "format": "mg.mlp", and ${isObject(json) ? `its format is ${quote(json.format)}` : `it is ${quote(json)}`}`,
    );
  if (json.nin !== 2)
    throw new Error(`the model's input count ("nin") is ${quote(json.nin)}; this page's points have 2`);
  const layers = json.layers;
  if (!Array.isArray(layers) || layers.length === 0)
    throw new Error(`its layers are ${quote(layers)}, not a list of layers`);
  const shapes = layers.map(layerShape);
  if (at(shapes, shapes.length - 1).size !== 1)
    throw new Error('the model must end in one output neuron (the score)');
  const hidden = shapes.slice(0, -1).map((l) => l.size);
  const [lo, hi] = LIMITS.layerSize;
  if (hidden.length > LIMITS.layers[1] || hidden.some((n) => n < lo || n > hi))
    throw new Error(
      `hidden layers ${hidden.join(', ')}: this page trains up to ${LIMITS.layers[1]} layers of ${hi}`,
    );
  const activation = at(shapes, 0).activation;
  const isActivation = (a: unknown): a is Activation => ACTIVATIONS.some((name) => name === a);
  if (
    hidden.length > 0 &&
    (!isActivation(activation) || shapes.slice(0, -1).some((l) => l.activation !== activation))
  ) {
    throw new Error('the hidden layers must share one activation: relu, tanh or sigmoid');
  }
  return {
    config: {
      ...base,
      hidden,
      activation: isActivation(activation) && hidden.length > 0 ? activation : base.activation,
    },
    json: json as unknown as MLPJSON,
  };
}

/**
 * Wires the Download JSON, ONNX and Load buttons inside `box` (ids `save`, `save-onnx`, `load`
 * and the file input `load-file`): a file named `.onnx` arrives as bytes, any other as text.
 */
export function bindModelButtons(
  box: HTMLElement,
  on: {
    save: (format: 'json' | 'onnx') => void;
    json: (name: string, text: string) => void;
    onnx: (name: string, bytes: ArrayBuffer) => void;
    error: (message: string) => void;
  },
): void {
  const element = (id: string): HTMLElement =>
    present(box.querySelector<HTMLElement>(`#${id}`), `element #${id} in the model box`);
  const input = element('load-file') as HTMLInputElement;
  element('save').addEventListener('click', () => {
    on.save('json');
  });
  element('save-onnx').addEventListener('click', () => {
    on.save('onnx');
  });
  element('load').addEventListener('click', () => {
    input.click();
  });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file === undefined) return;
    const reading = file.name.toLowerCase().endsWith('.onnx')
      ? file.arrayBuffer().then((bytes) => {
          on.onnx(file.name, bytes);
        })
      : file.text().then((text) => {
          on.json(file.name, text);
        });
    reading.catch((error: unknown) => {
      on.error(`Could not read ${file.name}: ${String(error)}`);
    });
  });
}
