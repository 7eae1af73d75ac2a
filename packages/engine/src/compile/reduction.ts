import { PRIMITIVES, type PrimitiveOp } from '../ops.js';
import { allFinite } from './finite.js';
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
  /**
   * Whether the loss is linear in the samples' outputs, so that its backward pass reads no
   * output's value: every op on an output is an `add`, or a `mul` by a constant (a sum, a
   * mean). Then the outputs' gradients and the reduction's contributions are known before
   * the samples run, and each tile can run forward and backward in one pass.
   */
  readonly linear: boolean;
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
  /**
   * Fused dot-product chains (an L2 term's sum of squares, say), as in the samples' programs:
   * chain `q` starts from node `chainC[q]` and adds the products of nodes `termU[t]` and
   * `termV[t]` for `t` in `[chainStart[q], chainStart[q + 1])`; its top node's `A` holds `q`.
   */
  private readonly chainC: Int32Array;
  private readonly chainStart: Int32Array;
  private readonly termU: Int32Array;
  private readonly termV: Int32Array;
  /** Fused sums of samples' outputs: sum `q` is `sumC[q]` plus `sumTerms[sumStart[q] ..]`; its top's `A` holds `q`. */
  private readonly sumC: Int32Array;
  private readonly sumStart: Int32Array;
  private readonly sumTerms: Int32Array;

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
    this.visits = Array.from({ length: samples }, () => []);
    for (let k = 0; k < n; k++) {
      const node = nodes[k]!;
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
    }
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
    // (Indexed loops and forEach in this constructor: see findChains.)
    findChains(tape).forEach((chain) => {
      let inside = false;
      for (let q = chain.first + 1; q < chain.top && !inside; q++) inside = nodes[q]!.kind === 'input';
      if (inside) return;
      const { muls, adds } = chain;
      for (let j = 0; j < muls.length; j++) {
        const m = muls[j]!;
        termU.push(this.A[m]!);
        termV.push(this.B[m]!);
        this.code[m] = ABSORBED;
      }
      for (let j = 0; j < adds.length; j++) if (adds[j] !== chain.top) this.code[adds[j]!] = ABSORBED;
      this.code[chain.top] = CHAIN;
      this.A[chain.top] = chainC.push(chain.c) - 1;
      chainStart.push(termU.length);
    });
    this.chainC = Int32Array.from(chainC);
    this.chainStart = Int32Array.from(chainStart);
    this.termU = Int32Array.from(termU);
    this.termV = Int32Array.from(termV);

    // Sums of samples' outputs, `((c + o0) + o1) + ...` (a mean's numerator), are fused too:
    // each running sum used once, every term an output (so nothing else lies inside), `c` not
    // a parameter (the sum makes no contribution whose place could move).
    const uses = new Int32Array(n);
    uses[this.root]!++;
    for (let k = 0; k < n; k++) {
      if (this.code[k]! < 0) continue;
      if (this.code[k] === CHAIN) {
        const q = this.A[k]!;
        uses[chainC[q]!]!++;
        for (let t = chainStart[q]!; t < chainStart[q + 1]!; t++) {
          uses[termU[t]!]!++;
          uses[termV[t]!]!++;
        }
        continue;
      }
      uses[this.A[k]!]!++;
      if (this.B[k]! >= 0) uses[this.B[k]!]!++;
    }
    const sumC: number[] = [];
    const sumStart = [0];
    const sumTerms: number[] = [];
    const open = new Map<number, { c: number; terms: number[]; adds: number[] }>();
    const add = OPS.indexOf('add');
    for (let k = 0; k < n; k++) {
      if (this.code[k] !== add || this.code[this.B[k]!] !== INPUT) continue;
      const a = this.A[k]!;
      const running = open.get(a);
      if (running !== undefined && uses[a] === 1) {
        open.delete(a);
        running.terms.push(this.B[k]!);
        running.adds.push(k);
        open.set(k, running);
      } else if (this.code[a] !== PARAM) {
        open.set(k, { c: a, terms: [this.B[k]!], adds: [k] });
      }
    }
    open.forEach(({ c, terms, adds }, top) => {
      if (terms.length < 2) return;
      for (let j = 0; j < adds.length; j++) if (adds[j] !== top) this.code[adds[j]!] = ABSORBED;
      this.code[top] = SUM;
      this.A[top] = sumC.push(c) - 1;
      for (let j = 0; j < terms.length; j++) sumTerms.push(terms[j]!);
      sumStart.push(sumTerms.length);
    });
    this.sumC = Int32Array.from(sumC);
    this.sumStart = Int32Array.from(sumStart);
    this.sumTerms = Int32Array.from(sumTerms);
    // 1 for ops the loss does not depend on (computed, not back-propagated).
    const dead = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      if (live[k] === 0 && this.code[k]! >= 0) dead[k] = 1;
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
      } else if (this.code[k] === SUM) {
        // A sum of outputs makes no contribution of its own.
      } else if (this.code[k] === CHAIN && dead[k] === 0) {
        const q = this.A[k]!;
        for (let t = chainStart[q + 1]! - 1; t >= chainStart[q]!; t--) {
          if (t === chainStart[q]) contribute(chainC[q]!);
          contribute(termU[t]!);
          contribute(termV[t]!);
        }
      } else if (this.code[k]! >= 0 && dead[k] === 0) {
        contribute(this.A[k]!);
        if (this.B[k]! >= 0) contribute(this.B[k]!);
      }
    }
    this.segments = segments;
    const { on, linear } = dependence(tape);
    this.linear = linear;
    // Products of an output's value and a constant used nowhere else: all that a linear loss's
    // backward pass computes from outputs, when that is all (see Reduction.checkFactors).
    const factors: number[] = [];
    let quick = linear;
    for (let k = 0; k < n && quick; k++) {
      const node = nodes[k]!;
      if (node.kind !== 'op' || node.op !== 'mul' || on[k] !== 1) continue;
      const [o, f] = on[node.a] === 1 ? [node.a, node.b] : [node.b, node.a];
      const c = this.code[k]!;
      quick =
        c >= 0 &&
        c !== CHAIN &&
        c !== SUM &&
        this.code[o] !== ABSORBED &&
        nodes[f]!.kind === 'const' &&
        uses[f] === 1;
      factors.push(k, o);
    }
    this.factors = quick ? Int32Array.from(factors) : null;
    this.events = Int32Array.from(events);
    this.contributionParam = Int32Array.from(params);

    // What the passes below visit, precomputed: they run every step. (Plain loops, no callback
    // per node: this runs once per batch size, before V8 has optimised any of it.)
    // Per node: the parameter it is, or -1.
    const param = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) if (this.code[k] === PARAM) param[k] = this.index[k]!;
    this.parametersOnly = new Uint8Array(chainC.length);
    for (let q = 0; q < chainC.length; q++) {
      let only = param[chainC[q]!]! < 0;
      for (let t = chainStart[q]!; only && t < chainStart[q + 1]!; t++) {
        only = param[termU[t]!]! >= 0 && param[termV[t]!]! >= 0;
      }
      this.parametersOnly[q] = only ? 1 : 0;
    }
    const steps: number[] = [];
    const backSteps: number[] = [];
    const leaves = { param: [] as number[], input: [] as number[] };
    for (let k = 0; k < n; k++) {
      const c = this.code[k]!;
      if (c === CONST) this.values[k] = this.index[k]!;
      else if (c === PARAM) leaves.param.push(k);
      else if (c === INPUT) leaves.input.push(k);
      else if (c >= 0) steps.push(k);
      if (c >= 0 && dead[k] === 0) backSteps.push(k);
    }
    this.steps = Int32Array.from(steps);
    this.parameterSteps = Int32Array.from(steps.filter((k) => on[k] !== 1));
    // The nodes that receive gradients (every other node's is never read; a parameter's
    // contributions go to its sum or to R, not to its node), each listed once.
    const receivers: number[] = [];
    const receiving = new Uint8Array(n);
    // `parameters`: whether a parameter in `list` receives (it never does as an operand).
    const offer = (list: ArrayLike<number>, parameters: boolean) => {
      for (let j = 0; j < list.length; j++) {
        const k = list[j]!;
        if (k < 0 || receiving[k] === 1 || (!parameters && this.code[k] === PARAM)) continue;
        receiving[k] = 1;
        receivers.push(k);
      }
    };
    offer([this.root], true);
    offer(sumC, true);
    offer(sumTerms, true);
    offer(chainC, false);
    offer(termU, false);
    offer(termV, false);
    const operands: number[] = [];
    for (let j = 0; j < steps.length; j++) {
      const k = steps[j]!;
      if (this.code[k] === CHAIN || this.code[k] === SUM) continue;
      operands.push(this.A[k]!, this.B[k]!);
    }
    offer(operands, false);
    this.receivers = Int32Array.from(receivers);
    this.backSteps = Int32Array.from(backSteps.reverse());
    // Parameters that only chains' terms read are not copied into V: chains read them from `P`.
    const read = new Uint8Array(n);
    read[this.root] = 1;
    for (let q = 0; q < chainC.length; q++) read[chainC[q]!] = 1;
    for (let q = 0; q < sumC.length; q++) read[sumC[q]!] = 1;
    for (let k = 0; k < n; k++) {
      if (this.code[k]! < 0 || this.code[k] === CHAIN || this.code[k] === SUM) continue;
      read[this.A[k]!] = 1;
      if (this.B[k]! >= 0) read[this.B[k]!] = 1;
    }
    const loaded = leaves.param.filter((k) => read[k] === 1);
    this.paramNodes = Int32Array.from(loaded);
    this.paramIndex = pick(loaded, this.index);
    this.inputNodes = Int32Array.from(leaves.input);
    this.inputIndex = pick(leaves.input, this.index);
    this.paramA = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) {
      const c = this.code[k]!;
      if (c >= 0 && c !== CHAIN && c !== SUM && this.A[k]! >= 0) this.paramA[k] = param[this.A[k]!]!;
    }
    this.paramB = pick(this.B, param);
    this.chainParamC = pick(chainC, param);
    this.termParamU = pick(termU, param);
    this.termParamV = pick(termV, param);
  }

  /**
   * For a linear loss whose products of outputs and constants are all plain nodes, each by a
   * constant used once: those products' nodes and their output's operand, side by side; else null.
   */
  readonly factors: Int32Array | null;
  /** The steps that depend on no output (parameters' terms, constants). */
  private readonly parameterSteps: Int32Array;

  /** Per chain: 1 when every term is a product of parameters and `c` is not one (an L2 term). */
  private readonly parametersOnly: Uint8Array;

  /** Op nodes and chain tops, in order; live ones, last first; leaves by kind. */
  private readonly steps: Int32Array;
  private readonly receivers: Int32Array;
  private readonly backSteps: Int32Array;
  private readonly paramNodes: Int32Array;
  private readonly paramIndex: Int32Array;
  private readonly inputNodes: Int32Array;
  private readonly inputIndex: Int32Array;
  /** Per operand: the parameter it is, or -1 (its contributions are then recorded, not added). */
  private readonly paramA: Int32Array;
  private readonly paramB: Int32Array;
  private readonly chainParamC: Int32Array;
  private readonly termParamU: Int32Array;
  private readonly termParamV: Int32Array;

  /**
   * The loss for the samples' outputs `O` (sample-major) and the parameters' values `P`.
   * Returns NaN when any value on the way is not finite (eager mode would have thrown).
   */
  forward(O: Float64Array, P: Float64Array, kernels: ProductKernels | null = null): number {
    this.kernels = kernels;
    gather(this.values, this.inputNodes, O, this.inputIndex);
    return this.run(this.steps, P);
  }

  /**
   * What a linear loss's backward pass needs before the samples run (see
   * {@link Reduction.factors}): the values that depend on no output, and 0 for the outputs'
   * operands of the products by constants (whose gradients {@link Reduction.checkFactors}
   * checks afterwards).
   */
  forwardParameters(P: Float64Array, kernels: ProductKernels | null = null): void {
    this.kernels = kernels;
    this.run(this.parameterSteps, P);
    const factors = this.factors!;
    for (let j = 0; j < factors.length; j += 2) this.values[factors[j + 1]!] = 0;
  }

  /**
   * After {@link Reduction.forward} on the real outputs: whether each product of an output's
   * value and a constant gives the constant a finite gradient (eager mode checks it), the
   * product's own gradient being the one the last {@link Reduction.backward} found.
   */
  checkFactors(): boolean {
    const { values: V, grads: G } = this;
    const factors = this.factors!;
    let check = 0;
    for (let j = 0; j < factors.length; j += 2) {
      const d = PRIMITIVES.mul.db(V[factors[j + 1]!]!) * G[factors[j]!]!;
      check += d - d;
    }
    return check === 0;
  }

  /** Runs `steps` forward (parameters read from `P`); returns the root's value, or NaN when one is not finite. */
  private run(steps: Int32Array, P: Float64Array): number {
    const { values: V, code, A, B, K, paramNodes, paramIndex } = this;
    this.P = P;
    gather(V, paramNodes, P, paramIndex);
    // Sums y - y of every op's value: 0 unless one is not finite (parameters and outputs are).
    let check = 0;
    for (let j = 0; j < steps.length; j++) {
      const k = steps[j]!;
      const c = code[k]!;
      const y =
        c === CHAIN
          ? this.chainForward(A[k]!, P)
          : c === SUM
            ? this.sumForward(A[k]!)
            : apply(c, V[A[k]!]!, B[k]! >= 0 ? V[B[k]!]! : 0, K[k]!);
      V[k] = y;
      check += y - y;
    }
    return check === 0 ? V[this.root]! : NaN;
  }

  /**
   * Back-propagates the last {@link Reduction.forward}: writes each sample output's gradient
   * into `GX`, adds its first `direct` parameter contributions (those eager mode makes before
   * any sample's: see {@link Reduction.events}) into the parameters' gradient sums `sums`, and
   * writes the others, in order, into `R`. Returns false when a gradient is not finite.
   */
  backward(
    GX: Float64Array,
    R: Float64Array,
    sums: Float64Array,
    direct: number,
    kernels: ProductKernels | null = null,
  ): boolean {
    this.kernels = kernels;
    const { values: V, grads: G, code, A, B, K, index, backSteps, paramA, paramB, receivers } = this;
    // Only the nodes that receive a gradient are read: when they are over a quarter of all, one
    // native fill of every node is cheaper than a loop over them.
    if (4 * receivers.length > G.length) G.fill(0);
    else for (let j = 0; j < receivers.length; j++) G[receivers[j]!] = 0;
    let r = 0;
    let check = 0;
    const root = this.root;
    if (code[root] === PARAM) {
      if (direct > 0) sums[index[root]!]! += 1;
      else R[0] = 1;
      r++;
    } else G[root] = G[root]! + 1;
    for (let j = 0; j < backSteps.length; j++) {
      const k = backSteps[j]!;
      const c = code[k]!;
      if (c === SUM) {
        check += this.sumBackward(A[k]!, G[k]!);
        continue;
      }
      if (c === CHAIN) {
        r = this.chainBackward(A[k]!, G[k]!, r, R, sums, direct);
        check += this.chainCheck;
        continue;
      }
      const g = G[k]!;
      const b = B[k]!;
      const av = V[A[k]!]!;
      const bv = b >= 0 ? V[b]! : 0;
      // Operand a, then b: a node's gradient, or a parameter's contribution.
      for (let second = 0; second < (b >= 0 ? 2 : 1); second++) {
        const operand = second === 0 ? A[k]! : b;
        const p = second === 0 ? paramA[k]! : paramB[k]!;
        const d = derivative(c, av, bv, K[k]!, V[k]!, second === 1) * g;
        check += d - d;
        if (p < 0) check += (G[operand] = G[operand]! + d) - G[operand];
        else if (r++ < direct) sums[p]! += d;
        else R[r - 1] = d;
      }
    }
    // Each output's gradient is complete once the loop is done (nothing else adds into it);
    // the sums of outputs leave theirs to this check (a sum that is not finite stays so).
    gather(GX, this.inputIndex, G, this.inputNodes);
    return check === 0 && allFinite(GX, 0, GX.length);
  }

  /** A chain's value: `((c + u0*v0) + u1*v1) + ...`, as eager mode adds it (products of parameters read from `P`). */
  private chainForward(q: number, P: Float64Array): number {
    const { values: V, termU, termV, chainStart } = this;
    let sum = V[this.chainC[q]!]!;
    const end = chainStart[q + 1]!;
    if (this.parametersOnly[q] === 1) {
      if (this.kernels !== null) return this.kernels.forward(q, sum);
      return productsForward(P, sum, this.termParamU, this.termParamV, chainStart[q]!, end);
    }
    const { termParamU: pu, termParamV: pv } = this;
    for (let t = chainStart[q]!; t < end; t++) {
      const xu = pu[t]! < 0 ? V[termU[t]!]! : P[pu[t]!]!;
      sum = sum + PRIMITIVES.mul.forward(xu, pv[t]! < 0 ? V[termV[t]!]! : P[pv[t]!]!);
    }
    return sum;
  }

  /**
   * Eager mode's steps back through a chain whose top has gradient `g`: last term first, each
   * product's operands get `v * (0 + g)` and `u * (0 + g)`; `c` gets the first sum's gradient
   * (`g` itself for one term) before the first term. Parameters' contributions are numbered
   * from `r` on, added into `sums` below `direct`, else recorded in `R`; returns where they
   * end, and sets {@link Reduction.chainCheck}.
   */
  private chainBackward(
    q: number,
    g: number,
    r: number,
    R: Float64Array,
    sums: Float64Array,
    direct: number,
  ): number {
    const { values: V, grads: G, P, termU, termV, termParamU, termParamV, chainStart } = this;
    const first = chainStart[q]!;
    const end = chainStart[q + 1]!;
    const gm = 0 + g;
    // Sums x - x of every number written: 0 unless one is not finite.
    let check = gm - gm;
    if (this.parametersOnly[q] === 1 && r + 2 * (end - first) <= direct) {
      // An L2 term, say: every contribution goes straight into its parameter's sum.
      // Terms last to first; c's contribution (to a node, not a parameter) comes before the
      // first term's, and no term's goes to c, so it can be made after the loop.
      // The back end's loop adds into the same sums (its own memory); a contribution that is not
      // finite makes its sum so, which the final check of every sum finds.
      if (this.kernels !== null) this.kernels.backward(q, gm);
      else check += productsBackward(P, sums, termParamU, termParamV, first, end, gm);
      const c = this.chainC[q]!;
      check += (G[c] = G[c]! + (end - first === 1 ? g : gm)) - G[c];
      this.chainCheck = check;
      return r + 2 * (end - first);
    }
    for (let t = end - 1; t >= first; t--) {
      if (t === first) {
        const c = this.chainC[q]!;
        const pc = this.chainParamC[q]!;
        const dc = end - first === 1 ? g : gm;
        if (pc < 0) check += (G[c] = G[c]! + dc) - G[c];
        else if (r++ < direct) sums[pc]! += dc;
        else R[r - 1] = dc;
      }
      const u = termU[t]!;
      const v = termV[t]!;
      const pu = termParamU[t]!;
      const pv = termParamV[t]!;
      // A parameter's number is in P (only the parameters other ops read are copied into V).
      const xu = pu < 0 ? V[u]! : P[pu]!;
      const du = PRIMITIVES.mul.da(xu, pv < 0 ? V[v]! : P[pv]!) * gm;
      const dv = PRIMITIVES.mul.db(xu) * gm;
      check += du - du + (dv - dv);
      if (pu < 0) check += (G[u] = G[u]! + du) - G[u];
      else if (r++ < direct) sums[pu]! += du;
      else R[r - 1] = du;
      if (pv < 0) check += (G[v] = G[v]! + dv) - G[v];
      else if (r++ < direct) sums[pv]! += dv;
      else R[r - 1] = dv;
    }
    this.chainCheck = check;
    return r;
  }

  /** A sum of outputs' value, `((c + o0) + o1) + ...`, as eager mode adds it. */
  private sumForward(q: number): number {
    const { values: V, sumStart } = this;
    return sumOf(V, V[this.sumC[q]!]!, this.sumTerms, sumStart[q]!, sumStart[q + 1]!);
  }

  /**
   * Eager mode's steps back through a sum of outputs whose top has gradient `g`: each add
   * passes `1 * g` to its output and `0 + 1 * g` to the running sum below it (which starts from
   * 0), the first add `1 * g` to `c`. Returns `x - x` of `c`'s gradient; the outputs' are
   * checked once {@link Reduction.backward} has gathered them (one that is not finite stays so).
   */
  private sumBackward(q: number, g: number): number {
    const { grads: G, sumTerms, sumStart } = this;
    const first = sumStart[q]!;
    const last = sumStart[q + 1]! - 1;
    const top = sumTerms[last]!;
    G[top] = G[top]! + PRIMITIVES.add.db() * g;
    // Below the top every add passes on the same number: `0 + 1 * g` is `g` again once `g` has
    // been through it (it only turns -0 into 0), so the loop carries no chain from term to term.
    const below = last > first ? 0 + PRIMITIVES.add.da() * g : g;
    const d = PRIMITIVES.add.db() * below;
    addToEach(G, sumTerms, first, last, d);
    const c = this.sumC[q]!;
    return (G[c] = G[c]! + PRIMITIVES.add.da() * below) - G[c];
  }

  /**
   * The chains of products of parameters as a back end runs them (see {@link ProductKernels}):
   * int32 words, per such chain two words for a number (its running sum or gradient) and then
   * two per term (the parameters `u` and `v`); `at[q]` is where chain `q`'s number is, in
   * numbers (pairs of words), or -1. Null when there is no such chain.
   */
  productTable(): { words: Int32Array; at: Int32Array } | null {
    const { chainStart, termParamU, termParamV, parametersOnly } = this;
    const at = new Int32Array(parametersOnly.length).fill(-1);
    const words: number[] = [];
    for (let q = 0; q < parametersOnly.length; q++) {
      if (parametersOnly[q] !== 1) continue;
      at[q] = words.length / 2;
      words.push(0, 0);
      for (let t = chainStart[q]!; t < chainStart[q + 1]!; t++) words.push(termParamU[t]!, termParamV[t]!);
    }
    return words.length === 0 ? null : { words: Int32Array.from(words), at };
  }

  /** Terms of chain `q`. */
  chainTerms(q: number): number {
    return this.chainStart[q + 1]! - this.chainStart[q]!;
  }

  /** The back end's loops for the products of parameters in the current pass, or null for this file's. */
  private kernels: ProductKernels | null = null;

  /** The parameters' values of the last {@link Reduction.forward}. */
  private P: Float64Array = new Float64Array(0);

  /** The sum of `x - x` over what the last {@link Reduction.chainBackward} wrote: 0 unless one is not finite. */
  private chainCheck = 0;
}

