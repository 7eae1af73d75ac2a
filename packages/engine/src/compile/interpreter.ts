import { PRIMITIVES } from '../ops.js';
import type { Executor } from './executor.js';
import { allFinite } from './finite.js';
import type { Instr, Lowered, Ref, Target } from './lower.js';

/**
 * The JavaScript back end: runs a lowered program with typed-array loops, one instruction at
 * a time over every sample of a tile. For hosts whose Content-Security-Policy forbids
 * compiling WebAssembly. Each sample sees the functions of ops.ts in the same order as in
 * eager mode, so the numbers are the same, bit for bit.
 */
export class Interpreter implements Executor {
  M = new Float64Array(0);

  readonly columns: number;

  constructor(private readonly program: Lowered) {
    this.columns = program.columns;
  }

  reserve(base: number, T: number): void {
    const need = base + this.program.columns * T;
    if (this.M.length >= need) return;
    const M = new Float64Array(need);
    M.set(this.M.subarray(0, Math.min(base, this.M.length)));
    this.M = M;
  }

  allFinite(from: number, to: number): boolean {
    return allFinite(this.M, from, to);
  }

  spread(from: number, stride: number, to: number, count: number): void {
    const M = this.M;
    for (let i = 0, k = from; i < count; i++, k += stride) M[to + i] = M[k]!;
  }

  fold(base: number, T: number, count: number, descending: boolean, at: number): void {
    const { M } = this;
    const { groupParam, groupStart, groupColumns } = this.program;
    for (let q = 0; q < groupParam.length; q++) {
      const s0 = groupStart[q]!;
      const s1 = groupStart[q + 1]!;
      let acc = M[at + groupParam[q]!]!;
      if (s1 - s0 === 1) {
        const col = base + groupColumns[s0]! * T;
        if (descending) for (let i = count - 1; i >= 0; i--) acc += M[col + i]!;
        else for (let i = 0; i < count; i++) acc += M[col + i]!;
      } else {
        for (let step = 0; step < count; step++) {
          const i = descending ? count - 1 - step : step;
          for (let s = s0; s < s1; s++) acc += M[base + groupColumns[s]! * T + i]!;
        }
      }
      M[at + groupParam[q]!] = acc;
    }
    // Neurons' weights: `x * (0 + g)`, sample after sample.
    const { neurons } = this.program;
    for (let r = 0; r < neurons.length;) {
      const J = neurons[r]!;
      const N = neurons[r + 1]!;
      const xs = r + 2;
      for (let n = 0, row = xs + J; n < N; n++, row += 1 + J) {
        const g = base + neurons[row]! * T;
        for (let j = 0; j < J; j++) {
          const x = base + neurons[xs + j]! * T;
          const w = at + neurons[row + 1 + j]!;
          let acc = M[w]!;
          if (descending) for (let i = count - 1; i >= 0; i--) acc += M[x + i]! * (0 + M[g + i]!);
          else for (let i = 0; i < count; i++) acc += M[x + i]! * (0 + M[g + i]!);
          M[w] = acc;
        }
      }
      r = xs + J + N * (1 + J);
    }
  }

  forward(base: number, T: number): void {
    for (const instr of this.program.instrs) {
      if (instr.kind === 'op') this.op(instr, base, T);
      else this.chain(instr, base, T);
    }
  }

  backward(base: number, T: number): void {
    const { instrs, backward } = this.program;
    for (let j = backward - 1; j >= 0; j--) {
      const instr = instrs[j]!;
      if (instr.kind === 'op') this.opBack(instr, base, T);
      else this.chainBack(instr, base, T);
    }
  }

  private op(instr: Extract<Instr, { kind: 'op' }>, base: number, T: number): void {
    const { M } = this;
    const d = base + instr.d * T;
    const a = at(instr.a, base, T);
    const sa = stride(instr.a);
    const b = instr.b === null ? a : at(instr.b, base, T);
    const sb = instr.b === null ? sa : stride(instr.b);
    const k = instr.k;
    switch (instr.op) {
      case 'add':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.add.forward(M[a + i * sa]!, M[b + i * sb]!);
        break;
      case 'mul':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.mul.forward(M[a + i * sa]!, M[b + i * sb]!);
        break;
      case 'pow':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.pow.forward(M[a + i * sa]!, 0, k);
        break;
      case 'exp':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.exp.forward(M[a + i * sa]!);
        break;
      case 'log':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.log.forward(M[a + i * sa]!);
        break;
      case 'tanh':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.tanh.forward(M[a + i * sa]!);
        break;
      case 'relu':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.relu.forward(M[a + i * sa]!);
        break;
      case 'sigmoid':
        for (let i = 0; i < T; i++) M[d + i] = PRIMITIVES.sigmoid.forward(M[a + i * sa]!);
        break;
    }
  }

