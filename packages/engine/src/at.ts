/**
 * `xs[i]` for an index the caller has proven in range. A miss is a bug in mg, not in the caller's
 * input, and is reported as one rather than flowing on as `undefined`.
 */
export function at<T>(xs: ArrayLike<T>, i: number): T {
  const x = xs[i];
  if (x === undefined) throw outside(xs, i);
  return x;
}

/**
 * The error of {@link at} for a loop that reads `xs[i]` itself: loops that run once per training
 * step check inline, because before V8 optimises them a call per element is most of their cost.
 */
export function outside(xs: ArrayLike<unknown>, i: number): RangeError {
  return new RangeError(`mg internal error: index ${i} outside 0..${xs.length - 1}`);
}
