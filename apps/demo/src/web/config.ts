import type { Activation } from '@mg/nn';
import { DATASET_NAMES, ENGINES, type DatasetName, type Engine } from '../core/index.js';

/** Everything that defines a run: what the URL holds, so a run can be shared as a link. */
export interface Config {
  dataset: DatasetName;
  samples: number;
  noise: number;
  /** Seeds both the data (NumPy's `np.random.seed`) and the weights (Python's `random.seed`), as the notebook does. */
  seed: number;
  hidden: number[];
  activation: Activation;
  /** The first step's learning rate. */
  lr: number;
  /** The notebook's schedule: `lr * (1 - 0.9 * k / steps)`; off keeps `lr` constant. */
  decay: boolean;
  steps: number;
  /** L2 strength. */
  alpha: number;
  engine: Engine;
}

/** micrograd's demo.ipynb: 100 moons at noise 0.1, MLP(2, [16, 16, 1]), 100 steps, seed 1337. */
export const DEFAULTS: Readonly<Config> = Object.freeze({
  dataset: 'moons',
  samples: 100,
  noise: 0.1,
  seed: 1337,
  hidden: [16, 16],
  activation: 'relu',
  lr: 1,
  decay: true,
  steps: 100,
  alpha: 1e-4,
  engine: 'eager',
});

export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid'];

// Bounds keep a shared link from freezing the page (a million points, a thousand-wide layer).
export const LIMITS = {
  samples: [2, 2000],
  noise: [0, 1],
  seed: [0, 2 ** 32 - 1],
  lr: [0, 10],
  steps: [1, 1000],
  alpha: [0, 1],
  layerSize: [1, 64],
  layers: [0, 4],
} as const;

/** The schedule's learning rate at step `k`. */
export function learningRate(config: Config, k: number): number {
  // `lr * (...)` with lr = 1 is the notebook's `1.0 - 0.9*k/100` to the bit.
  return config.decay ? config.lr * (1.0 - (0.9 * k) / config.steps) : config.lr;
}

/**
 * Reads a configuration from URL search parameters; anything missing or out of range falls back
 * to the default, so an edited or stale link still opens.
 *
 * @param search - e.g. `location.search`
 * @returns a complete, valid configuration
 */
export function parseConfig(search: string): Config {
  const params = new URLSearchParams(search);
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = params.get(key);
    return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
  };
  const num = (key: keyof typeof LIMITS, fallback: number, integer = false): number => {
    const raw = params.get(key);
    const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
    const [lo, hi] = LIMITS[key];
    return Number.isFinite(value) && value >= lo && value <= hi && (!integer || Number.isInteger(value)) ? value : fallback;
  };
  return {
    dataset: pick('dataset', DATASET_NAMES, DEFAULTS.dataset),
    samples: num('samples', DEFAULTS.samples, true),
    noise: num('noise', DEFAULTS.noise),
    seed: num('seed', DEFAULTS.seed, true),
    hidden: parseHidden(params.get('hidden')) ?? [...DEFAULTS.hidden],
    activation: pick('activation', ACTIVATIONS, DEFAULTS.activation),
    lr: num('lr', DEFAULTS.lr),
    decay: params.has('decay') ? params.get('decay') !== '0' : DEFAULTS.decay,
    steps: num('steps', DEFAULTS.steps, true),
    alpha: num('alpha', DEFAULTS.alpha),
    engine: pick('engine', ENGINES, DEFAULTS.engine),
  };
}

/**
 * Hidden layer sizes from text such as `"16, 16"` (empty for no hidden layer).
 *
 * @returns the sizes, or null when the text is not a list of sizes within {@link LIMITS}
 */
export function parseHidden(text: string | null): number[] | null {
  if (text === null) return null;
  const parts = text.split(/[\s,x×]+/).filter((s) => s !== '');
  const sizes = parts.map(Number);
  const [lo, hi] = LIMITS.layerSize;
  const ok = sizes.length <= LIMITS.layers[1] && sizes.every((s) => Number.isInteger(s) && s >= lo && s <= hi);
  return ok ? sizes : null;
}

/** The configuration as URL search parameters (`?dataset=moons&...`). */
export function formatConfig(config: Config): string {
  const params = new URLSearchParams({
    dataset: config.dataset,
    samples: String(config.samples),
    noise: String(config.noise),
    seed: String(config.seed),
    hidden: config.hidden.join(','),
    activation: config.activation,
    lr: String(config.lr),
    decay: config.decay ? '1' : '0',
    steps: String(config.steps),
    alpha: String(config.alpha),
    engine: config.engine,
  });
  return `?${params.toString()}`;
}
