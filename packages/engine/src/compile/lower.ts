import type { PrimitiveOp } from '../ops.js';
import { findChains } from './fuse.js';
import type { Tape, TapeNode } from './tape.js';

/**
 * Where an operand lives. A column holds one number per sample (`col` is its index in the
 * program's column space); a scalar is shared by every sample (`at` is its address in the
 * scalar region: the sample's constants first, then the program's parameters).
 */
export type Ref = { readonly col: true; readonly at: number } | { readonly col: false; readonly at: number };

/**
 * Where a gradient contribution goes: added into a gradient column (`site: false`), or stored
 * into a parameter-use site's column (`site: true`), which the fold adds into the parameter's
 * gradient later in eager mode's order.
 */
export interface Target {
  readonly site: boolean;
  /** A column index; -1 for a site the fold computes itself (see {@link Lowered.siteColumn}). */
  readonly at: number;
}

/** One term `u * v` of a fused chain and where each factor's gradient goes. */
export interface Term {
  readonly u: Ref;
  readonly v: Ref;
  readonly tu: Target;
  readonly tv: Target;
}

/**
 * One instruction of the lowered program, run over every sample of a tile (samples
 * innermost). `d` is the value column it writes; `g` its gradient column (-1 outside the
 * backward pass). Operand targets are null outside the backward pass.
 */
export type Instr =
  | {
      readonly kind: 'op';
      readonly op: PrimitiveOp;
      readonly d: number;
      readonly g: number;
      readonly a: Ref;
      readonly b: Ref | null;
      readonly k: number;
      readonly ta: Target | null;
      readonly tb: Target | null;
    }
  | {
      readonly kind: 'chain';
      readonly d: number;
      readonly g: number;
      /** The starting operand (a neuron's bias) and the terms, in order: `((c + u0*v0) + u1*v1) + ...` */
      readonly c: Ref;
      readonly tc: Target | null;
      readonly terms: readonly Term[];
    };

/**
 * A per-sample tape lowered to batch-major instructions. Columns are numbered in one space:
 * values `[0, values)`, then gradients up to `grads`, then parameter-use sites up to `columns`;
 * a tile of `T` samples keeps column `c` at `c * T` past the column base.
 */
export interface Lowered {
  readonly instrs: readonly Instr[];
  /** Instructions `[0, backward)` take part in the backward pass (run last to first). */
  readonly backward: number;
  readonly values: number;
  readonly grads: number;
  readonly columns: number;
  /**
   * Value columns `[0, checkedValues)` and gradient columns `[values, values + checkedGrads)`
   * are the ones a run checks for numbers that are not finite; no other column can hold one
   * that these would not show. A value is checked when it is an output, or no op reads it, or
   * an op reads it that can turn a NaN or an infinity into a finite number (exp, tanh, relu,
   * sigmoid, pow): every other op (add, mul, log, a chain) makes its own value not finite, and
   * so on down to a checked column. A gradient that is not finite makes every gradient it is
   * added into so (`d * g` is NaN or infinite), down to the leaves: inputs' and constants'
   * columns are checked here, parameters' sums when the run ends. (Inputs' values are checked
   * when the batch is loaded.)
   */
  readonly checkedValues: number;
  readonly checkedGrads: number;
  /** The sample's constants: scalar addresses `[0, consts.length)`; parameter `p` is at `consts.length + p`. */
  readonly consts: Float64Array;
  /** Per input column: the column and the index of the sample's number it holds. */
  readonly inputColumns: Int32Array;
  readonly inputIndex: Int32Array;
  /** Where each of the traced function's outputs is (for the samples' outputs). */
  readonly outputs: readonly Ref[];
  /** Per used output, in eager mode's visiting order: the output index and its gradient column. */
  readonly seeds: readonly { readonly output: number; readonly column: number }[];
  /** Per parameter-use site, in backward order: the parameter, and its segment (see {@link lower}). */
  readonly siteParam: Int32Array;
  readonly siteSegment: Int32Array;
  readonly segments: number;
  /**
   * Per site: its column, or -1 for a site the backward pass does not store because the fold
   * computes it from columns that are still there: `x * (0 + g)` with `x` the value column
   * `siteX` and `g` the gradient column `siteG` (a neuron's weight; see {@link Lowered.neurons}).
   */
  readonly siteColumn: Int32Array;
  readonly siteX: Int32Array;
  readonly siteG: Int32Array;
  /**
   * The stored sites grouped by parameter, for the fold: group `q` adds into parameter
   * `groupParam[q]` the site columns `groupColumns[groupStart[q] .. groupStart[q + 1]]`, in order.
   */
  readonly groupParam: Int32Array;
  readonly groupStart: Int32Array;
  readonly groupColumns: Int32Array;
  /**
   * The weights whose sites are not stored, by layer (neurons with the same inputs): `[J, N,
   * x0 .. x(J-1)]`, then per neuron `[g, p0 .. p(J-1)]`: `x` the inputs' value columns, `g` the
   * neuron's gradient column, `p` its weights (parameters with this one site each). The fold
   * adds `x * (0 + g)` into each weight, sample after sample, as eager mode adds
   * `w.grad += x * out.grad`.
   */
  readonly neurons: Int32Array;
  /** The most inputs a layer of {@link Lowered.neurons} has (the WebAssembly fold transposes them). */
  readonly widest: number;
}

