import type { Activation } from '@mg/nn';
import { DATASET_NAMES, ENGINES, type DatasetName, type Engine } from '../core/index.js';

/** The optimizers the page offers, all from @mg/nn: plain SGD, SGD with momentum 0.9, Adam. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';

/** How fast the page trains: steps a second, or `'max'` for as fast as the worker goes. */
export const SPEEDS = ['1', '5', '20', '60', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

/**
 * Milliseconds between the starts of two steps at `speed`: `1000 / steps a second`, 0 for `'max'`.
 *
 * @example
 * ```ts
 * stepInterval('20'); // 50
 * ```
 */
export function stepInterval(speed: Speed): number {
  return speed === 'max' ? 0 : 1000 / Number(speed);
}

/** Everything that defines a run: what the URL holds, so a run can be shared as a link. */
export interface Config {
  dataset: DatasetName;
  samples: number;
  noise: number;
  /** Seeds both the data (NumPy's `np.random.seed`) and the weights (Python's `random.seed`), as the notebook does. */
  seed: number;
  /** Held-out test points, as a percentage of the training points (drawn from the same distribution). */
  test: number;
  hidden: number[];
  activation: Activation;
  /** The first step's learning rate. */
  lr: number;
  /** The notebook's schedule: `lr * (1 - 0.9 * k / steps)`; off keeps `lr` constant. */
  decay: boolean;
  steps: number;
  /** L2 strength. */
  alpha: number;
  optimizer: OptimizerName;
  engine: Engine;
  /** Steps a second while training; it changes how fast the run goes, never its numbers. */
  speed: Speed;
}

/** The settings a running training takes at its next step; any other change starts a new run. */
export type LiveSettings = Pick<Config, 'lr' | 'decay' | 'steps' | 'alpha' | 'optimizer'>;

export const LIVE_KEYS: readonly (keyof LiveSettings)[] = ['lr', 'decay', 'steps', 'alpha', 'optimizer'];

/** micrograd's demo.ipynb: 100 moons at noise 0.1, MLP(2, [16, 16, 1]), 100 steps, seed 1337. */
export const DEFAULTS: Readonly<Config> = Object.freeze({
  dataset: 'moons',
  samples: 100,
  noise: 0.1,
  seed: 1337,
  test: 50,
  hidden: [16, 16],
  activation: 'relu',
  lr: 1,
  decay: true,
  steps: 100,
  alpha: 1e-4,
  optimizer: 'sgd',
  engine: 'eager',
  // 100 steps in about 5 s: slow enough to watch the regions move.
  speed: '20',
});

export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh', 'sigmoid'];
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];

// Bounds keep a shared link from freezing the page (a million points, a thousand-wide layer).
export const LIMITS = {
  samples: [2, 2000],
  noise: [0, 1],
  seed: [0, 2 ** 32 - 1],
  test: [0, 100],
  lr: [0, 10],
  steps: [1, 1000],
  alpha: [0, 1],
  layerSize: [1, 64],
  layers: [0, 4],
} as const;

/** Numeric settings that must be whole numbers. */
export const INTEGER_KEYS: ReadonlySet<string> = new Set(['samples', 'seed', 'test', 'steps']);

/** The allowed values of a numeric setting, in words: "2 to 2000, a whole number". */
export function allowedRange(key: Exclude<keyof typeof LIMITS, 'layerSize' | 'layers'>): string {
  const [lo, hi] = LIMITS[key];
  return `${lo} to ${hi}${INTEGER_KEYS.has(key) ? ', a whole number' : ''}`;
}

export const HIDDEN_RANGE = `up to ${LIMITS.layers[1]} layers of ${LIMITS.layerSize[0]} to ${LIMITS.layerSize[1]} neurons`;

/**
 * The schedule's learning rate for the update from step `k` (the weights after `k` steps) to step
 * `k + 1`; past the last step it stays at the schedule's end.
 */
export function learningRate(settings: Pick<Config, 'lr' | 'decay' | 'steps'>, k: number): number {
  // `lr * (...)` with lr = 1 is the notebook's `1.0 - 0.9*k/100` to the bit.
  return settings.decay
    ? settings.lr * (1.0 - (0.9 * Math.min(k, settings.steps)) / settings.steps)
    : settings.lr;
}

/** A configuration read from a link, and the link's parameters that were not usable. */
export interface LinkConfig {
  config: Config;
  /** One entry per ignored parameter, e.g. `samples=5000 (allowed: 2 to 2000)`. */
  ignored: string[];
}

/**
 * Reads a configuration from URL search parameters; anything missing or out of range falls back
 * to the default, so an edited or stale link still opens, and each ignored parameter is listed.
 *
 * @param search - e.g. `location.search`
 * @returns a complete, valid configuration and what was ignored
 */