// Loops over many nodes live in small functions of their own: V8 optimises them at once,
// and on-stack replacement inside the passes above would leave those deoptimising each call.

/**
 * A chain of products of parameters (an L2 term) run by the back end, with the numbers of
 * {@link productsForward} and {@link productsBackward} (see {@link Reduction.productTable}):
 * `forward` returns `((sum + u0*v0) + u1*v1) + ...`; `backward` adds each term's contributions
 * into the gradient sums the backward pass was given (they must be the back end's memory).
 */
export interface ProductKernels {
  forward(q: number, sum: number): number;
  backward(q: number, gm: number): void;
}

/**
 * `table[source[k]]` for each k, or -1 where `source[k]` is -1, as a plain loop: no callback per
 * number (`Int32Array.from(source, f)` takes a slow path in V8, about 150 ns a number).
 */
function pick(source: ArrayLike<number>, table: ArrayLike<number>): Int32Array {
  const out = new Int32Array(source.length);
  for (let k = 0; k < source.length; k++) out[k] = source[k]! < 0 ? -1 : table[source[k]!]!;
  return out;
}

/**
 * What each node depends on: 1 on an output, 2 on a parameter (and no output), 0 on constants
 * alone; and whether the loss is linear in the outputs (see {@link Reduction.linear}).
 */