/**
 * Lowers a per-sample tape for a reduction that visits the sample's outputs `used` in that
 * order (eager mode's topological order of the sample depends on it).
 *
 * The tape is reordered as eager mode orders it: depth first from each used output in turn,
 * then from the unused ones (forward only). The nodes reached from the `s`-th used output and
 * not before form segment `s`: eager mode back-propagates each segment as a block at the point
 * where its reduction reaches that output. Chains are fused where fuse.ts proves it exact.
 */
export function lower(tape: Tape, used: readonly number[]): Lowered {
  const { nodes, ends, position } = reorder(tape, used);
  const prefix = used.length === 0 ? 0 : ends[used.length - 1]!;
  const outputs = tape.outputs.map((k) => position[k]!);
  const ordered: Tape = {
    nodes,
    outputs: [...outputs, ...(tape.unused ?? []).map((k) => position[k]!)],
  };
  const chains = findChains(ordered);
  // 1 for the nodes a chain absorbs: its products and its sums below the top.
  const absorbed = new Uint8Array(nodes.length);
  chains.forEach(({ muls, adds, top }) => {
    for (let j = 0; j < muls.length; j++) absorbed[muls[j]!] = 1;
    for (let j = 0; j < adds.length; j++) if (adds[j] !== top) absorbed[adds[j]!] = 1;
  });

  // Columns: values of inputs and unfused ops; gradients of every non-parameter node of the
  // backward pass (constants and inputs too: eager mode computes and checks theirs).
  // The columns a run checks come first (see Lowered.checkedValues).
  const valueCol = new Int32Array(nodes.length).fill(-1);
  const gradCol = new Int32Array(nodes.length).fill(-1);
  const constAt = new Int32Array(nodes.length).fill(-1);
  const consts: number[] = [];
  const checked = checkedValues(ordered.nodes, ordered.outputs);
  let values = 0;
  let checkedValueColumns = 0;
  // (Plain loops over the nodes, no callback per node: this runs once per program, before V8
  // has optimised any of it.)
  for (const pass of [1, 0]) {
    for (let k = 0; k < nodes.length; k++) {
      const node = nodes[k]!;
      if (checked[k] !== pass) continue;
      if (node.kind === 'input' || (node.kind === 'op' && absorbed[k] === 0)) valueCol[k] = values++;
    }
    if (pass === 1) checkedValueColumns = values;
  }
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (node.kind === 'const') constAt[k] = consts.push(node.value) - 1;
  }
  let grads = values;
  let checkedGradColumns = 0;
  for (const leaves of [true, false]) {
    for (let k = 0; k < prefix; k++) {
      const { kind } = nodes[k]!;
      if (kind !== 'param' && absorbed[k] === 0 && (kind === 'input' || kind === 'const') === leaves)
        gradCol[k] = grads++;
    }
    if (leaves) checkedGradColumns = grads - values;
  }
  const ref = (k: number): Ref => {
    const n = nodes[k]!;
    if (n.kind === 'param') return { col: false, at: consts.length + n.index };
    if (n.kind === 'const') return { col: false, at: constAt[k]! };
    return { col: true, at: valueCol[k]! };
  };

  const instrs: Instr[] = [];
  const nodeOf: number[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (node.kind !== 'op' || absorbed[k] === 1) continue;
    const chain = chains.get(k);
    const g = k < prefix ? gradCol[k]! : -1;
    nodeOf.push(k);
    if (chain === undefined) {
      instrs.push({
        kind: 'op',
        op: node.op,
        d: valueCol[k]!,
        g,
        a: ref(node.a),
        b: node.b >= 0 ? ref(node.b) : null,
        k: node.arg,
        ta: null,
        tb: null,
      });
    } else {
      const terms = chain.muls.map((m) => {
        const mul = nodes[m] as { a: number; b: number };
        return { u: ref(mul.a), v: ref(mul.b), tu: NOWHERE, tv: NOWHERE };
      });
      instrs.push({ kind: 'chain', d: valueCol[k]!, g, c: ref(chain.c), tc: null, terms });
    }
  }
  let backward = 0;
  while (backward < nodeOf.length && nodeOf[backward]! < prefix) backward++;

  // Targets, walking the backward pass in eager mode's order: parameter-use sites are numbered
  // in the order eager mode adds them, and their columns follow the gradient columns. The
  // instructions and terms are still this function's own, so their targets are filled in place.
  const siteParam: number[] = [];
  const siteSegment: number[] = [];
  // The segment of the node being visited: the first whose end lies past it (nodes go down).
  let segment = ends.length - 1;
  // Site targets hold the site's number until columns are given to the stored ones, below.
  const sites: Writable<Target>[] = [];
  const target = (operand: number): Target => {
    const n = nodes[operand]!;
    if (n.kind !== 'param') return { site: false, at: gradCol[operand]! };
    siteSegment.push(segment);
    return sites[sites.push({ site: true, at: siteParam.push(n.index) - 1 }) - 1]!;
  };
  for (let i = backward - 1; i >= 0; i--) {
    const k = nodeOf[i]!;
    while (segment > 0 && k < ends[segment - 1]!) segment--;
    const n = nodes[k] as Extract<TapeNode, { kind: 'op' }>;
    const instr = instrs[i]!;
    if (instr.kind === 'op') {
      const op = instr as Writable<OpInstr>;
      op.ta = target(n.a);
      op.tb = n.b >= 0 ? target(n.b) : null;
    } else {
      const chain = chains.get(k)!;
      const terms = instr.terms as Writable<Term>[];
      for (let j = terms.length - 1; j >= 0; j--) {
        if (j === 0) (instr as Writable<ChainInstr>).tc = target(chain.c);
        const mul = nodes[chain.muls[j]!] as { a: number; b: number };
        const term = terms[j]!;
        term.tu = target(mul.a);
        term.tv = target(mul.b);
      }
    }
  }

  // Neurons whose weights need no stored sites: every term a weight used nowhere else times a
  // column, so the fold can compute each site from the column and the neuron's gradient. Their
  // backward pass then visits the last term down to the first and the bias last, which changes
  // no sample's order unless the bias's gradient column is also one of the terms' (excluded).
  const sitesOf = new Int32Array(siteParam.reduce((most, param) => Math.max(most, param + 1), 0));
  for (let site = 0; site < siteParam.length; site++) sitesOf[siteParam[site]!]!++;
  const siteColumn = new Int32Array(siteParam.length).fill(-2);
  const siteX = new Int32Array(siteParam.length).fill(-1);
  const siteG = new Int32Array(siteParam.length).fill(-1);
  // Neurons over the same input columns form a layer (found by their first column, then compared).
  const layers: { xs: number[]; rows: number[][] }[] = [];
  const byFirst = new Map<number, { xs: number[]; rows: number[][] }[]>();
  const sameColumns = (a: number[], b: number[]) => a.length === b.length && a.every((x, j) => x === b[j]);
  instrs.forEach((instr, i) => {
    if (i >= backward || instr.kind !== 'chain') return;
    const weights = instr.terms.every(
      (t) =>
        !t.u.col &&
        t.v.col &&
        t.tu.site &&
        !t.tv.site &&
        sitesOf[siteParam[t.tu.at]!] === 1 &&
        (instr.tc!.site || t.tv.at !== instr.tc!.at),
    );
    if (!weights) return;
    const xs = instr.terms.map((t) => t.v.at);
    const candidates = byFirst.get(xs[0]!) ?? [];
    byFirst.set(xs[0]!, candidates);
    let layer = candidates.find((l) => sameColumns(l.xs, xs));
    if (layer === undefined) {
      layer = { xs, rows: [] };
      candidates.push(layer);
      layers.push(layer);
    }
    const row = [instr.g];
    const { terms } = instr;
    for (let j = 0; j < terms.length; j++) row.push(siteParam[terms[j]!.tu.at]!);
    layer.rows.push(row);
    for (let j = 0; j < terms.length; j++) {
      const t = terms[j]!;
      siteColumn[t.tu.at] = -1;
      siteX[t.tu.at] = t.v.at;
      siteG[t.tu.at] = instr.g;
    }
  });
  let stored = grads;
  for (let site = 0; site < siteParam.length; site++)
    if (siteColumn[site] === -2) siteColumn[site] = stored++;
  for (let site = 0; site < sites.length; site++) sites[site]!.at = siteColumn[site]!;

  const groups = new Map<number, number[]>();
  for (let site = 0; site < siteParam.length; site++) {
    const column = siteColumn[site]!;
    if (column < 0) continue;
    const param = siteParam[site]!;
    const list = groups.get(param);
    if (list === undefined) groups.set(param, [column]);
    else list.push(column);
  }
  const groupStart = [0];
  groups.forEach((list) => groupStart.push(groupStart.at(-1)! + list.length));

  const inputColumns: number[] = [];
  const inputIndex: number[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (node.kind !== 'input') continue;
    inputColumns.push(valueCol[k]!);
    inputIndex.push(node.index);
  }
  // Each layer's row: its number of inputs and of neurons, its input columns, then per neuron its
  // gradient column and its weights' parameters (pushed one by one: a large layer is tens of
  // thousands of numbers, too many to spread into a call).
  const neurons: number[] = [];
  const groupColumns: number[] = [];
  let widest = 0;
  for (const { xs, rows } of layers) {
    neurons.push(xs.length, rows.length);
    for (let j = 0; j < xs.length; j++) neurons.push(xs[j]!);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let j = 0; j < row.length; j++) neurons.push(row[j]!);
    }
    widest = Math.max(widest, xs.length);
  }
  groups.forEach((list) => {
    for (let j = 0; j < list.length; j++) groupColumns.push(list[j]!);
  });
  return {
    instrs,
    backward,
    values,
    grads,
    columns: stored,
    checkedValues: checkedValueColumns,
    checkedGrads: checkedGradColumns,
    consts: Float64Array.from(consts),
    inputColumns: Int32Array.from(inputColumns),
    inputIndex: Int32Array.from(inputIndex),
    outputs: outputs.map(ref),
    seeds: used.map((output) => ({ output, column: gradCol[outputs[output]!]! })),
    siteParam: Int32Array.from(siteParam),
    siteSegment: Int32Array.from(siteSegment),
    segments: used.length,
    siteColumn,
    siteX,
    siteG,
    groupParam: Int32Array.from(groups.keys()),
    groupStart: Int32Array.from(groupStart),
    groupColumns: Int32Array.from(groupColumns),
    neurons: Int32Array.from(neurons),
    widest,
  };
}

