/**
 * A lowered program made runnable by one back end (the WebAssembly module or the JavaScript
 * interpreter). Both keep everything in one array of numbers, `M`:
 *
 * ```
 * [ constants | parameters | their gradients | products | batch | output gradients | pad |
 *   value columns | gradient columns | site columns ]
 *   (constants from 0, parameters from consts; column c of a tile of T samples at base + c * T)
 * ```
 *
 * The program writes parameters, the batch's inputs and its outputs' gradients (sample-major)
 * into `M`, spreads them into each tile's columns, calls `forward` and `backward` for each tile
 * of samples, and reads outputs and site contributions back.
 */
export interface Executor {
  /** Numbers per sample in a tile: the program's columns, and any scratch space the back end needs. */
  readonly columns: number;
  /** The memory; a new array after {@link Executor.reserve} grows it. */
  readonly M: Float64Array;
  /** Makes room for every column of a tile of `T` samples past `base` (keeps the scalars). */
  reserve(base: number, T: number): void;
  /** Runs every instruction over the tile's samples. */
  forward(base: number, T: number): void;
  /** Runs the backward pass over the tile (its gradient columns must hold the seeds, and zeros elsewhere). */
  backward(base: number, T: number): void;
  /**
   * The fold for one tile: adds each parameter's site contributions for the tile's first
   * `count` samples (in ascending or descending order) into its accumulator `M[at + p]`.
   */
  fold(base: number, T: number, count: number, descending: boolean, at: number): void;
  /** True when every number in `M[from, to)` is finite. */
  allFinite(from: number, to: number): boolean;
  /** `M[to + i] = M[from + i * stride]` for `i` below `count`. */
  spread(from: number, stride: number, to: number, count: number): void;
  /**
   * The reduction's chains of products of parameters (an L2 term), where the back end runs
   * them (`ProductKernels` in reduction.ts): a table of `count` terms at `M[table]` (two int32
   * parameter indices per number), the number before it in and out, parameters from `M[p]`,
   * their gradient sums from `M[sums]`.
   */
  readonly products?: {
    forward(table: number, count: number, p: number): void;
    backward(table: number, count: number, p: number, sums: number): void;
  };
}
