/**
 * One traced graph made runnable: the per-sample function, or the reduction over all samples.
 * Both back ends implement it, and the program drives them the same way.
 */
export interface Kernel {
  /** Computes the outputs for the inputs at `X[xo...]` and writes them to `O[oo...]`. */
  forward(X: Float64Array, xo: number, O: Float64Array, oo: number): void;
  /**
   * Recomputes the forward pass for `X[xo...]`, then back-propagates the output gradients
   * `S[so...]`, adding the parameters' gradients into the program's gradient buffer.
   * A reduction also writes each sample's output gradients to `GX` and calls `sample(i)` at
   * the point where eager mode would back-propagate sample `i`.
   */
  backward(
    X: Float64Array,
    xo: number,
    S: Float64Array,
    so: number,
    GX: Float64Array | null,
    sample: ((i: number) => void) | null,
  ): void;
}

/** Where a reduction hands each sample's output gradients back to the per-sample kernel. */
export interface SampleHandoff {
  /** Outputs per sample: input `j` of the reduction is output `j % perSample` of sample `j / perSample`. */
  readonly perSample: number;
}