type OpInstr = Extract<Instr, { kind: 'op' }>;
type ChainInstr = Extract<Instr, { kind: 'chain' }>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Per node: 1 when its value must be checked (see {@link Lowered.checkedValues}): an output, a
 * node no op reads, or one an op reads that can turn a number that is not finite into one that
 * is. Inputs are 0 (the batch is checked when it is loaded).
 */
function checkedValues(nodes: readonly TapeNode[], outputs: readonly number[]): Uint8Array {
  const checked = new Uint8Array(nodes.length);
  const read = new Uint8Array(nodes.length);
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[k]!;
    if (node.kind !== 'op') continue;
    read[node.a] = 1;
    if (node.b >= 0) read[node.b] = 1;
    if (ABSORBING.has(node.op)) {
      checked[node.a] = 1;
      if (node.b >= 0) checked[node.b] = 1;
    }
  }
  for (let j = 0; j < outputs.length; j++) checked[outputs[j]!] = 1;
  for (let k = 0; k < nodes.length; k++) {
    if (read[k] === 0) checked[k] = 1;
    if (nodes[k]!.kind === 'input') checked[k] = 0;
  }
  return checked;
}

/** Ops whose value can be finite when an operand's is not (`tanh(Infinity)` is 1, `relu(NaN)` 0). */
const ABSORBING = new Set<PrimitiveOp>(['exp', 'tanh', 'relu', 'sigmoid', 'pow']);

