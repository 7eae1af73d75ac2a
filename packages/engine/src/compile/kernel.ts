import type { Tape } from './tape.js';

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

/**
 * For a reduction: at which node eager mode would back-propagate each sample. That is the
 * sample's first output in topological order: by then every use of every output of the
 * sample has added its gradient. Members are (reduction input, node or -1 if unused).
 */
export function sampleHandoffs(
  tape: Tape,
  perSample: number,
): Map<number, { sample: number; members: [number, number][] }> {
  const first = new Map<number, number>();
  const nodeOf = new Map<number, number>();
  tape.nodes.forEach((n, k) => {
    if (n.kind !== 'input') return;
    nodeOf.set(n.index, k);
    const sample = Math.floor(n.index / perSample);
    if (!first.has(sample)) first.set(sample, k);
  });
  const at = new Map<number, { sample: number; members: [number, number][] }>();
  for (const [sample, k] of first) {
    const members: [number, number][] = [];
    for (let j = sample * perSample; j < (sample + 1) * perSample; j++) members.push([j, nodeOf.get(j) ?? -1]);
    at.set(k, { sample, members });
  }
  return at;
}
