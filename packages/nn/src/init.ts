import { describeInput } from '@mg/engine';
import { seeded } from './python-random.js';

/**
 * How a neuron's weights are drawn; biases always start at 0, as in micrograd.
 *
 * - `'uniform'` (default): `uniform(-1, 1)`, micrograd's `random.uniform(-1, 1)`.
 * - `'uniform-scaled'`: `uniform(-1/√nin, 1/√nin)`, the range PyTorch's `nn.Linear` uses; keeps
 *   the weighted sums of wide layers near unit scale.
 * - a function `(nin, random) => weight`, called once per weight with the neuron's input count
 *   and the generator (a `() => number` in [0, 1)).
 */
export type Initializer = 'uniform' | 'uniform-scaled' | ((nin: number, random: () => number) => number);

/** Where randomness comes from; shared by {@link NeuronOptions}, {@link LayerOptions} and {@link MLPOptions}. */
export interface RandomOptions {
  /**
   * Seeds a Python-compatible generator: weights equal micrograd's after `random.seed(seed)`.
   * Used when `rng` is not given; default 0.
   */
  seed?: number | bigint;
  /** A generator of numbers in [0, 1) to draw from instead (takes precedence over `seed`). */
  rng?: () => number;
  /** How weights are drawn. Default `'uniform'`. */
  init?: Initializer;
}

/** A checked `() => number` from `rng`, else Python's generator seeded with `seed` (default 0). */
export function resolveRandom(
  options: { readonly seed?: unknown; readonly rng?: unknown },
  where: string,
): () => number {
  const { rng, seed = 0 } = options;
  if (rng === undefined) {
    const mt = seeded(seed, where);
    return () => mt.nextDouble();
  }
  // `rng` takes precedence, but a bad seed beside it is still a mistake to report.
  seeded(seed, where);
  if (typeof rng !== 'function')
    throw new TypeError(`${where}: options.rng must be a function, got ${describeInput(rng)}`);
  const draw = rng as () => unknown;
  return () => {
    const r = draw();
    if (typeof r !== 'number' || !(r >= 0 && r < 1)) {
      throw new RangeError(
        `${where}: options.rng must return numbers in [0, 1), returned ${describeInput(r)}`,
      );
    }
    return r;
  };
}

/** A function drawing one weight for a neuron with `nin` inputs. */
export function resolveInit(init: unknown, where: string): (nin: number, random: () => number) => number {
  if (init === undefined || init === 'uniform') return (_nin, random) => -1 + 2 * random();
  if (init === 'uniform-scaled') {
    return (nin, random) => {
      const bound = 1 / Math.sqrt(nin);
      return -bound + (bound + bound) * random();
    };
  }
  if (typeof init === 'function') {
    const custom = init as (nin: number, random: () => number) => unknown;
    return (nin, random) => {
      const w = custom(nin, random);
      if (typeof w !== 'number' || !Number.isFinite(w)) {
        const Kind = typeof w === 'number' ? RangeError : TypeError;
        throw new Kind(`${where}: options.init must return finite numbers, returned ${describeInput(w)}`);
      }
      return w;
    };
  }
  throw new TypeError(
    `${where}: options.init must be 'uniform', 'uniform-scaled' or a function, got ${describeInput(init)}`,
  );
}

/**
 * `init` checked for a constructor that hands it down to the ones it calls (an MLP to its layers,
 * a layer to its neurons), as their options: a function comes back wrapped, so that a weight it
 * returns that is not a finite number is blamed on `where`, the constructor the user called.
 */
export function handDownInit(init: unknown, where: string): { init?: Initializer } {
  const draw = resolveInit(init, where);
  if (init === undefined) return {};
  return { init: typeof init === 'function' ? draw : (init as Initializer) };
}

/** Throws naming `where` and `what` unless `n` is a positive integer: a TypeError for a non-number, else a RangeError. */
export function checkCount(n: unknown, where: string, what: string): number {
  if (typeof n !== 'number')
    throw new TypeError(`${where}: ${what} must be a positive integer, got ${describeInput(n)}`);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`${where}: ${what} must be a positive integer, got ${n}`);
  }
  return n;
}
