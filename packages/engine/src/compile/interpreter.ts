import { PRIMITIVES, type PrimitiveOp } from '../ops.js';
import { sampleHandoffs } from './codegen.js';
import type { Kernel, SampleHandoff } from './kernel.js';
import type { Tape } from './tape.js';

const OPCODES: readonly PrimitiveOp[] = ['add', 'mul', 'pow', 'exp', 'log', 'tanh', 'relu', 'sigmoid'];
const ADD = 0, MUL = 1, POW = 2, EXP = 3, LOG = 4, TANH = 5, RELU = 6, SIGMOID = 7;

/** Called by the interpreter in checking mode when a value or gradient is not finite. */
export type NonFiniteReport = (what: 'value' | 'gradient', node: number, op: PrimitiveOp, operands: number[]) => never;

/**
 * Runs a tape from typed arrays: the back end for pages whose Content-Security-Policy forbids
 * generated code. Every slot of the tape lives in `V` (values) and `GV` (gradients) at
 * `base + node`; parameters live in the shared `P` and `G`. It evaluates the same functions
 * from ops.ts in the same order as the generated code, so results are identical bit for bit.
 */
export class InterpretedKernel implements Kernel {
  private readonly V: Float64Array;
  private readonly GV: Float64Array;
  private readonly code: Uint8Array;
  private readonly A: Int32Array;
  private readonly B: Int32Array;
  private readonly K: Float64Array;
  private readonly dst: Int32Array;
  /** Which of the operands of each op instruction need a gradient: bit 1 for a, bit 2 for b. */
  private readonly want: Uint8Array;
  /** Op instructions that pass a gradient on, in forward order. */
  private readonly backOps: Int32Array;
  private readonly inputSlot: Int32Array;
  private readonly inputIndex: Int32Array;
  private readonly outSlot: Int32Array;
  /** Per handoff: the backward position before which it runs, its sample, its members. */
  private readonly handoffs: { at: number; sample: number; members: [number, number][] }[];
  /** When set, every result is checked and the first non-finite one reported. */
  report: NonFiniteReport | null = null;

  constructor(
    private readonly tape: Tape,
    private readonly P: Float64Array,
    private readonly G: Float64Array,
    handoff: SampleHandoff | null,
  ) {
    const { nodes, needsGrad } = tape;
    const paramOf = new Int32Array(nodes.length).fill(-1);
    this.V = new Float64Array(nodes.length);
    this.GV = new Float64Array(nodes.length);
    const ops: number[] = [];
    const inputs: number[] = [];
    nodes.forEach((n, k) => {
      if (n.kind === 'param') paramOf[k] = n.index;
      else if (n.kind === 'const') this.V[k] = n.value;
      else if (n.kind === 'input') inputs.push(k);
      else ops.push(k);
    });
    this.code = new Uint8Array(ops.length);
    this.A = new Int32Array(ops.length);
    this.B = new Int32Array(ops.length);
    this.K = new Float64Array(ops.length);
    this.dst = new Int32Array(ops.length);
    this.want = new Uint8Array(ops.length);
    const back: number[] = [];
    // Parameters are addressed as negative slots -1 - index, resolved through P and G.
    const slot = (k: number) => (paramOf[k]! >= 0 ? -1 - paramOf[k]! : k);
    ops.forEach((k, i) => {
      const n = nodes[k]!;
      if (n.kind !== 'op') return;
      this.code[i] = OPCODES.indexOf(n.op);
      this.A[i] = slot(n.a);
      this.B[i] = n.b >= 0 ? slot(n.b) : slot(n.a);
      this.K[i] = n.arg;
      this.dst[i] = k;
      this.want[i] = (needsGrad[n.a]! ? 1 : 0) | (n.b >= 0 && needsGrad[n.b]! ? 2 : 0);
      if (needsGrad[k] && this.want[i] !== 0) back.push(i);
    });
    this.backOps = Int32Array.from(back);
    this.inputSlot = Int32Array.from(inputs);
    this.inputIndex = Int32Array.from(inputs.map((k) => (nodes[k] as { index: number }).index));
    this.outSlot = Int32Array.from(tape.outputs.map(slot));
    // A handoff at node k runs once every op after k has passed its gradient on.
    const backPos = (k: number) => back.filter((i) => this.dst[i]! < k).length;
    this.handoffs =
      handoff === null
        ? []
        : [...sampleHandoffs(tape, handoff.perSample)]
            .map(([k, h]) => ({ at: backPos(k), node: k, ...h }))
            .sort((x, y) => y.node - x.node)
            .map(({ at, sample, members }) => ({ at, sample, members }));
  }

