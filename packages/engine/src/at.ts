/**
 * `xs[i]` for an index the caller has proven in range. A miss is a bug in mg, not in the caller's
 * input, and is reported as one rather than flowing on as `undefined`.
 */
export function at<T>(xs: ArrayLike<T>, i: number): T {
  const x = xs[i];
  if (x === undefined) throw new RangeError(`mg internal error: index ${i} outside 0..${xs.length - 1}`);
  return x;
}
