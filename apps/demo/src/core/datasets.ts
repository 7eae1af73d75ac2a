import { RandomState } from './random-state.js';
import { at, pointAt } from './checked.js';

/** A two-class dataset of points in the plane. */
export interface Dataset {
  /** The points, row-major: point `i` is `(X[2i], X[2i+1])`. */
  readonly X: Float64Array;
  /** The class of each point, 0 or 1 (scikit-learn's convention). */
  readonly y: Uint8Array;
}

/** The datasets the demo can train on. */
export type DatasetName = 'moons' | 'circles' | 'spiral';

/** The names {@link makeDataset} accepts. */
export const DATASET_NAMES: readonly DatasetName[] = ['moons', 'circles', 'spiral'];

/** Options shared by the dataset makers. */
export interface DatasetOptions {
  /** Standard deviation of the Gaussian noise added to every coordinate (default 0: none drawn). */
  noise?: number;
  /** Shuffle the rows before adding noise, as scikit-learn does by default (default true). */
  shuffle?: boolean;
}

/**
 * scikit-learn's `make_moons(samples, noise=noise, shuffle=shuffle)` drawing from `random`:
 * two interleaving half circles, the outer one class 0.
 *
 * @param samples - how many points, a positive integer
 * @param random - the generator, as scikit-learn's `random_state`
 * @param options - noise and shuffling
 * @returns the points and their classes
 * @throws RangeError when `samples` is not a positive integer or `noise` is negative
 * @example
 * ```ts
 * const { X, y } = makeMoons(100, new RandomState(1337), { noise: 0.1 });
 * [X[0], X[1], y[0]]; // [1.1221146075409683, 0.08147717341718697, 0], as NumPy
 * ```
 */
export function makeMoons(samples: number, random: RandomState, options: DatasetOptions = {}): Dataset {
  checkSamples(samples, 'makeMoons');
  const data = twoClasses(samples, (n, label) =>
    linspace(0, Math.PI, n, true).map((t) =>
      label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 1 - Math.sin(t) - 0.5],
    ),
  );
  return finish(data, random, options, 'makeMoons');
}

/**
 * scikit-learn's `make_circles(samples, noise=noise, factor=factor, shuffle=shuffle)`: a circle of
 * class 0 around a smaller one of class 1.
 *
 * @param samples - how many points, a positive integer
 * @param random - the generator, as scikit-learn's `random_state`
 * @param options - noise, shuffling, and `factor`, the inner radius (default 0.8, scikit-learn's)
 * @returns the points and their classes
 * @throws RangeError when `samples` is not a positive integer, `noise` is negative or `factor` is not in [0, 1)
 * @example
 * ```ts
 * const { X, y } = makeCircles(100, new RandomState(0), { noise: 0.05, factor: 0.5 });
 * ```
 */
export function makeCircles(
  samples: number,
  random: RandomState,
  options: DatasetOptions & { factor?: number } = {},
): Dataset {
  checkSamples(samples, 'makeCircles');
  const { factor = 0.8 } = options;
  if (!(factor >= 0 && factor < 1))
    throw new RangeError(`makeCircles: factor must be in [0, 1), got ${factor}`);
  const data = twoClasses(samples, (n, label) =>
    linspace(0, 2 * Math.PI, n, false).map((t) =>
      label === 0 ? [Math.cos(t), Math.sin(t)] : [Math.cos(t) * factor, Math.sin(t) * factor],
    ),
  );
  return finish(data, random, options, 'makeCircles');
}

/**
 * Two interleaved spiral arms, class 0 and class 1, each turning `turns` times from the centre
 * out to radius 1 (the second arm is the first rotated by half a turn). Laid out, shuffled and
 * noised like scikit-learn's datasets.
 *
 * @param samples - how many points, a positive integer
 * @param random - the generator
 * @param options - noise, shuffling, and `turns` (default 1)
 * @returns the points and their classes
 * @throws RangeError when `samples` is not a positive integer, `noise` is negative or `turns` is not positive
 * @example
 * ```ts
 * const { X, y } = makeSpiral(200, new RandomState(0), { noise: 0.05 });
 * ```
 */