  private read(s: number): number {
    return s >= 0 ? this.V[s]! : this.P[-1 - s]!;
  }

  forward(X: Float64Array, xo: number, O: Float64Array, oo: number): void {
    this.run(X, xo);
    const out = this.outSlot;
    for (let j = 0; j < out.length; j++) O[oo + j] = this.read(out[j]!);
  }

  private run(X: Float64Array, xo: number): void {
    const { V, P, code, A, B, K, dst, inputSlot, inputIndex } = this;
    for (let i = 0; i < inputSlot.length; i++) V[inputSlot[i]!] = X[xo + inputIndex[i]!]!;
    const n = code.length;
    for (let i = 0; i < n; i++) {
      const sa = A[i]!;
      const sb = B[i]!;
      const a = sa >= 0 ? V[sa]! : P[-1 - sa]!;
      const b = sb >= 0 ? V[sb]! : P[-1 - sb]!;
      let y: number;
      switch (code[i]) {
        case ADD: y = PRIMITIVES.add.forward(a, b); break;
        case MUL: y = PRIMITIVES.mul.forward(a, b); break;
        case POW: y = PRIMITIVES.pow.forward(a, 0, K[i]!); break;
        case EXP: y = PRIMITIVES.exp.forward(a); break;
        case LOG: y = PRIMITIVES.log.forward(a); break;
        case TANH: y = PRIMITIVES.tanh.forward(a); break;
        case RELU: y = PRIMITIVES.relu.forward(a); break;
        default: y = PRIMITIVES.sigmoid.forward(a); break;
      }
      V[dst[i]!] = y;
      if (this.report !== null && !(y - y === 0)) this.report('value', dst[i]!, OPCODES[code[i]!]!, [a, b]);
    }
  }

  backward(
    X: Float64Array,
    xo: number,
    S: Float64Array,
    so: number,
    GX: Float64Array | null,
    sample: ((i: number) => void) | null,
  ): void {
    this.run(X, xo);
    const { V, GV, G, P, code, A, B, K, dst, want, backOps, outSlot, handoffs } = this;
    GV.fill(0);
    for (let j = 0; j < outSlot.length; j++) {
      const s = outSlot[j]!;
      if (s >= 0) GV[s] = GV[s]! + S[so + j]!;
      else G[-1 - s] = G[-1 - s]! + S[so + j]!;
    }
    let h = 0;
    for (let j = backOps.length - 1; j >= -1; j--) {
      while (h < handoffs.length && handoffs[h]!.at === j + 1) {
        const { sample: i, members } = handoffs[h++]!;
        for (const [x, node] of members) GX![x] = node === -1 ? 0 : GV[node]!;
        sample!(i);
      }
      if (j < 0) break;
      const i = backOps[j]!;
      const sa = A[i]!;
      const sb = B[i]!;
      const a = sa >= 0 ? V[sa]! : P[-1 - sa]!;
      const b = sb >= 0 ? V[sb]! : P[-1 - sb]!;
      const y = V[dst[i]!]!;
      const g = GV[dst[i]!]!;
      let da: number;
      let db = 0;
      switch (code[i]) {
        case ADD: da = PRIMITIVES.add.da() * g; db = PRIMITIVES.add.db() * g; break;
        case MUL: da = PRIMITIVES.mul.da(a, b) * g; db = PRIMITIVES.mul.db(a) * g; break;
        case POW: da = PRIMITIVES.pow.da(a, 0, K[i]!) * g; break;
        case EXP: da = PRIMITIVES.exp.da(a, 0, 0, y) * g; break;
        case LOG: da = PRIMITIVES.log.da(a) * g; break;
        case TANH: da = PRIMITIVES.tanh.da(a, 0, 0, y) * g; break;
        case RELU: da = PRIMITIVES.relu.da(a, 0, 0, y) * g; break;
        default: da = PRIMITIVES.sigmoid.da(a, 0, 0, y) * g; break;
      }
      const w = want[i]!;
      if (w & 1) {
        if (sa >= 0) GV[sa] = GV[sa]! + da;
        else G[-1 - sa] = G[-1 - sa]! + da;
      }
      if (w & 2) {
        if (sb >= 0) GV[sb] = GV[sb]! + db;
        else G[-1 - sb] = G[-1 - sb]! + db;
      }
      if (this.report !== null && !(da - da === 0 && db - db === 0)) {
        this.report('gradient', dst[i]!, OPCODES[code[i]!]!, [a, b]);
      }
    }
  }

  /** The tape this kernel runs (for error messages). */
  get source(): Tape {
    return this.tape;
  }
}
