import { PRIMITIVES, type PrimitiveOp } from '../ops.js';
import { findChains } from './fuse.js';
import { sampleHandoffs, type Kernel, type SampleHandoff } from './kernel.js';
import type { Tape } from './tape.js';

const OPCODES: readonly PrimitiveOp[] = ['add', 'mul', 'pow', 'exp', 'log', 'tanh', 'relu', 'sigmoid'];
const ADD = 0, MUL = 1, POW = 2, EXP = 3, LOG = 4, TANH = 5, RELU = 6, SIGMOID = 7;
/** A fused dot-product chain (see fuse.ts). */
const CHAIN = 8;

/** Called in checking mode at the first value or gradient that is not finite. */
export type NonFiniteReport = (what: 'value' | 'gradient', node: number, op: PrimitiveOp, operands: number[]) => never;

/**
 * Runs a tape from typed arrays: the back end for pages whose Content-Security-Policy forbids
 * generated code. It evaluates the functions of ops.ts in the same order as the generated
 * code, so the two agree bit for bit.
 *
 * Addressing is branch-free: the program's buffers put the parameters first
 * (`V = [P | sample slices | reduction]`, `GV = [G | scratch]`), and an operand's address is
 * `index + base * isNode`, which is the parameter itself for a parameter and the node's slot in
 * the current slice otherwise.
 */
export class InterpretedKernel implements Kernel {
  readonly size: number;
  private readonly code: Uint8Array;
  private readonly A: Int32Array;
  private readonly B: Int32Array;
  /** 1 where the operand is a node of the slice, 0 where it is a parameter. */
  private readonly AN: Int32Array;
  private readonly BN: Int32Array;
  private readonly K: Float64Array;
  private readonly D: Int32Array;
  /** Per chain instruction: where its terms start in CU/CV, and how many there are. */
  private readonly CS: Int32Array;
  private readonly CL: Int32Array;
  /** The chains' terms `u_j * v_j`, addressed like A and B. */
  private readonly CU: Int32Array;
  private readonly CUN: Int32Array;
  private readonly CV: Int32Array;
  private readonly CVN: Int32Array;
  /** Op instructions that pass a gradient on. */
  private readonly backOps: Int32Array;
  private readonly inputSlot: Int32Array;
  private readonly inputIndex: Int32Array;
  private readonly constSlot: Int32Array;
  private readonly constValue: Float64Array;
  private readonly out: Int32Array;
  private readonly outN: Int32Array;
  private readonly handoffs: { at: number; sample: number; members: [number, number][] }[];
  /** Gradient slots to clear before each backward pass. */
  private readonly zero: Int32Array;
  /** When set, every result is checked and the first non-finite one reported. */
  report: NonFiniteReport | null = null;