/** A placeholder target for instructions outside the backward pass. */
const NOWHERE: Target = { site: false, at: -1 };

/**
 * The tape's nodes in eager mode's order when the outputs `used` are reached in that order:
 * depth first, operands left to right, from each used output, then from the other outputs.
 * `ends[s]` is where the nodes first reached from `used[s]` end; `position[k]` is where the
 * tape's node `k` went (-1 for a node no output reaches).
 */
function reorder(
  tape: Tape,
  used: readonly number[],
): { nodes: readonly TapeNode[]; ends: number[]; position: Int32Array } {
  const { nodes } = tape;
  if (used.every((j, s) => j === s)) {
    // A trace walks the outputs in this order, then the ops they do not reach: its tape is in
    // this order already, and segment s ends after the last of the first s + 1 outputs.
    let end = 0;
    const position = new Int32Array(nodes.length);
    for (let k = 0; k < nodes.length; k++) position[k] = k;
    return {
      nodes,
      ends: used.map((j) => (end = Math.max(end, tape.outputs[j]! + 1))),
      position,
    };
  }
  const position = new Int32Array(nodes.length).fill(-1);
  const order: number[] = [];
  const ends: number[] = [];
  const others = tape.outputs.map((_, j) => j).filter((j) => !used.includes(j));
  const roots = [...used, ...others].map((j) => tape.outputs[j]!).concat(tape.unused ?? []);
  // Each node after its operands, with an explicit stack (graphs of any depth). A tape's nodes
  // refer only to earlier ones, so a node not placed yet is never on the stack already.
  const stack: number[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (position[root]! < 0) {
      stack.push(root);
      next.push(0);
      while (stack.length > 0) {
        const top = stack.length - 1;
        const k = stack[top]!;
        const i = next[top]!;
        const n = nodes[k]!;
        const child = n.kind !== 'op' ? -1 : i === 0 ? n.a : i === 1 ? n.b : -1;
        if (child >= 0) {
          next[top] = i + 1;
          if (position[child]! < 0) {
            stack.push(child);
            next.push(0);
          }
        } else {
          stack.pop();
          next.pop();
          position[k] = order.push(k) - 1;
        }
      }
    }
    ends.push(order.length);
  }
  const renumber = (k: number) => position[k]!;
  return {
    nodes: order.map((k): TapeNode => {
      const n = nodes[k]!;
      if (n.kind !== 'op') return n;
      return { kind: 'op', op: n.op, a: renumber(n.a), b: n.b >= 0 ? renumber(n.b) : -1, arg: n.arg };
    }),
    ends: ends.slice(0, used.length),
    position,
  };
}