export function makeSpiral(
  samples: number,
  random: RandomState,
  options: DatasetOptions & { turns?: number } = {},
): Dataset {
  checkSamples(samples, 'makeSpiral');
  const { turns = 1 } = options;
  if (!(turns > 0 && Number.isFinite(turns)))
    throw new RangeError(`makeSpiral: turns must be a positive number, got ${turns}`);
  const data = twoClasses(samples, (n, label) =>
    // Start a little off the centre, where the two arms would otherwise meet.
    linspace(0.1, 1, n, true).map((r) => {
      const t = 2 * Math.PI * turns * r + Math.PI * label;
      return [r * Math.cos(t), r * Math.sin(t)];
    }),
  );
  return finish(data, random, options, 'makeSpiral');
}

/**
 * One of the named datasets, drawn from a fresh `RandomState(seed)` as the notebook's
 * `np.random.seed(seed)` then `make_moons(...)`. Circles use `factor` 0.5.
 *
 * @param name - `'moons'`, `'circles'` or `'spiral'`
 * @param options - `samples`, `noise` and `seed`
 * @returns the points and their classes
 * @throws RangeError for an unknown name or a bad option
 * @example
 * ```ts
 * const data = makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 }); // the notebook's data
 * ```
 */
export function makeDataset(
  name: DatasetName,
  options: { samples: number; noise: number; seed: number },
): Dataset {
  const random = new RandomState(options.seed);
  const { samples, noise } = options;
  switch (name) {
    case 'moons':
      return makeMoons(samples, random, { noise });
    case 'circles':
      return makeCircles(samples, random, { noise, factor: 0.5 });
    case 'spiral':
      return makeSpiral(samples, random, { noise });
    default:
      throw new RangeError(
        `makeDataset: unknown dataset ${JSON.stringify(name)}, expected one of ${DATASET_NAMES.join(', ')}`,
      );
  }
}

/** NumPy's `linspace(start, stop, n, endpoint)`: `i * step + start`, the endpoint set exactly. */
export function linspace(start: number, stop: number, n: number, endpoint: boolean): number[] {
  const div = endpoint ? n - 1 : n;
  const step = (stop - start) / div;
  const out = Array.from({ length: n }, (_, i) => (div > 0 ? i * step + start : start));
  if (endpoint && n > 1) out[n - 1] = stop;
  return out;
}

/**
 * scikit-learn's layout before shuffling: `floor(samples / 2)` points of class 0, then the rest of
 * class 1.
 *
 * @param part - the points of one class, given how many
 */
function twoClasses(samples: number, part: (n: number, label: 0 | 1) => [number, number][]): Dataset {
  const nOut = Math.floor(samples / 2);
  const points = [...part(nOut, 0), ...part(samples - nOut, 1)];
  return {
    X: Float64Array.from(points.flat()),
    y: Uint8Array.from(points, (_, i) => (i < nOut ? 0 : 1)),
  };
}

/** Shuffles the rows, then adds noise row by row: scikit-learn's order of draws. */
function finish(data: Dataset, random: RandomState, options: DatasetOptions, where: string): Dataset {
  const { noise = 0, shuffle = true } = options;
  if (!(noise >= 0 && Number.isFinite(noise)))
    throw new RangeError(`${where}: noise must be a finite number >= 0, got ${noise}`);
  let { X, y } = data;
  const n = y.length;
  if (shuffle) {
    const order = random.permutation(n);
    const Xs = new Float64Array(2 * n);
    const ys = new Uint8Array(n);
    order.forEach((from, to) => {
      Xs.set(pointAt(X, from), 2 * to);
      ys[to] = at(y, from);
    });
    X = Xs;
    y = ys;
  }
  // scikit-learn draws noise only when noise is given; 0 here means "not given".
  if (noise > 0) X = X.map((x) => x + random.normal(0, noise));
  return { X, y };
}

function checkSamples(samples: number, where: string): void {
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`${where}: samples must be a positive integer, got ${samples}`);
  }
}
