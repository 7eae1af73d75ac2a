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
 * `xs[i]` of a `Float64Array`, as {@link at}: for the loops a training step runs per parameter
 * and per sample. `at` serves every kind of array, so V8 looks its elements up the slow
 * (megamorphic) way; a helper that only ever sees one kind stays fast.
 */
export function numberAt(xs: Float64Array, i: number): number {
  const x = xs[i];
  if (x === undefined) throw outside(xs, i);
  return x;
}

/**
 * The error of {@link at} for a loop that reads `xs[i]` itself: a training step's loops over the
 * parameters are indexed and check inline, because before V8 optimises a step, a call per
 * element (or `for...of`'s iterator result per element) is most of what the loop costs.
 */
export function outside(xs: ArrayLike<unknown>, i: number): RangeError {
  return new RangeError(`mg internal error: index ${i} outside 0..${xs.length - 1}`);
}
