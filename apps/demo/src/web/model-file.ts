// Saving the trained model as @mg/nn's MLP JSON, and reading one back into a configuration.
import type { MLPJSON } from '@mg/nn';
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

/**
 * The configuration a model file implies (its hidden sizes and activation, over `base`); the
 * worker checks every weight when it loads the model.
 *
 * @throws Error saying what about the file this page cannot train
 */
export function configFor(text: string | MLPJSON, base: Config): { config: Config; json: MLPJSON } {
  let json: unknown = text;
  if (typeof text === 'string') {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`not JSON (${(error as Error).message})`, { cause: error });
    }
  }
  const model = json as Partial<MLPJSON>;
  if (model.format !== 'mg.mlp' || !Array.isArray(model.layers))
    throw new Error('not an MLP saved by @mg/nn (format "mg.mlp")');
  if (model.nin !== 2)
    throw new Error(`the model takes ${String(model.nin)} inputs; this page's points have 2`);
  const layers = model.layers;
  const last = layers[layers.length - 1];
  if (last?.neurons.length !== 1) throw new Error('the model must end in one output neuron (the score)');
  const hidden = layers.slice(0, -1).map((l) => l.neurons.length);
  const [lo, hi] = LIMITS.layerSize;
  if (hidden.length > LIMITS.layers[1] || hidden.some((n) => n < lo || n > hi))
    throw new Error(
      `hidden layers ${hidden.join(', ')}: this page trains up to ${LIMITS.layers[1]} layers of ${hi}`,
    );
  const activation = at(layers, 0).activation;
  if (
    hidden.length > 0 &&
    (!ACTIVATIONS.includes(activation) || layers.slice(0, -1).some((l) => l.activation !== activation))
  ) {
    throw new Error('the hidden layers must share one activation: relu, tanh or sigmoid');
  }
  return {
    config: { ...base, hidden, activation: hidden.length > 0 ? activation : base.activation },
    json: model as MLPJSON,
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
