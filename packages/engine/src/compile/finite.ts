/**
 * Whether `X[from, to)` are all finite: sums `x - x`, which is 0 unless `x` is NaN or infinite,
 * four sums side by side (one is a chain of dependent additions; the order of the sums does not
 * matter, as any NaN makes the total NaN).
 */
export function allFinite(X: Float64Array, from: number, to: number): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    a += X[i]! - X[i]!;
    b += X[i + 1]! - X[i + 1]!;
    c += X[i + 2]! - X[i + 2]!;
    d += X[i + 3]! - X[i + 3]!;
  }
  for (; i < to; i++) a += X[i]! - X[i]!;
  return a + b + (c + d) === 0;
}
