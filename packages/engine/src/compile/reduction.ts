import { PRIMITIVES, type PrimitiveOp } from '../ops.js';
import { findChains } from './fuse.js';
import type { Tape } from './tape.js';

/**
 * The reduction over a batch (a mean plus an L2 term, say), traced for one batch size and run
 * as scalar code: it is a few instructions per sample against hundreds per sample for the
 * samples themselves.
 *
 * Its backward pass computes every sample output's gradient (`GX`) and records, instead of
 * adding, its own contributions to parameter gradients (`R`, in eager mode's order), so that
 * the samples can be back-propagated together afterwards and the fold can add everything in
 * eager mode's order. {@link Reduction.events} is that order.
 */
export class Reduction {
  /** Per sample: its outputs in the order the reduction first reaches them (eager mode's order). */
  readonly visits: number[][];
  /** Segments per sample in {@link Reduction.events}: the most outputs any sample has in use. */
  readonly segments: number;
  /**
   * Eager mode's order of additions into parameter gradients, as the reduction's backward pass
   * meets them: `r >= 0` is the reduction's `r`-th contribution (to parameter `contributionParam[r]`);
   * `-1 - e` is "sample `e / segments`, segment `e % segments`" (see lower.ts), whose own
   * contributions come at that point.
   */
  readonly events: Int32Array;
  readonly contributionParam: Int32Array;
  /** The loss's value after {@link Reduction.forward}. */
  private readonly values: Float64Array;
  private readonly grads: Float64Array;
  private readonly code: Int8Array;
  private readonly A: Int32Array;
  private readonly B: Int32Array;
  private readonly K: Float64Array;
  /** Per node: the parameter (`index`) or output (`input`) index, or the constant. */
  private readonly index: Float64Array;
  private readonly root: number;
  /** 1 for ops the loss does not depend on (computed, not back-propagated). */
  private readonly dead: Uint8Array;
  /**
   * Fused dot-product chains (an L2 term's sum of squares, say), as in the samples' programs:
   * chain `q` starts from node `chainC[q]` and adds the products of nodes `termU[t]` and
   * `termV[t]` for `t` in `[chainStart[q], chainStart[q + 1])`; its top node's `A` holds `q`.
   */
  private readonly chainC: Int32Array;
  private readonly chainStart: Int32Array;
  private readonly termU: Int32Array;
  private readonly termV: Int32Array;

  constructor(
    readonly tape: Tape,
    readonly perSample: number,
    readonly samples: number,
  ) {
    const { nodes } = tape;
    const n = nodes.length;
    this.values = new Float64Array(n);
    this.grads = new Float64Array(n);
    this.code = new Int8Array(n);
    this.A = new Int32Array(n).fill(-1);
    this.B = new Int32Array(n).fill(-1);
    this.K = new Float64Array(n);
    this.index = new Float64Array(n);
    this.root = tape.outputs[0]!;
    this.dead = new Uint8Array(n);
    this.visits = Array.from({ length: samples }, () => []);
    nodes.forEach((node, k) => {
      switch (node.kind) {
        case 'input':
          this.code[k] = INPUT;
          this.index[k] = node.index;
          break;
        case 'param':
          this.code[k] = PARAM;
          this.index[k] = node.index;
          break;
        case 'const':
          this.code[k] = CONST;
          this.index[k] = node.value;
          break;
        case 'op':
          this.code[k] = OPS.indexOf(node.op);
          this.A[k] = node.a;
          this.B[k] = node.b;
          this.K[k] = node.arg;
      }
    });
    // Only what the loss depends on is back-propagated (eager mode's topological order).
    const live = new Uint8Array(n);
    live[this.root] = 1;
    for (let k = n - 1; k >= 0; k--) {
      if (live[k] === 0 || this.code[k]! < 0) continue;
      live[this.A[k]!] = 1;
      if (this.B[k]! >= 0) live[this.B[k]!] = 1;
    }
    // Chains are fused where that changes no number and no order of events: no sample's
    // output lies inside one (its gradient would be handed back at another point).
    const chainC: number[] = [];
    const chainStart = [0];
    const termU: number[] = [];
    const termV: number[] = [];
    for (const chain of findChains(tape).values()) {
      let inside = false;
      for (let q = chain.first + 1; q < chain.top && !inside; q++) inside = nodes[q]!.kind === 'input';
      if (inside) continue;
      for (const m of chain.muls) {
        termU.push(this.A[m]!);
        termV.push(this.B[m]!);
        this.code[m] = ABSORBED;
      }
      for (const a of chain.adds) if (a !== chain.top) this.code[a] = ABSORBED;
      this.code[chain.top] = CHAIN;
      this.A[chain.top] = chainC.push(chain.c) - 1;
      chainStart.push(termU.length);
    }
    this.chainC = Int32Array.from(chainC);
    this.chainStart = Int32Array.from(chainStart);
    this.termU = Int32Array.from(termU);
    this.termV = Int32Array.from(termV);
    for (let k = 0; k < n; k++) {
      if (live[k] === 0 && this.code[k]! >= 0) this.dead[k] = 1;
      const x = this.index[k]!;
      if (live[k] === 1 && this.code[k] === INPUT)
        this.visits[Math.floor(x / perSample)]!.push(x % perSample);
    }
    // The schedule: the backward pass below, with contributions and samples in place of numbers.
    const events: number[] = [];
    const params: number[] = [];
    const segments = this.visits.reduce((most, v) => Math.max(most, v.length), 1);
    const contribute = (operand: number) => {
      if (this.code[operand] !== PARAM) return;
      events.push(params.push(this.index[operand]!) - 1);
    };
    contribute(this.root);
    for (let k = n - 1; k >= 0; k--) {
      if (this.code[k] === INPUT && live[k] === 1) {
        const x = this.index[k]!;
        const sample = Math.floor(x / perSample);
        events.push(-1 - (sample * segments + this.visits[sample]!.indexOf(x % perSample)));
      } else if (this.code[k] === CHAIN && this.dead[k] === 0) {
        const q = this.A[k]!;
        for (let t = chainStart[q + 1]! - 1; t >= chainStart[q]!; t--) {
          if (t === chainStart[q]) contribute(chainC[q]!);
          contribute(termU[t]!);
          contribute(termV[t]!);
        }
      } else if (this.code[k]! >= 0 && this.dead[k] === 0) {
        contribute(this.A[k]!);
        if (this.B[k]! >= 0) contribute(this.B[k]!);
      }
    }
    this.segments = segments;
    this.events = Int32Array.from(events);
    this.contributionParam = Int32Array.from(params);
  }

