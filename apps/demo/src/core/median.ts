import { at } from './checked.js';

/**
 * The median of some numbers: the middle one, or the mean of the two middle ones.
 *
 * @param xs - the numbers, in any order (left unchanged)
 * @returns the median, or 0 for none
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? at(sorted, mid) : (at(sorted, mid - 1) + at(sorted, mid)) / 2;
}
