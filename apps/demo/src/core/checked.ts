// Reads the type checker cannot prove safe but the code's own invariants guarantee. A broken
// invariant is a bug in the demo: it is reported as one instead of flowing on as NaN or undefined.

/**
 * `items[index]`, which the caller guarantees exists.
 *
 * @throws Error (an internal error) when it does not
 */
export function at<T>(items: ArrayLike<T>, index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`internal error: no item at index ${index} of ${items.length}`);
  return item;
}

/** The last of `items`, which the caller guarantees are not empty. */
export function last<T>(items: ArrayLike<T>): T {
  return at(items, items.length - 1);
}

/** Point `i` of row-major `(x, y)` pairs. */
export function pointAt(X: ArrayLike<number>, i: number): [number, number] {
  return [at(X, 2 * i), at(X, 2 * i + 1)];
}

/**
 * `value`, which the caller guarantees is present.
 *
 * @param what - names the value in the error
 * @throws Error (an internal error) when it is null or undefined
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`internal error: no ${what}`);
  return value;
}