  /**
   * The loss for the samples' outputs `O` (sample-major) and the parameters' values `P`.
   * Returns NaN when any value on the way is not finite (eager mode would have thrown).
   */
  forward(O: Float64Array, P: Float64Array): number {
    const { values: V, code, A, B, K, index } = this;
    let finite = true;
    for (let k = 0; k < code.length; k++) {
      const c = code[k]!;
      let y: number;
      if (c === ABSORBED) continue;
      if (c === INPUT) y = O[index[k]!]!;
      else if (c === PARAM) y = P[index[k]!]!;
      else if (c === CONST) y = index[k]!;
      else if (c === CHAIN) y = this.chainForward(A[k]!);
      else y = apply(c, V[A[k]!]!, B[k]! >= 0 ? V[B[k]!]! : 0, K[k]!);
      V[k] = y;
      finite &&= y - y === 0;
    }
    return finite ? V[this.root]! : NaN;
  }

  /**
   * Back-propagates the last {@link Reduction.forward}: writes each sample output's gradient
   * into `GX`, adds its first `direct` parameter contributions (those eager mode makes before
   * any sample's: see {@link Reduction.events}) into the parameters' gradient sums `G`, and
   * writes the others, in order, into `R`. Returns false when a gradient is not finite.
   */
  backward(GX: Float64Array, R: Float64Array, sums: Float64Array, direct: number): boolean {
    this.R = R;
    this.sums = sums;
    this.direct = direct;
    const { values: V, grads: G, code, A, B, K, index } = this;
    G.fill(0);
    let r = 0;
    let finite = true;
    if (code[this.root] === PARAM) this.give(r++, 1);
    else G[this.root] = G[this.root]! + 1;
    for (let k = code.length - 1; k >= 0; k--) {
      const c = code[k]!;
      if (c === INPUT) {
        GX[index[k]!] = G[k]!;
        continue;
      }
      if (c < 0 || this.dead[k] === 1) continue;
      if (c === CHAIN) {
        r = this.chainBackward(A[k]!, G[k]!, r);
        finite &&= this.chainFinite;
        continue;
      }
      const g = G[k]!;
      const a = A[k]!;
      const b = B[k]!;
      const av = V[a]!;
      const bv = b >= 0 ? V[b]! : 0;
      const da = derivative(c, av, bv, K[k]!, V[k]!, false) * g;
      if (code[a] === PARAM) this.give(r++, da);
      else G[a] = G[a]! + da;
      finite &&= da - da === 0 && G[a]! - G[a]! === 0;
      if (b >= 0) {
        const db = derivative(c, av, bv, K[k]!, V[k]!, true) * g;
        if (code[b] === PARAM) this.give(r++, db);
        else G[b] = G[b]! + db;
        finite &&= db - db === 0 && G[b]! - G[b]! === 0;
      }
    }
    return finite;
  }

