import { describeInput } from '@mg/engine';

const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/**
 * The Mersenne Twister MT19937, bit-compatible with the reference implementation by
 * Matsumoto and Nishimura (mt19937ar.c) and so with Python's `random` and NumPy's legacy
 * `RandomState`, which are both built on it.
 *
 * @example
 * ```ts
 * import { MT19937 } from '@mg/nn';
 *
 * const mt = MT19937.fromArray([0x123, 0x234, 0x345, 0x456]);
 * // the first number of the reference implementation's output
 * console.log(mt.nextUint32()); // 1067595299
 * ```
 */
export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  private constructor() {}

  /** Seeds with `init_genrand(seed)`, as NumPy's `np.random.seed(seed)` does. */
  static fromSeed(seed: number): MT19937 {
    const g = new MT19937();
    g.initGenrand(checkWord(seed, 'MT19937.fromSeed'));
    return g;
  }

  /** Seeds with `init_by_array(key)`, as Python's `random.seed(n)` does with n's 32-bit words. */
  static fromArray(key: readonly number[]): MT19937 {
    const given: unknown = key;
    if (!Array.isArray(given)) {
      throw new TypeError(
        `MT19937.fromArray: key must be an array of 32-bit words, got ${describeInput(key)}`,
      );
    }
    if (key.length === 0) throw new RangeError('MT19937.fromArray: key must not be empty');
    for (let i = 0; i < key.length; i++) checkWord(key[i], `MT19937.fromArray: key[${i}]`);
    const g = new MT19937();
    const mt = g.mt;
    g.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const s = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (mt[i]! ^ Math.imul(s, 1664525)) + key[j]! + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const s = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (mt[i]! ^ Math.imul(s, 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    return g;
  }

  /** The next 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits: `genrand_res53`, Python's `random()`. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  private initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const s = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = Math.imul(s, 1812433253) + i;
    }
    this.index = N;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & UPPER) | (mt[(i + 1) % N]! & LOWER);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

function checkWord(x: unknown, where: string): number {
  if (typeof x !== 'number') {
    throw new TypeError(`${where}: expected an integer in [0, 2^32), got ${describeInput(x)}`);
  }
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    throw new RangeError(`${where}: expected an integer in [0, 2^32), got ${x}`);
  }
  return x;
}
