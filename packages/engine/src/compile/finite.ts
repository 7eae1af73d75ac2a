import { describe } from '../errors.js';

/** Which 16-bit word of a float64 holds its sign and exponent: the last on little-endian hosts. */
const HIGH = new Uint16Array(new Float64Array([1]).buffer)[3] === 0x3ff0 ? 3 : 0;

/**
 * Whether `X[from, to)` are all finite: a number is NaN or infinite exactly when its 11 exponent
 * bits are all ones, which this reads from each number's top 16-bit word. Small integers only:
 * before V8 optimises the loop, arithmetic on floats would allocate a heap number per operation
 * (the garbage of a first hundred steps), on these it allocates nothing.
 */
export function allFinite(X: Float64Array, from: number, to: number): boolean {
  const words = new Uint16Array(X.buffer, X.byteOffset, X.length * 4);
  // (w & 0x7ff0) + 0x10 is 0x8000 for an exponent of all ones, below it otherwise: OR-ed
  // together, bit 15 says whether any was.
  let top = 0;
  const end = 4 * to;
  for (let j = 4 * from + HIGH; j < end; j += 4) top |= (words[j]! & 0x7ff0) + 0x10;
  return (top & 0x8000) === 0;
}

/**
 * Whether every number in `X` is finite (no NaN, no ±Infinity), read without allocating: a
 * training step can check a whole array of new weights or gradients with it before it writes any,
 * cheaply even before V8 has optimised the code that calls it.
 *
 * @example
 * ```ts
 * import { isAllFinite } from '@mg/engine';
 *
 * console.log(isAllFinite(new Float64Array([0.5, -2, 1e308])), isAllFinite(new Float64Array([1, NaN]))); // true false
 * ```
 *
 * @throws TypeError when `X` is not a Float64Array
 */
export function isAllFinite(X: Float64Array): boolean {
  if (!(X instanceof Float64Array))
    throw new TypeError(`isAllFinite: X must be a Float64Array, got ${describe(X)}`);
  return allFinite(X, 0, X.length);
}