  /**
   * @param GV - the program's gradient buffer: `G` first, then this kernel's scratch at `gbase`
   * @param fuse - run dot-product chains as single instructions (off when diagnosing, so
   *   errors name the exact op)
   */
  constructor(
    tape: Tape,
    private readonly GV: Float64Array,
    private readonly gbase: number,
    handoff: SampleHandoff | null,
    fuse = true,
  ) {
    const { nodes, needsGrad } = tape;
    const chains = fuse ? findChains(tape) : new Map<number, never>();
    const absorbed = new Set<number>();
    for (const chain of chains.values()) {
      for (const m of chain.muls) absorbed.add(m);
      for (const a of chain.adds) if (a !== chain.top) absorbed.add(a);
    }
    const ops: number[] = [];
    const inputs: number[] = [];
    const consts: number[] = [];
    nodes.forEach((n, k) => {
      if (n.kind === 'input') inputs.push(k);
      else if (n.kind === 'const') consts.push(k);
      else if (n.kind === 'op' && !absorbed.has(k)) ops.push(k);
    });
    // Slots only for the values that exist (inputs, constants, unfused ops), in topological
    // order: a sample's slice is a tenth of the tape's length and stays in cache.
    const slotOf = new Int32Array(nodes.length).fill(-1);
    let slots = 0;
    nodes.forEach((n, k) => {
      if (n.kind === 'input' || n.kind === 'const' || (n.kind === 'op' && !absorbed.has(k))) slotOf[k] = slots++;
    });
    this.size = slots;
    const address = (k: number): [number, number] => {
      const n = nodes[k]!;
      return n.kind === 'param' ? [n.index, 0] : [slotOf[k]!, 1];
    };
    const count = ops.length;
    this.code = new Uint8Array(count);
    this.A = new Int32Array(count);
    this.B = new Int32Array(count);
    this.AN = new Int32Array(count);
    this.BN = new Int32Array(count);
    this.K = new Float64Array(count);
    this.D = new Int32Array(count);
    const back: number[] = [];
    const terms = [...chains.values()].reduce((t, c) => t + c.muls.length, 0);
    this.CS = new Int32Array(count);
    this.CL = new Int32Array(count);
    this.CU = new Int32Array(terms);
    this.CUN = new Int32Array(terms);
    this.CV = new Int32Array(terms);
    this.CVN = new Int32Array(terms);
    let t = 0;
    ops.forEach((k, i) => {
      const n = nodes[k]!;
      if (n.kind !== 'op') return;
      const chain = chains.get(k);
      if (chain !== undefined) {
        this.code[i] = CHAIN;
        [this.A[i], this.AN[i]] = address(chain.c);
        [this.B[i], this.BN[i]] = address(chain.c);
        this.D[i] = slotOf[k]!;
        this.CS[i] = t;
        this.CL[i] = chain.muls.length;
        for (const m of chain.muls) {
          const mul = nodes[m] as { a: number; b: number };
          [this.CU[t], this.CUN[t]] = address(mul.a);
          [this.CV[t], this.CVN[t]] = address(mul.b);
          t++;
        }
        if (needsGrad[k]) back.push(i);
        return;
      }
      this.code[i] = OPCODES.indexOf(n.op);
      [this.A[i], this.AN[i]] = address(n.a);
      [this.B[i], this.BN[i]] = address(n.b >= 0 ? n.b : n.a);
      this.K[i] = n.arg;
      this.D[i] = slotOf[k]!;
      if (needsGrad[k]) back.push(i);
    });
    this.backOps = Int32Array.from(back);
    this.inputSlot = Int32Array.from(inputs, (k) => slotOf[k]!);
    this.inputIndex = Int32Array.from(inputs.map((k) => (nodes[k] as { index: number }).index));
    this.constSlot = Int32Array.from(consts, (k) => slotOf[k]!);
    this.constValue = Float64Array.from(consts.map((k) => (nodes[k] as { value: number }).value));
    this.out = Int32Array.from(tape.outputs.map((k) => address(k)[0]));
    this.outN = Int32Array.from(tape.outputs.map((k) => address(k)[1]));
    // A handoff at node k runs once every op after k has passed its gradient on.
    // Back ops are in topological order, so "how many come before node k" is a binary search
    // (a reduction over a large batch has a handoff per sample).
    const before = (k: number) => {
      let lo = 0;
      let hi = back.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.D[back[mid]!]! < k) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    this.handoffs =
      handoff === null
        ? []
        : [...sampleHandoffs(tape, handoff.perSample)]
            .sort(([x], [y]) => y - x)
            .map(([k, { sample, members }]) => ({
              at: before(slotOf[k]!),
              sample,
              members: members.map(([j, node]): [number, number] => [j, node === -1 ? -1 : slotOf[node]!]),
            }));
    // Gradient slots that are read must start each backward pass at 0; the rest (constants,
    // a sample's plain inputs) may collect anything, since nothing reads them.
    this.zero = Int32Array.from(
      new Set([...back.map((i) => this.D[i]!), ...this.inputSlot, ...tape.outputs.filter((k) => slotOf[k]! >= 0).map((k) => slotOf[k]!)]),
    );
  }

  forward(X: Float64Array, xo: number, V: Float64Array, vo: number, O: Float64Array, oo: number): void {
    const { code, A, B, AN, BN, K, D, CS, CL, CU, CUN, CV, CVN } = this;
    const { inputSlot, inputIndex, constSlot, constValue, out, outN, report } = this;
    for (let i = 0; i < inputSlot.length; i++) V[vo + inputSlot[i]!] = X[xo + inputIndex[i]!]!;
    for (let i = 0; i < constSlot.length; i++) V[vo + constSlot[i]!] = constValue[i]!;
    const n = code.length;
    for (let i = 0; i < n; i++) {
      const a = V[A[i]! + vo * AN[i]!]!;
      const b = V[B[i]! + vo * BN[i]!]!;
      let y: number;
      switch (code[i]) {
        case ADD: y = PRIMITIVES.add.forward(a, b); break;
        case MUL: y = PRIMITIVES.mul.forward(a, b); break;
        case POW: y = PRIMITIVES.pow.forward(a, 0, K[i]!); break;
        case EXP: y = PRIMITIVES.exp.forward(a); break;
        case LOG: y = PRIMITIVES.log.forward(a); break;
        case TANH: y = PRIMITIVES.tanh.forward(a); break;
        case RELU: y = PRIMITIVES.relu.forward(a); break;
        case SIGMOID: y = PRIMITIVES.sigmoid.forward(a); break;
        default: {
          y = a;
          for (let j = CS[i]!, end = j + CL[i]!; j < end; j++) {
            const u = V[CU[j]! + vo * CUN[j]!]!;
            const v = V[CV[j]! + vo * CVN[j]!]!;
            // add.forward(y, mul.forward(u, v)), spelled out: TurboFan did not inline the calls
            // in this loop, and a chain is sums of products by definition (fuse.ts).
            y = y + u * v;
          }
        }
      }
      V[vo + D[i]!] = y;
      if (report !== null && !(y - y === 0)) report('value', D[i]!, OPCODES[code[i]!]!, [a, b]);
    }
    for (let j = 0; j < out.length; j++) O[oo + j] = V[out[j]! + vo * outN[j]!]!;
  }

