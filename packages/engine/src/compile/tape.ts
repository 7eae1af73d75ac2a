import type { PrimitiveOp } from '../ops.js';

/**
 * A traced graph, flattened: the compiled program's intermediate form. Nodes are in the order
 * trace.ts places them (depth first from each output in turn, operands left to right, each
 * after its operands; then from the ops no output reaches) and refer to each other by
 * position, so a tape holds no `Value`s and no user strings, only op names, numbers and indices.
 */
export interface Tape {
  readonly nodes: readonly TapeNode[];
  /** Positions of the traced function's outputs. */
  readonly outputs: readonly number[];
  /**
   * Ops the traced function made that no output depends on, in the order it made them: run
   * forward only, since eager mode computes and checks them too.
   */
  readonly unused?: readonly number[];
  /**
   * The op nodes in the order the traced function made them: eager mode's order of computing
   * and checking them, which the exact replay (reference.ts) follows, so that it names the op
   * eager mode would have named first.
   */
  readonly made?: Int32Array;
}

/** One node of a {@link Tape}. */
export type TapeNode =
  /** The `index`-th number of a sample (or, in a reduction, of all samples' outputs). */
  | { readonly kind: 'input'; readonly index: number }
  /** The `index`-th parameter of the program: read at run time, receives gradients. */
  | { readonly kind: 'param'; readonly index: number }
  /** A number fixed at trace time. */
  | { readonly kind: 'const'; readonly value: number }
  /** A primitive applied to earlier nodes `a` and `b` (`b` is -1 for unary ops). */
  | {
      readonly kind: 'op';
      readonly op: PrimitiveOp;
      readonly a: number;
      readonly b: number;
      readonly arg: number;
    };