function dependence({ nodes }: Tape): { on: Uint8Array; linear: boolean } {
  const on = new Uint8Array(nodes.length);
  let linear = true;
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (node.kind !== 'op') {
      on[k] = node.kind === 'input' ? 1 : node.kind === 'param' ? 2 : 0;
      continue;
    }
    const a = on[node.a]!;
    const b = node.b >= 0 ? on[node.b]! : 0;
    if (a !== 1 && b !== 1) {
      on[k] = Math.max(a, b);
      continue;
    }
    on[k] = 1;
    if (node.op === 'add') continue;
    // A product's gradient to one factor is the other's value: a factor made of constants alone
    // receives it (and only checks it), and gives the output's a number known beforehand.
    if (node.op === 'mul' && (a === 1 ? b : a) === 0) continue;
    linear = false;
  }
  return { on, linear };
}

/** `G[terms[t]] += d` for `t` in `[from, to)`, last first (as eager mode adds them). */
function addToEach(G: Float64Array, terms: Int32Array, from: number, to: number, d: number): void {
  for (let t = to - 1; t >= from; t--) {
    const o = terms[t]!;
    G[o] = G[o]! + d;
  }
}

/** `to[at[j]] = from[index[j]]` for every j. */
function gather(to: Float64Array, at: Int32Array, from: Float64Array, index: Int32Array): void {
  for (let j = 0; j < at.length; j++) to[at[j]!] = from[index[j]!]!;
}