  backward(
    V: Float64Array,
    vo: number,
    S: Float64Array,
    so: number,
    GX: Float64Array | null,
    sample: ((i: number) => void) | null,
  ): void {
    const { GV, gbase, code, A, B, AN, BN, K, D, CS, CL, CU, CUN, CV, CVN } = this;
    const { backOps, out, outN, handoffs, report, zero } = this;
    for (let j = 0; j < zero.length; j++) GV[gbase + zero[j]!] = 0;
    for (let j = 0; j < out.length; j++) {
      const g = out[j]! + gbase * outN[j]!;
      GV[g] = GV[g]! + S[so + j]!;
    }
    let h = 0;
    for (let j = backOps.length - 1; j >= -1; j--) {
      while (h < handoffs.length && handoffs[h]!.at === j + 1) {
        const { sample: s, members } = handoffs[h++]!;
        for (const [x, node] of members) GX![x] = node === -1 ? 0 : GV[gbase + node]!;
        sample!(s);
      }
      if (j < 0) break;
      const i = backOps[j]!;
      const ga = A[i]! + gbase * AN[i]!;
      const gb = B[i]! + gbase * BN[i]!;
      const a = V[A[i]! + vo * AN[i]!]!;
      const b = V[B[i]! + vo * BN[i]!]!;
      const y = V[vo + D[i]!]!;
      const g = GV[gbase + D[i]!]!;
      switch (code[i]) {
        case ADD:
          GV[ga] = GV[ga]! + PRIMITIVES.add.da() * g;
          GV[gb] = GV[gb]! + PRIMITIVES.add.db() * g;
          break;
        case MUL:
          GV[ga] = GV[ga]! + PRIMITIVES.mul.da(a, b) * g;
          GV[gb] = GV[gb]! + PRIMITIVES.mul.db(a) * g;
          break;
        case POW: GV[ga] = GV[ga]! + PRIMITIVES.pow.da(a, 0, K[i]!) * g; break;
        case EXP: GV[ga] = GV[ga]! + PRIMITIVES.exp.da(a, 0, 0, y) * g; break;
        case LOG: GV[ga] = GV[ga]! + PRIMITIVES.log.da(a) * g; break;
        case TANH: GV[ga] = GV[ga]! + PRIMITIVES.tanh.da(a, 0, 0, y) * g; break;
        case RELU: GV[ga] = GV[ga]! + PRIMITIVES.relu.da(a, 0, 0, y) * g; break;
        case SIGMOID: GV[ga] = GV[ga]! + PRIMITIVES.sigmoid.da(a, 0, 0, y) * g; break;
        default: {
          // Exactly eager's steps, last term first: each sum passes its gradient to the sum
          // below (or to c) and to its product (whose gradients start from 0), then the
          // product to its operands.
          let gs = g;
          for (let j = CS[i]! + CL[i]! - 1, first = CS[i]!; j >= first; j--) {
            const below = 1 * gs; // add.da() * gs
            const gm = 0 + 1 * gs; // 0 + add.db() * gs
            if (j === first) GV[ga] = GV[ga]! + below;
            else gs = 0 + below;
            const au = CU[j]! + vo * CUN[j]!;
            const av = CV[j]! + vo * CVN[j]!;
            const gu = CU[j]! + gbase * CUN[j]!;
            const gv = CV[j]! + gbase * CVN[j]!;
            GV[gu] = GV[gu]! + V[av]! * gm; // mul.da(u, v) * gm
            GV[gv] = GV[gv]! + V[au]! * gm; // mul.db(u) * gm
          }
        }
      }
      if (report !== null && !(GV[ga]! - GV[ga]! === 0 && GV[gb]! - GV[gb]! === 0)) {
        report('gradient', D[i]!, OPCODES[code[i]!]!, [a, b]);
      }
    }
  }
}