  /** A chain's value: `((c + u0*v0) + u1*v1) + ...`, as eager mode adds it. */
  private chainForward(q: number): number {
    const { values: V, termU, termV, chainStart } = this;
    let sum = V[this.chainC[q]!]!;
    for (let t = chainStart[q]!; t < chainStart[q + 1]!; t++) sum = sum + V[termU[t]!]! * V[termV[t]!]!;
    return sum;
  }

  /**
   * Eager mode's steps back through a chain whose top has gradient `g`: last term first, each
   * product's operands get `v * (0 + g)` and `u * (0 + g)`; `c` gets the first sum's gradient
   * (`g` itself for one term) before the first term. Parameters' contributions are numbered
   * from `r` on (see {@link Reduction.give}); returns where they end, and sets
   * {@link Reduction.chainFinite}.
   */
  private chainBackward(q: number, g: number, r: number): number {
    const { values: V, grads: G, code, termU, termV, chainStart } = this;
    const first = chainStart[q]!;
    const gm = 0 + g;
    // Sums x - x of every number written: 0 unless one is not finite.
    let check = 0;
    for (let t = chainStart[q + 1]! - 1; t >= first; t--) {
      if (t === first) {
        const c = this.chainC[q]!;
        const dc = chainStart[q + 1]! - first === 1 ? g : gm;
        if (code[c] === PARAM) this.give(r++, dc);
        else check += (G[c] = G[c]! + dc) - G[c];
      }
      const u = termU[t]!;
      const v = termV[t]!;
      const du = PRIMITIVES.mul.da(V[u]!, V[v]!) * gm;
      check += du - du;
      if (code[u] === PARAM) this.give(r++, du);
      else check += (G[u] = G[u]! + du) - G[u];
      const dv = PRIMITIVES.mul.db(V[u]!) * gm;
      check += dv - dv;
      if (code[v] === PARAM) this.give(r++, dv);
      else check += (G[v] = G[v]! + dv) - G[v];
    }
    this.chainFinite = check === 0 && gm - gm === 0;
    return r;
  }

  /** Whether the last {@link Reduction.chainBackward} wrote only finite numbers. */
  private chainFinite = true;
  private R: Float64Array = new Float64Array(0);
  private sums: Float64Array = new Float64Array(0);
  private direct = 0;

  /** Contribution `r`, `x`: added into its parameter's gradient sum when eager mode adds it before any sample's, else recorded. */
  private give(r: number, x: number): void {
    if (r < this.direct) this.sums[this.contributionParam[r]!]! += x;
    else this.R[r] = x;
  }
}

const INPUT = -1;
const PARAM = -2;
const CONST = -3;
/** A fused chain's top (see {@link Reduction.chainStart}), and the nodes inside it. */
const CHAIN = 100;
const ABSORBED = -4;
const OPS: readonly PrimitiveOp[] = ['add', 'mul', 'pow', 'exp', 'log', 'tanh', 'relu', 'sigmoid'];

/** `PRIMITIVES[op].forward`, by opcode. */
export function apply(code: number, a: number, b: number, k: number): number {
  switch (code) {
    case 0:
      return PRIMITIVES.add.forward(a, b);
    case 1:
      return PRIMITIVES.mul.forward(a, b);
    case 2:
      return PRIMITIVES.pow.forward(a, b, k);
    case 3:
      return PRIMITIVES.exp.forward(a);
    case 4:
      return PRIMITIVES.log.forward(a);
    case 5:
      return PRIMITIVES.tanh.forward(a);
    case 6:
      return PRIMITIVES.relu.forward(a);
    default:
      return PRIMITIVES.sigmoid.forward(a);
  }
}

/** `PRIMITIVES[op].da` (or `.db`), by opcode. */
export function derivative(
  code: number,
  a: number,
  b: number,
  k: number,
  y: number,
  second: boolean,
): number {
  switch (code) {
    case 0:
      return second ? PRIMITIVES.add.db() : PRIMITIVES.add.da();
    case 1:
      return second ? PRIMITIVES.mul.db(a) : PRIMITIVES.mul.da(a, b);
    case 2:
      return PRIMITIVES.pow.da(a, b, k);
    case 3:
      return PRIMITIVES.exp.da(a, b, k, y);
    case 4:
      return PRIMITIVES.log.da(a);
    case 5:
      return PRIMITIVES.tanh.da(a, b, k, y);
    case 6:
      return PRIMITIVES.relu.da(a, b, k, y);
    default:
      return PRIMITIVES.sigmoid.da(a, b, k, y);
  }
}

export { OPS };
