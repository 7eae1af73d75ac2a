/**
 * One traced graph made runnable: the per-sample function, or the reduction over all samples.
 * Both back ends implement it, and the program drives them the same way.
 *
 * `V` starts with the parameters (`V[index]`), then holds slices of node values: the forward
 * pass keeps what the backward pass needs in `V[vo...]` (one slice per sample), so it is
 * read back instead of recomputed. Parameters' gradients are added into the program's `G`.
 */
export interface Kernel {
  /** Values a slice of `V` holds: one per tape node. */
  readonly size: number;
  /** Computes the nodes for the inputs at `X[xo...]` into `V[vo...]` and the outputs into `O[oo...]`. */
  forward(X: Float64Array, xo: number, V: Float64Array, vo: number, O: Float64Array, oo: number): void;
  /**
   * Back-propagates the output gradients `S[so...]` through the values a `forward` left in
   * `V[vo...]`, adding the parameters' gradients into `G`. A reduction also writes each
   * sample's output gradients to `GX` and calls `sample(i)` at the point where eager mode
   * would back-propagate sample `i`.
   */
  backward(
    V: Float64Array,
    vo: number,
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
