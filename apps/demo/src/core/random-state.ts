import { MT19937 } from '@mg/nn';

/** An array-like whose elements can be swapped in place: arrays and typed arrays. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/**
 * NumPy's legacy `np.random.RandomState`, number for number, on the MT19937 core from @mg/nn.
 * Only what micrograd's demo and scikit-learn's toy datasets draw from it is here.
 *
 * @example
 * ```ts
 * const rs = new RandomState(1337); // np.random.seed(1337)
 * rs.normal(); // -0.7031873098624105, as np.random.normal()
 * ```
 */
export class RandomState {
  private mt: MT19937;
  // The polar method makes two normals at a time; NumPy hands out the second on the next call.
  private cachedGauss: number | null = null;

  /**
   * @param seed - an integer in [0, 2^32), seeded with `init_genrand` as `np.random.seed(seed)` does
   * @throws RangeError when `seed` is not such an integer
   */
  constructor(seed: number) {
    this.mt = MT19937.fromSeed(checkSeed(seed, 'RandomState'));
  }

  /**
   * Reseeds, as `np.random.seed(seed)`, forgetting any cached normal.
   *
   * @param seed - an integer in [0, 2^32)
   * @throws RangeError when `seed` is not such an integer
   */
  seed(seed: number): void {
    this.mt = MT19937.fromSeed(checkSeed(seed, 'RandomState.seed'));
    this.cachedGauss = null;
  }

  /**
   * A double in [0, 1) with 53 random bits: `random_sample()`.
   *
   * @returns the next uniform double
   */
  randomSample(): number {
    return this.mt.nextDouble();
  }

  /**
   * A standard normal by the polar Box-Muller method, as NumPy's `legacy_gauss`.
   *
   * @returns the next standard normal
   */
  gauss(): number {
    if (this.cachedGauss !== null) {
      const cached = this.cachedGauss;
      this.cachedGauss = null;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.mt.nextDouble() - 1.0;
      x2 = 2.0 * this.mt.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }

  /**
   * A normal with mean `loc` and standard deviation `scale`: `normal(loc, scale)`.
   *
   * @param loc - the mean
   * @param scale - the standard deviation, not negative
   * @returns `loc + scale * gauss()`
   * @throws RangeError when `scale` is negative or either argument is not finite
   */
  normal(loc = 0, scale = 1): number {
    if (!Number.isFinite(loc)) throw new RangeError(`RandomState.normal: loc must be finite, got ${loc}`);
    if (!(scale >= 0) || !Number.isFinite(scale)) {
      throw new RangeError(`RandomState.normal: scale must be a finite number >= 0, got ${scale}`);
    }
    return loc + scale * this.gauss();
  }

  /**
   * An integer uniform in [0, max] by masked rejection sampling on 32-bit draws, as NumPy's
   * `random_interval` (which `shuffle` and `permutation` use).
   *
   * @param max - the largest value, an integer in [0, 2^32)
   * @returns the drawn integer
   * @throws RangeError when `max` is not such an integer
   */
  randomInterval(max: number): number {
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) {
      throw new RangeError(`RandomState.randomInterval: max must be an integer in [0, 2^32), got ${max}`);
    }
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.mt.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /**
   * Shuffles in place, as `shuffle(x)` on a one-dimensional array: Fisher-Yates from the end.
   *
   * @param items - the array to shuffle
   */
  shuffle<T>(items: MutableArrayLike<T>): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      // Both indices are in range, so both reads are Ts (T itself may include undefined).
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
  }

  /**
   * A random ordering of `0 .. n-1`: `permutation(n)`.
   *
   * @param n - how many indices, a non-negative integer
   * @returns the shuffled indices
   * @throws RangeError when `n` is not a non-negative integer
   */
  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`RandomState.permutation: n must be a non-negative integer, got ${n}`);
    }
    const indices = Array.from({ length: n }, (_, i) => i);
    this.shuffle(indices);
    return indices;
  }
}

function checkSeed(seed: number, where: string): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`${where}: seed must be an integer in [0, 2^32), got ${seed}`);
  }
  return seed;
}