export function parseConfig(search: string): LinkConfig {
  const params = new URLSearchParams(search);
  const notes: [string, string][] = [];
  const ignore = (key: string, why: string): void => {
    notes.push([key, `${key}=${truncate(params.get(key) ?? '')} (${why})`]);
  };
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = params.get(key);
    if (value === null) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    ignore(key, `allowed: ${allowed.join(', ')}`);
    return fallback;
  };
  const num = (key: Exclude<keyof typeof LIMITS, 'layerSize' | 'layers'>, fallback: number): number => {
    const raw = params.get(key);
    if (raw === null) return fallback;
    const value = raw.trim() === '' ? NaN : Number(raw);
    const [lo, hi] = LIMITS[key];
    if (
      Number.isFinite(value) &&
      value >= lo &&
      value <= hi &&
      (!INTEGER_KEYS.has(key) || Number.isInteger(value))
    )
      return value;
    ignore(key, `allowed: ${allowedRange(key)}`);
    return fallback;
  };
  let hidden = [...DEFAULTS.hidden];
  if (params.has('hidden')) {
    const parsed = parseHidden(params.get('hidden'));
    if (parsed === null) ignore('hidden', `allowed: ${HIDDEN_RANGE}`);
    else hidden = parsed;
  }
  const known = new Set([
    'dataset',
    'samples',
    'noise',
    'seed',
    'test',
    'hidden',
    'activation',
    'lr',
    'decay',
    'steps',
    'alpha',
    'optimizer',
    'engine',
    'speed',
  ]);
  for (const key of new Set(params.keys())) if (!known.has(key)) ignore(key, 'not a setting');
  const decay = params.get('decay');
  if (decay !== null && decay !== '0' && decay !== '1') ignore('decay', 'allowed: 0, 1');
  const config: Config = {
    dataset: pick('dataset', DATASET_NAMES, DEFAULTS.dataset),
    samples: num('samples', DEFAULTS.samples),
    noise: num('noise', DEFAULTS.noise),
    seed: num('seed', DEFAULTS.seed),
    test: num('test', DEFAULTS.test),
    hidden,
    activation: pick('activation', ACTIVATIONS, DEFAULTS.activation),
    lr: num('lr', DEFAULTS.lr),
    decay: decay === '0' ? false : decay === '1' ? true : DEFAULTS.decay,
    steps: num('steps', DEFAULTS.steps),
    alpha: num('alpha', DEFAULTS.alpha),
    optimizer: pick('optimizer', OPTIMIZERS, DEFAULTS.optimizer),
    engine: pick('engine', ENGINES, DEFAULTS.engine),
    speed: pick('speed', SPEEDS, DEFAULTS.speed),
  };
  // In the link's own order.
  const order = [...params.keys()];
  const ignored = notes.sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([, note]) => note);
  return { config, ignored };
}

function truncate(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
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
  const ok =
    sizes.length <= LIMITS.layers[1] && sizes.every((s) => Number.isInteger(s) && s >= lo && s <= hi);
  return ok ? sizes : null;
}

/** The configuration as URL search parameters (`?dataset=moons&...`). */
export function formatConfig(config: Config): string {
  const params = new URLSearchParams({
    dataset: config.dataset,
    samples: String(config.samples),
    noise: String(config.noise),
    seed: String(config.seed),
    test: String(config.test),
    hidden: config.hidden.join(','),
    activation: config.activation,
    lr: String(config.lr),
    decay: config.decay ? '1' : '0',
    steps: String(config.steps),
    alpha: String(config.alpha),
    optimizer: config.optimizer,
    engine: config.engine,
    speed: config.speed,
  });
  return `?${params.toString()}`;
}

/**
 * A learning rate that plain SGD trains a network of these hidden sizes at without blowing up.
 * micrograd's weights are uniform in [-1, 1], so every layer after the first multiplies the
 * signal by roughly its fan-in over 3; measured on the notebook's moons: 16x16 and 64x64 train at
 * 1, 32x32x32 at 0.3 (1 diverges at step 3), 64x64x64x64 at 0.03 (0.1 diverges at step 6).
 */
export function safeLearningRate(hidden: readonly number[]): number {
  let gain = 1;
  for (const fanIn of hidden.slice(1)) gain *= Math.max(1, fanIn / 3);
  return niceBelow(Math.min(1, 40 / gain));
}

/** A warning for a run that is likely to diverge, or null. */
export function divergenceRisk(config: Pick<Config, 'hidden' | 'lr' | 'optimizer'>): string | null {
  if (config.optimizer === 'adam') return null;
  const safe = safeLearningRate(config.hidden);
  if (config.lr <= 3 * safe) return null;
  return `A network of ${config.hidden.join(' × ')} neurons is likely to diverge at learning rate ${config.lr}: try ${safe} or less.`;
}

/** The largest of 1, 0.3, 0.1, 0.03, 0.01, ... not above `x` (at least 0.0001). */
export function niceBelow(x: number): number {
  for (let scale = 1; scale >= 1e-4; scale /= 10) {
    if (x >= scale) return scale;
    if (x >= scale * 0.3) return Number((scale * 0.3).toPrecision(1));
  }
  return 1e-4;
}