/** `((sum + P[u[from]] * P[v[from]]) + ...)`: a chain of products of parameters (an L2 term). */
function productsForward(
  P: Float64Array,
  sum: number,
  u: Int32Array,
  v: Int32Array,
  from: number,
  to: number,
): number {
  for (let t = from; t < to; t++) sum = sum + PRIMITIVES.mul.forward(P[u[t]!]!, P[v[t]!]!);
  return sum;
}

/**
 * Back through a chain of products of parameters, last term first: `P[v] * gm` into `u`'s sum,
 * then `P[u] * gm` into `v`'s. Returns the sum of `x - x` over the contributions.
 */
function productsBackward(
  P: Float64Array,
  sums: Float64Array,
  u: Int32Array,
  v: Int32Array,
  from: number,
  to: number,
  gm: number,
): number {
  let check = 0;
  for (let t = to - 1; t >= from; t--) {
    const pu = u[t]!;
    const pv = v[t]!;
    const xu = P[pu]!;
    const du = PRIMITIVES.mul.da(xu, P[pv]!) * gm;
    const dv = PRIMITIVES.mul.db(xu) * gm;
    if (pu === pv) {
      // p * p: both additions in a register, in the same order.
      sums[pu] = sums[pu]! + du + dv;
    } else {
      sums[pu]! += du;
      sums[pv]! += dv;
    }
    check += du - du + (dv - dv);
  }
  return check;
}

/** `((sum + V[terms[from]]) + ...) + V[terms[to - 1]]`, with add's own spelling. */
function sumOf(V: Float64Array, sum: number, terms: Int32Array, from: number, to: number): number {
  for (let t = from; t < to; t++) sum = PRIMITIVES.add.forward(sum, V[terms[t]!]!);
  return sum;
}

const INPUT = -1;
const PARAM = -2;
const CONST = -3;
/** A fused chain's top (see {@link Reduction.chainStart}), and the nodes inside it. */
const CHAIN = 100;
/** A fused sum of outputs' top (see {@link Reduction.sumStart}). */
const SUM = 101;
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
