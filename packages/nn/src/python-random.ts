import { describeInput } from '@mg/engine';
import { MT19937 } from './mt19937.js';

/**
 * The part of Python's `random` module that micrograd uses, bit for bit: `seed(n)` for an
 * integer `n`, `random()` and `uniform(a, b)`.
 *
 * CPython seeds with `init_by_array` over the 32-bit words of `abs(n)`, least significant
 * first (`[0]` for 0), so `n` and `-n` give the same stream, and `random()` is `genrand_res53`.
 *
 * @example
 * ```ts
 * import { PythonRandom } from '@mg/nn';
 *
 * const rng = new PythonRandom(1337); // random.seed(1337)
 * // random.uniform(-1, 1) in CPython prints the same
 * console.log(rng.uniform(-1, 1)); // 0.23550571390294128
 * ```
 */
export class PythonRandom {
  private mt: MT19937;

  /**
   * @param seed - an integer (a `number` that is a safe integer, or a `bigint` of any size)
   * @throws TypeError when `seed` is not an integer
   */
  constructor(seed: number | bigint) {
    this.mt = seeded(seed, 'new PythonRandom');
  }

  /**
   * Reseeds, as `random.seed(n)` does for an integer `n`.
   *
   * @param seed - an integer (a safe-integer `number` or a `bigint`)
   * @throws TypeError when `seed` is not an integer; the generator is then unchanged
   */
  seed(seed: number | bigint): void {
    this.mt = seeded(seed, 'PythonRandom.seed');
  }

  /**
   * The next double in [0, 1), as `random.random()`.
   *
   * @returns `((a >>> 5) * 2^26 + (b >>> 6)) / 2^53` for the next two 32-bit outputs `a`, `b`
   */
  random(): number {
    return this.mt.nextDouble();
  }

  /**
   * A number between `a` and `b`, as `random.uniform(a, b)`: `a + (b - a) * random()`.
   *
   * @param a - one end
   * @param b - the other end
   * @returns the draw
   */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.mt.nextDouble();
  }
}

export function seeded(seed: unknown, where: string): MT19937 {
  let n: bigint;
  if (typeof seed === 'bigint') {
    n = seed;
  } else if (typeof seed === 'number' && Number.isSafeInteger(seed)) {
    n = BigInt(seed);
  } else {
    throw new TypeError(
      `${where}: seed must be a safe integer or a bigint, got ${describeInput(seed)} ` +
        '(Python seeds floats and strings differently; only integer seeds are reproduced)',
    );
  }
  if (n < 0n) n = -n;
  const key: number[] = [];
  do {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return MT19937.fromArray(key);
}