  private opBack(instr: Extract<Instr, { kind: 'op' }>, base: number, T: number): void {
    const { M } = this;
    const g = base + instr.g * T;
    const y = base + instr.d * T;
    const a = at(instr.a, base, T);
    const sa = stride(instr.a);
    const b = instr.b === null ? a : at(instr.b, base, T);
    const sb = instr.b === null ? sa : stride(instr.b);
    const k = instr.k;
    const ta = instr.ta!;
    const da = base + ta.at * T;
    switch (instr.op) {
      case 'add':
      case 'mul': {
        const tb = instr.tb!;
        const db = base + tb.at * T;
        const mul = instr.op === 'mul';
        for (let i = 0; i < T; i++) {
          const gi = M[g + i]!;
          const av = M[a + i * sa]!;
          const bv = M[b + i * sb]!;
          const ca = (mul ? PRIMITIVES.mul.da(av, bv) : PRIMITIVES.add.da()) * gi;
          M[da + i] = ta.site ? ca : M[da + i]! + ca;
          const cb = (mul ? PRIMITIVES.mul.db(av) : PRIMITIVES.add.db()) * gi;
          M[db + i] = tb.site ? cb : M[db + i]! + cb;
        }
        return;
      }
      case 'pow':
        for (let i = 0; i < T; i++) add(M, ta, da + i, PRIMITIVES.pow.da(M[a + i * sa]!, 0, k) * M[g + i]!);
        return;
      case 'exp':
        for (let i = 0; i < T; i++) add(M, ta, da + i, PRIMITIVES.exp.da(0, 0, 0, M[y + i]!) * M[g + i]!);
        return;
      case 'log':
        for (let i = 0; i < T; i++) add(M, ta, da + i, PRIMITIVES.log.da(M[a + i * sa]!) * M[g + i]!);
        return;
      case 'tanh':
        for (let i = 0; i < T; i++) add(M, ta, da + i, PRIMITIVES.tanh.da(0, 0, 0, M[y + i]!) * M[g + i]!);
        return;
      case 'relu':
        for (let i = 0; i < T; i++) add(M, ta, da + i, PRIMITIVES.relu.da(0, 0, 0, M[y + i]!) * M[g + i]!);
        return;
      case 'sigmoid':
        for (let i = 0; i < T; i++) add(M, ta, da + i, PRIMITIVES.sigmoid.da(0, 0, 0, M[y + i]!) * M[g + i]!);
        return;
    }
  }

  private chain(instr: Extract<Instr, { kind: 'chain' }>, base: number, T: number): void {
    const { M } = this;
    const d = base + instr.d * T;
    const c = at(instr.c, base, T);
    const sc = stride(instr.c);
    for (let i = 0; i < T; i++) M[d + i] = M[c + i * sc]!;
    // A chain is sums of products by definition (fuse.ts): add.forward(y, mul.forward(u, v)),
    // spelled out so that the loops stay small enough for V8 to optimise at once.
    for (const { u, v } of instr.terms) {
      const pu = at(u, base, T);
      const pv = at(v, base, T);
      if (!u.col && v.col) {
        const s = M[pu]!;
        for (let i = 0; i < T; i++) M[d + i] = M[d + i]! + s * M[pv + i]!;
      } else if (u.col && !v.col) {
        const s = M[pv]!;
        for (let i = 0; i < T; i++) M[d + i] = M[d + i]! + M[pu + i]! * s;
      } else {
        const su = stride(u);
        const sv = stride(v);
        for (let i = 0; i < T; i++) M[d + i] = M[d + i]! + M[pu + i * su]! * M[pv + i * sv]!;
      }
    }
  }

  /**
   * Eager mode's steps, last term first: each sum passes `1 * g` to the sum below (which,
   * starting from 0, holds `0 + g`) and to its product; the product passes `v * g` to `u`
   * and `u * g` to `v`. Every gradient below the top is therefore `0 + g`; `c` receives the
   * first sum's, which is `g` itself for a single term.
   */
  private chainBack(instr: Extract<Instr, { kind: 'chain' }>, base: number, T: number): void {
    const { M } = this;
    const g = base + instr.g * T;
    const { terms } = instr;
    for (let j = terms.length - 1; j >= 0; j--) {
      if (j === 0) {
        const tc = instr.tc!;
        const dc = base + tc.at * T;
        const single = terms.length === 1;
        for (let i = 0; i < T; i++) add(M, tc, dc + i, single ? M[g + i]! : 0 + M[g + i]!);
      }
      const { u, v, tu, tv } = terms[j]!;
      const pu = at(u, base, T);
      const pv = at(v, base, T);
      const su = stride(u);
      const sv = stride(v);
      const du = base + tu.at * T;
      const dv = base + tv.at * T;
      if (tu.site && !tv.site && !u.col && v.col) {
        // A weight times an activation: the common case. The fold computes the weight's
        // contribution itself when it has no site column.
        const s = M[pu]!;
        if (tu.at < 0) {
          for (let i = 0; i < T; i++) M[dv + i] = M[dv + i]! + s * (0 + M[g + i]!);
          continue;
        }
        for (let i = 0; i < T; i++) {
          const gm = 0 + M[g + i]!;
          M[du + i] = M[pv + i]! * gm;
          M[dv + i] = M[dv + i]! + s * gm;
        }
        continue;
      }
      for (let i = 0; i < T; i++) {
        const gm = 0 + M[g + i]!;
        add(M, tu, du + i, M[pv + i * sv]! * gm);
        add(M, tv, dv + i, M[pu + i * su]! * gm);
      }
    }
  }
}

/** Where operand `r` of sample 0 is in `M`. */
function at(r: Ref, base: number, T: number): number {
  return r.col ? base + r.at * T : r.at;
}

/** 1 for a column (one number per sample), 0 for a scalar. */
function stride(r: Ref): number {
  return r.col ? 1 : 0;
}

/** Adds a contribution into a gradient column, or stores it as a site's. */
function add(M: Float64Array, t: Target, i: number, x: number): void {
  M[i] = t.site ? x : M[i]! + x;
}
