// When a training run has diverged: one criterion for the CLI and the web page's worker.

/**
 * How many times the first step's loss (or 1, when that is smaller) a loss may reach: a hinge loss
 * past it means the steps overshoot and feed on themselves. The web page stops its runs there too.
 */
export const EXPLOSION = 1e3;

/**
 * Whether a step's loss shows the run diverging: it is not finite, or it is over
 * {@link EXPLOSION} times the first step's loss (or 1, when that is smaller).
 *
 * @param loss - the step's loss
 * @param firstLoss - the loss of the run's first step
 * @returns true when the run should stop
 * @example
 * ```ts
 * lossDiverged(2.5, 0.9); // false
 * lossDiverged(1001, 0.9); // true
 * lossDiverged(NaN, 0.9); // true
 * ```
 */
export function lossDiverged(loss: number, firstLoss: number): boolean {
  return !(loss <= EXPLOSION * Math.max(1, firstLoss));
}

/**
 * Whether an error thrown by a training step says that a number stopped being finite: @mg/engine
 * and @mg/nn then throw a RangeError saying "... is not finite", the step left undone.
 *
 * @param error - what the step threw
 * @returns true when the run diverged (false for any other failure, a bug to report as one)
 */
export function isNotFiniteError(error: unknown): boolean {
  return /finite/.test(error instanceof Error ? error.message : String(error));
}
