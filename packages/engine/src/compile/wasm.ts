import { PRIMITIVES, type PrimitiveOp, type WasmWord } from '../ops.js';
import type { Executor } from './executor.js';
import type { Instr, Lowered, Ref, Term } from './lower.js';
import { BOOK, BOOK_BYTES } from './wasm-book.js';
import { Bytes, Code, F64, I32, V128, module, type SIMD } from './wasm-encoder.js';

/** The parts of the WebAssembly API the back end uses (the engine's types do not assume a DOM or Node). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  compile?: (bytes: Uint8Array) => Promise<object>;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

const PAGE = 65536;
/** JavaScript's own functions, imported so that every number equals eager mode's. */
const CALLS = ['exp', 'log', 'tanh', 'pow'] as const;

function api(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * Why this host cannot run the WebAssembly back end, or null when it can: no `WebAssembly`,
 * or compiling is refused (a Content-Security-Policy without `'wasm-unsafe-eval'`), or no
 * SIMD. Tried once per `WebAssembly` object (a host's answer does not change; a replaced
 * object is tried anew) on the module every program runs, which is compiled once anyway.
 */
export function wasmUnavailable(): string | null {
  const wasm = api();
  if (wasm === undefined) return 'there is no WebAssembly here';
  if (probed?.api !== wasm) probed = { api: wasm, why: probe(wasm) };
  return probed.why;
}

let probed: { api: WasmApi; why: string | null } | undefined;

/**
 * {@link wasmUnavailable}'s answer, with the module compiled without blocking first (on
 * another thread, where the host does that): after it, a program's first run finds the module
 * compiled, instantiated and tried. A compile the host refuses this way is left to the
 * synchronous probe, whose message says why.
 */
export function wasmReady(): Promise<string | null> {
  const wasm = api();
  if (wasm === undefined || probed?.api === wasm) return Promise.resolve(wasmUnavailable());
  if (pending?.api !== wasm) {
    // The module, or null when the host refuses to compile it this way.
    let compiling: Promise<object | null>;
    try {
      compiling =
        wasm.compile === undefined ? Promise.resolve(null) : wasm.compile(moduleBytes()).catch(() => null);
    } catch {
      compiling = Promise.resolve(null);
    }
    const promise = compiling.then((module) => {
      if (module !== null && compiled?.api !== wasm) compiled = { api: wasm, module };
      return wasmUnavailable();
    });
    pending = { api: wasm, promise };
  }
  return pending.promise;
}

let pending: { api: WasmApi; promise: Promise<string | null> } | undefined;

/** An instance no program uses yet, with its memory (the probe's, zeroed again): the first executor takes it. */
let spare: { api: WasmApi; memory: WasmMemory; instance: WasmInstance } | undefined;

type WasmInstance = InstanceType<WasmApi['Instance']>;

/** Compiles the module (the step hosts refuse), instantiates it and runs a SIMD kernel on two pairs of numbers. */
function probe(wasm: WasmApi): string | null {
  try {
    const memory = new wasm.Memory({ initial: 1 });
    const instance = new wasm.Instance(sharedModule(wasm), imports(memory));
    const numbers = new Float64Array(memory.buffer, 0, 4);
    numbers.set([0.5, -2, 1, Infinity]);
    const finite = instance.exports.finite as (from: number, to: number) => number;
    if (finite(0, 16) !== 1 || finite(0, 32) !== 0) return 'WebAssembly computed a wrong number';
    numbers.fill(0);
    spare = { api: wasm, memory, instance };
    return null;
  } catch (e) {
    return `compiling WebAssembly failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** What an instance imports: its memory, and JavaScript's functions (so numbers equal eager mode's). */
function imports(memory: WasmMemory): object {
  return { m: { memory, exp: Math.exp, log: Math.log, tanh: Math.tanh, pow: Math.pow } };
}

/**
 * The WebAssembly back end: one module for every program, compiled once per process, and an
 * instance of it per program, whose memory starts with the program's tables (see
 * {@link layout}). Each instruction is a call of a function that loops over the tile's
 * samples, two samples per SIMD operation where the op has no call into JavaScript (the lanes
 * are separate samples, so each sample's operations stay eager mode's, in eager mode's
 * order). A chain's terms are rows of a table, run by one shared function per direction.
 */
export class WasmExecutor implements Executor {
  M: Float64Array;
  /** The program's tables (the first words of its memory), for tests that read them back. */
  readonly table: Int32Array;
  private readonly memory: WasmMemory;
  /** Where `M` starts in the memory: the term tables come first. */
  private readonly offset: number;
  readonly columns: number;
  private readonly run: {
    forward(base: number, T: number): void;
    backward(base: number, T: number): void;
    finite(from: number, to: number): number;
    fold(base: number, T: number, count: number, at: number): void;
    neurons(base: number, T: number, count: number, at: number): void;
    productsForward(table: number, count: number, p: number, sums: number): void;
    productsBackward(table: number, count: number, p: number, sums: number): void;
    spread(from: number, stride: number, to: number, count: number): void;
  };

  constructor(program: Lowered) {
    const wasm = api()!;
    const module = sharedModule(wasm);
    const { table, offset } = layout(program);
    this.table = table;
    this.offset = offset;
    // The fold's scratch area (a layer's inputs, sample-major) follows the columns.
    this.columns = program.columns + scratchPitch(program.widest);
    const pages = Math.ceil((offset + 16) / PAGE);
    let instance: WasmInstance;
    if (spare?.api === wasm) {
      // The probe's instance, whose memory is as new (one page of zeros): saves instantiating.
      ({ memory: this.memory, instance } = spare);
      spare = undefined;
      if (pages > 1) this.memory.grow(pages - 1);
    } else {
      this.memory = new wasm.Memory({ initial: pages });
      instance = new wasm.Instance(module, imports(this.memory));
    }
    new Int32Array(this.memory.buffer, 0, table.length).set(table);
    this.run = instance.exports as unknown as WasmExecutor['run'];
    this.M = this.view();
  }

  reserve(base: number, T: number): void {
    const bytes = this.offset + (base + this.columns * T) * 8;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.M.buffer !== this.memory.buffer) this.M = this.view();
  }

  // The module's functions take addresses from 0, in numbers: M's are past the tables.
  forward(base: number, T: number): void {
    this.run.forward(base + this.offset / 8, T);
  }

  backward(base: number, T: number): void {
    this.run.backward(base + this.offset / 8, T);
  }

  fold(base: number, T: number, count: number, descending: boolean, at: number): void {
    const signed = descending ? -count : count;
    this.run.fold(base + this.offset / 8, T, signed, at + this.offset / 8);
    this.run.neurons(base + this.offset / 8, T, signed, at + this.offset / 8);
  }

  allFinite(from: number, to: number): boolean {
    return this.run.finite(this.byte(from), this.byte(to)) === 1;
  }

  spread(from: number, stride: number, to: number, count: number): void {
    this.run.spread(this.byte(from), stride * 8, this.byte(to), count);
  }

  readonly products = {
    forward: (table: number, count: number, p: number): void => {
      this.run.productsForward(this.byte(table), count, this.byte(p), 0);
    },
    backward: (table: number, count: number, p: number, sums: number): void => {
      this.run.productsBackward(this.byte(table), count, this.byte(p), this.byte(sums));
    },
  };

  /** The byte address of `M[i]`. */
  private byte(i: number): number {
    return this.offset + i * 8;
  }

  private view(): Float64Array {
    return new Float64Array(this.memory.buffer, this.offset);
  }
}

// Every function of the module takes four i32 parameters (forward and backward use the first
// two, base and T; finite uses from and to; the term functions take (base, T, row, column) and copy
// the last two to locals) and has the same locals, so the helpers below share their indices.
const BASE = 0;
const T_ = 1;
const I = 2;
const END = 3;
/** i32 scratch locals. */
const P = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
const F = [14, 15] as const;
const V = [16, 17, 18] as const;
const LOCALS: [number, number][] = [
  [10, I32],
  [2, F64],
  [8, V128],
  [4, F64],
  [4, I32],
];
/** Locals of the fold's side-by-side sums: accumulators and site column addresses. */
const WIDE_F = [24, 25, 26, 27] as const;
const WIDE_P = [28, 29, 30, 31] as const;
const ROW = 32;
/**
 * The functions every module has, in index order after the imports: the program's own two,
 * then the kernels (see {@link kernels}); `finite` returns an i32, the others nothing.
 */
const FUNCTIONS = [
  'forward',
  'backward',
  'finite',
  'termForward',
  'termBackward',
  'fold',
  'chainForward',
  'chainBackward',
  'neurons',
  'chainBackwardVirtual',
  'pairBackward',
  'pairForward',
  'productsForward',
  'productsBackward',
  'spread',
] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const EXPORTED: readonly FunctionName[] = [
  'forward',
  'backward',
  'finite',
  'fold',
  'neurons',
  'productsForward',
  'productsBackward',
  'spread',
];

/** The index of one of {@link FUNCTIONS}. */
function fn(name: FunctionName): number {
  return CALLS.length + FUNCTIONS.indexOf(name);
}

/** The first of the module's variants (see {@link everyVariant}). */
const VARIANTS = CALLS.length + FUNCTIONS.length;

/**
 * Bytes 0-31 of memory, for the module's functions, which are the same for every program:
 * where the fold's groups start and end, where the neurons' rows start and end, the column
 * where the fold's scratch area starts, where the forward pass's list of calls starts, where
 * the backward pass's starts and where it ends.
 */
const HEADER = 32;

/**
 * A lowered program's tables, the first words of its module's memory, and where its numbers
 * (`M`) start after them. The module's code is the same for every program (see
 * {@link sharedModule}); only these tables differ.
 */
export function layout(program: Lowered): { table: Int32Array; offset: number } {
  const { instrs, groupParam, groupStart, groupColumns, neurons } = program;
  // Header (see {@link HEADER}), then a record per instruction (see {@link record}), then the
  // chains' term tables, 8 i32 per term: kind (bit 0: u is a column, bit 1: v is), u, v (a
  // column, or a scalar's byte address), tu mode (1: store, a site; 0: add), tu column, tv
  // mode, tv column; then the fold's tables, the neurons', and the two lists of calls.
  const rows: number[] = [];
  const recordAt = new Map<Instr, number>();
  const tableAt = new Map<Instr, number>();
  const paired = pairs(program);
  const pairedForward = forwardPairs(program);
  // Scalars' byte addresses depend on where M starts, after the rows: they are written as
  // offsets from M (the words listed in `scalars`), and M's start is added once it is known.
  const scalars: number[] = [];
  for (let w = 0; w < HEADER / 4; w++) rows.push(w === 4 ? program.columns : 0);
  // (Indexed loops: see findChains.)
  for (let i = 0; i < instrs.length; i++) {
    const instr = instrs[i]!;
    recordAt.set(instr, rows.length * 4);
    const a = instr.kind === 'op' ? instr.a : instr.c;
    const b = instr.kind === 'op' ? instr.b : null;
    if (!a.col) scalars.push(rows.length + 1);
    if (b !== null && !b.col) scalars.push(rows.length + 2);
    pushRecord(rows, instr);
  }
  for (let i = 0; i < instrs.length; i++) {
    const instr = instrs[i]!;
    if (instr.kind !== 'chain') continue;
    tableAt.set(instr, rows.length * 4);
    // The first row's last word holds the chain's number of terms, for the blocked loop.
    instr.terms.forEach((t, j) => {
      if (!t.u.col) scalars.push(rows.length + 1);
      if (!t.v.col) scalars.push(rows.length + 2);
      pushTermRow(rows, t);
      rows.push(j === 0 ? instr.terms.length : 0);
    });
  }
  // Then the fold's groups (parameter, sites, first site) and their site columns.
  rows[0] = rows.length * 4;
  groupParam.forEach((param, q) => rows.push(param, groupStart[q + 1]! - groupStart[q]!, groupStart[q]!));
  rows[1] = rows.length * 4;
  for (let j = 0; j < groupColumns.length; j++) rows.push(groupColumns[j]!);
  // Then the neurons whose weights' sites the fold computes.
  rows[2] = rows.length * 4;
  for (let j = 0; j < neurons.length; j++) rows.push(neurons[j]!);
  rows[3] = rows.length * 4;
  // Then the pairs of neurons that run as one: tables and value (or gradient) columns.
  for (const [first, pair] of pairedForward) {
    pair.at = rows.length * 4;
    rows.push(tableAt.get(first)!, first.d, tableAt.get(pair.second)!, pair.second.d);
  }
  for (const [first, pair] of paired) {
    pair.at = rows.length * 4;
    rows.push(tableAt.get(first)!, first.g, tableAt.get(pair.second)!, pair.second.g);
  }
  // Then the program's own code: the forward and the backward pass as lists of calls.
  const emitting = { program, recordAt, tableAt, paired, pairedForward, rows };
  rows[5] = rows.length * 4;
  forwardCalls(emitting);
  rows[6] = rows.length * 4;
  backwardCalls(emitting);
  rows[7] = rows.length * 4;
  const offset = Math.ceil((rows.length * 4) / 16) * 16 + 16;
  for (let j = 0; j < scalars.length; j++) {
    const word = scalars[j]!;
    rows[word] = rows[word]! + offset;
  }
  return { table: Int32Array.from(rows), offset };
}

/** A program's tables being made: its instructions' records and chains' tables (byte addresses), the rows so far. */
interface Emitting {
  readonly program: Lowered;
  readonly recordAt: Map<Instr, number>;
  readonly tableAt: Map<Instr, number>;
  readonly paired: Map<Instr, Pair>;
  readonly pairedForward: Map<Instr, Pair>;
  readonly rows: number[];
}

/**
 * Appends a call to a program's list: function `index` with (base, T, `arg`, the address of
 * column `col` in the tile). Variants take their record as `arg` and ignore the last.
 */
function call({ rows }: Emitting, index: number, arg: number, col = 0): void {
  rows.push(index, arg, col);
}

/**
 * Appends an instruction's record, ten words: d, a, b, g, ta, tb (columns, or scalars' byte
 * offsets in M: {@link layout} adds where M starts), pad, k (an f64).
 */
function pushRecord(rows: number[], instr: Instr): void {
  if (instr.kind === 'op') {
    K_F64[0] = instr.k;
    const k = K_WORDS;
    rows.push(instr.d, address(instr.a), address(instr.b), instr.g, instr.ta?.at ?? 0, instr.tb?.at ?? 0);
    rows.push(0, 0, k[0]!, k[1]!);
    return;
  }
  rows.push(instr.d, address(instr.c), 0, instr.g, instr.tc?.at ?? 0, 0, 0, 0, 0, 0);
}

/** A column's number, or a scalar's byte offset in M (0 for no operand). */
function address(r: Ref | null): number {
  return r === null ? 0 : r.col ? r.at : r.at * 8;
}

/** One f64 and its two 32-bit words, for {@link record} (made once: typed arrays are slow to create). */
const K_F64 = new Float64Array(1);
const K_WORDS = new Int32Array(K_F64.buffer);

/**
 * A shared function a program calls, as one number: what it does (forward, start, backward,
 * passes), on which op, and the kind of each operand and target (see {@link VARIANT}).
 */
type Variant = number;

/** The primitives in the table's order: a variant's op is its place here. */
const OP_LIST = Object.keys(PRIMITIVES) as PrimitiveOp[];
const OP_NUMBER = new Map(OP_LIST.map((op, i) => [op, i]));

/** A flag of a variant: false 0, true 1, null (no such operand, or no target) 2. */
function flag(x: boolean | null): number {
  return x === null ? 2 : x ? 1 : 0;
}

function unflag(n: number): boolean | null {
  return n === 2 ? null : n === 1;
}

/** Packs a variant: its kind (0-3), op, and four flags. */
function pack(
  kind: number,
  op: PrimitiveOp | null,
  a: boolean | null,
  b: boolean | null,
  ta: boolean | null,
  tb: boolean | null,
): Variant {
  const o = op === null ? 0 : OP_NUMBER.get(op)!;
  return ((((o * 3 + flag(a)) * 3 + flag(b)) * 3 + flag(ta)) * 3 + flag(tb)) * 4 + kind;
}

/** The variants, by what they do (see the functions that emit them). */
const VARIANT = {
  forward: (op: PrimitiveOp, a: boolean, b: boolean | null): Variant => pack(0, op, a, b, null, null),
  start: (col: boolean): Variant => pack(1, null, col, null, null, null),
  backward: (op: PrimitiveOp, a: boolean, b: boolean | null, ta: boolean, tb: boolean | null): Variant =>
    pack(2, op, a, b, ta, tb),
  passes: (site: boolean, plusZero: boolean): Variant => pack(3, null, site, plusZero, null, null),
};

/** A variant's fields, unpacked. */
function unpack(v: Variant) {
  let rest = Math.floor(v / 4);
  const fields: (boolean | null)[] = [];
  for (let j = 0; j < 4; j++, rest = Math.floor(rest / 3)) fields.unshift(unflag(rest % 3));
  const [a = null, b = null, ta = null, tb = null] = fields;
  return { kind: v % 4, op: OP_LIST[rest]!, a, b, ta, tb };
}

/** Emits a variant's function. */
function make(v: Variant): Bytes {
  const { kind, op, a, b, ta, tb } = unpack(v);
  if (kind === 0) return opForward(op, a!, b);
  if (kind === 1) return chainStart(a!);
  if (kind === 2) return opBackward(op, a!, b, ta!, tb);
  return startBackward(a!, b!);
}

/** A variant for people, for an error message: `backward mul true false true null`. */
function variantName(v: Variant): string {
  const { kind, op, a, b, ta, tb } = unpack(v);
  const words = [
    ['forward', op, a, b],
    ['start', a],
    ['backward', op, a, b, ta, tb],
    ['passes', a, b],
  ][kind]!;
  return words.map(String).join(' ');
}

/**
 * Every variant a program can call: each op with each kind of operand (a column or a scalar)
 * and each mode of target (add, store a site, or none for an operand without a gradient).
 */
function everyVariant(): Variant[] {
  const both = [true, false];
  const all: Variant[] = [];
  for (const op of OP_LIST) {
    for (const a of both) {
      for (const b of PRIMITIVES[op].arity === 2 ? both : [null]) {
        all.push(VARIANT.forward(op, a, b));
        for (const ta of both) {
          for (const tb of b === null ? [null] : [true, false, null])
            all.push(VARIANT.backward(op, a, b, ta, tb));
        }
      }
    }
  }
  for (const col of both) all.push(VARIANT.start(col));
  for (const site of both) for (const plusZero of both) all.push(VARIANT.passes(site, plusZero));
  return all;
}

let variantIndex: Map<Variant, number> | undefined;

/** The function index of a variant in the module (they follow the kernels, in {@link everyVariant}'s order). */
function variantAt(variant: Variant): number {
  variantIndex ??= new Map(everyVariant().map((v, i) => [v, VARIANTS + i]));
  const at = variantIndex.get(variant);
  if (at === undefined)
    throw new Error(`compile: the WebAssembly module has no function "${variantName(variant)}"`);
  return at;
}

/**
 * The module every program runs, emitted afresh: JavaScript's `Math` functions and the memory
 * imported; `forward` and `backward`, which run a program's lists of calls; the kernels; every
 * variant; and a table of all functions for those calls. The code book (`wasm-book.ts`) holds
 * these bytes, so that a process need not run the emitters (cold JavaScript took milliseconds
 * to emit them); a test checks the book against this.
 */
export function emitModule(): Uint8Array {
  const variants = everyVariant();
  const count = CALLS.length + FUNCTIONS.length + variants.length;
  const four = [I32, I32, I32, I32];
  const types = new Bytes().u32(4);
  types.byte(0x60).u32(1).byte(F64).u32(1).byte(F64); // 0: f64 -> f64
  types.byte(0x60).u32(2).byte(F64).byte(F64).u32(1).byte(F64); // 1: f64 f64 -> f64
  types.byte(0x60).u32(4).bytes(four).u32(0); // 2: four i32 -> nothing
  types.byte(0x60).u32(4).bytes(four).u32(1).byte(I32); // 3: four i32 -> i32

  const imports = new Bytes().u32(5);
  imports.name('m').name('memory').byte(0x02).byte(0x00).u32(1);
  CALLS.forEach((name) =>
    imports
      .name('m')
      .name(name)
      .byte(0x00)
      .u32(name === 'pow' ? 1 : 0),
  );
  const functions = new Bytes().u32(FUNCTIONS.length + variants.length);
  for (const name of FUNCTIONS) functions.u32(name === 'finite' ? 3 : 2);
  for (let v = 0; v < variants.length; v++) functions.u32(2);
  // A table of every function (imports too, so that an index is the function's own).
  const table = new Bytes().u32(1).byte(0x70).byte(0x00).u32(count);
  const exports = new Bytes().u32(EXPORTED.length);
  for (const name of EXPORTED) exports.name(name).byte(0x00).u32(fn(name));
  const elements = new Bytes().u32(1).u32(0).byte(0x41).i32(0).byte(0x0b).u32(count);
  for (let i = 0; i < count; i++) elements.u32(i);
  const code = new Bytes().u32(FUNCTIONS.length + variants.length);
  const bodies = [
    body((c) => {
      dispatchBody(c, 20);
    }),
    body((c) => {
      dispatchBody(c, 24);
    }),
    ...KERNEL_NAMES.map((name) => KERNELS[name]()),
    ...variants.map(make),
  ];
  for (const b of bodies) code.sized(b);
  return module([
    [1, types],
    [2, imports],
    [3, functions],
    [4, table],
    [7, exports],
    [9, elements],
    [10, code],
  ]);
}

/**
 * `forward` (the list's bounds in header bytes 20 and 24) and `backward` (24 and 28): each
 * entry of the list, three words (a function's index, an argument, a column), becomes
 * `f(base, T, argument, the column's byte address in the tile)`.
 */
function dispatchBody(c: Code, bounds: number): void {
  c.int(0).loadI32(bounds).set(I);
  c.int(0)
    .loadI32(bounds + 4)
    .set(END);
  c.op('block').byte(0x40);
  c.op('loop').byte(0x40);
  c.get(I).get(END).op('i32.ge_u').op('br_if').u32(1);
  c.get(BASE).get(T_);
  c.get(I).loadI32(4);
  c.get(T_).get(I).loadI32(8).op('i32.mul').get(BASE).op('i32.add').int(3).op('i32.shl');
  c.get(I).loadI32(0);
  c.op('call_indirect').u32(2).byte(0x00);
  c.get(I).int(12).op('i32.add').set(I);
  c.op('br').u32(0);
  c.op('end');
  c.op('end');
}

/** The kernels, from `finite` on (in function index order), and how to emit each. */
const KERNELS: Record<Exclude<FunctionName, 'forward' | 'backward'>, () => Bytes> = {
  finite: () => body(finiteBody),
  termForward: () => body(termForwardBody),
  termBackward: () => body(termBackwardBody),
  fold: () => body(foldBody),
  chainForward: () => body(chainForwardBody),
  chainBackward: () =>
    body((c) => {
      chainBackwardBody(c, false);
    }),
  neurons: () => body(neuronsBody, NEURON_LOCALS),
  chainBackwardVirtual: () =>
    body((c) => {
      chainBackwardBody(c, true);
    }),
  pairBackward: () => body(pairBackwardBody, PAIR_LOCALS),
  pairForward: () => body(pairForwardBody, PAIR_LOCALS),
  productsForward: () =>
    body((c) => {
      productsBody(c, false);
    }),
  productsBackward: () =>
    body((c) => {
      productsBody(c, true);
    }),
  spread: () => body(spreadBody),
};
const KERNEL_NAMES = FUNCTIONS.slice(2) as (keyof typeof KERNELS)[];

/** Whether this host stores numbers' bytes least significant first (all common ones do). */
const LITTLE_ENDIAN = new Uint8Array(Int32Array.of(1).buffer)[0] === 1;

/**
 * The module's bytes, from the code book: its words are copied into an `Int32Array` in one
 * native call, whose memory holds the bytes in order on a little-endian host; a big-endian
 * one writes each word least significant byte first instead.
 *
 * @param littleEndian - for tests: the host's order by default
 */
export function moduleBytes(littleEndian = LITTLE_ENDIAN): Uint8Array {
  if (littleEndian) return new Uint8Array(new Int32Array(BOOK).buffer, 0, BOOK_BYTES);
  const view = new DataView(new ArrayBuffer(BOOK.length * 4));
  for (let i = 0; i < BOOK.length; i++) view.setInt32(i * 4, BOOK[i]!, true);
  return new Uint8Array(view.buffer, 0, BOOK_BYTES);
}

let compiled: { api: WasmApi; module: object } | undefined;

/** The module, compiled once per `WebAssembly` object. */
function sharedModule(wasm: WasmApi): object {
  if (compiled?.api !== wasm) compiled = { api: wasm, module: new wasm.Module(moduleBytes()) };
  return compiled.module;
}

/** Appends a chain term's first seven words (see {@link layout}; the eighth is the caller's). */
function pushTermRow(rows: number[], { u, v, tu, tv }: Term): void {
  rows.push((u.col ? 1 : 0) | (v.col ? 2 : 0), address(u), address(v), tu.site ? 1 : 0, tu.at);
  rows.push(tv.site ? 1 : 0, tv.at);
}

function body(emit: (c: Code) => void, extra: readonly [number, number][] = []): Bytes {
  const c = new Code();
  c.u32(LOCALS.length + extra.length);
  for (const [count, type] of [...LOCALS, ...extra]) c.u32(count).byte(type);
  emit(c);
  c.op('end');
  return c;
}

/**
 * Pushes the byte address of a column: `col` itself, or (when `dynamic`) the column in local
 * `col`. `BASE` is absolute: where the tile's columns start, counted in numbers from address 0.
 */
function column(c: Code, col: number, dynamic = false): void {
  c.get(T_);
  if (dynamic) c.get(col);
  else c.int(col);
  c.op('i32.mul').get(BASE).op('i32.add').int(3).op('i32.shl');
}

/** `for (i = 0; i < T * 8; i += step) body` in bytes (T is at least 2 and even). */
function loop(c: Code, step: 8 | 16, emit: () => void): void {
  c.get(T_).int(3).op('i32.shl').set(END);
  c.int(0).set(I);
  c.op('loop').byte(0x40);
  emit();
  c.get(I).int(step).op('i32.add').tee(I).get(END).op('i32.lt_u').op('br_if').u32(0);
  c.op('end');
}

/** Pushes the address of the current sample in the column whose address is in `local`. */
function here(c: Code, local: number): Code {
  return c.get(local).get(I).op('i32.add');
}

function load(c: Code, local: number, simd: boolean): void {
  here(c, local);
  if (simd) c.loadV128();
  else c.loadF64();
}

function store(c: Code, simd: boolean): void {
  if (simd) c.storeV128();
  else c.storeF64();
}

function arith(c: Code, name: 'add' | 'mul', simd: boolean): void {
  if (simd) c.simd(name === 'add' ? 'f64x2.add' : 'f64x2.mul');
  else c.op(name === 'add' ? 'f64.add' : 'f64.mul');
}

/** True when a spelling has no call into JavaScript, so it runs on two lanes at once. */
function vectorisable(words: readonly WasmWord[]): boolean {
  return words.every((w) => typeof w === 'number' || !(CALLS as readonly string[]).includes(w));
}

type Operands = Partial<Record<'a' | 'b' | 'y', () => void>>;

/** Emits a spelling from ops.ts: stack code over the operands (`k` is the record's). */
function spell(c: Code, words: readonly WasmWord[], operands: Operands, simd: boolean): void {
  for (const w of words) {
    if (w === 'k') {
      exponent(c, simd);
    } else if (typeof w === 'number') {
      c.num(w);
      if (simd) c.simd('f64x2.splat');
    } else if (w === 'a' || w === 'b' || w === 'y') {
      operands[w]!();
    } else if (w === 'select') {
      if (simd) c.simd('v128.bitselect');
      else c.op('select');
    } else if ((CALLS as readonly string[]).includes(w)) {
      c.op('call').u32(CALLS.indexOf(w as (typeof CALLS)[number]));
    } else if (simd) {
      c.simd(w.replace('f64.', 'f64x2.') as keyof typeof SIMD);
    } else {
      c.op(w as Parameters<Code['op']>[0]);
    }
  }
}

/** Record fields (byte offsets) and the local that holds the record's address in a variant. */
const FIELD = { d: 0, a: 4, b: 8, g: 12, ta: 16, tb: 20, k: 32 } as const;
const RECORD_AT = P[9];

/** Loads the column address in record field `field` into local `p` (the record's address in local `record`). */
function columnOf(c: Code, field: number, p: number, record: number = RECORD_AT): void {
  c.get(record).loadI32(field).set(p);
  column(c, p, true);
  c.set(p);
}

/**
 * Binds an operand in record field `field` for a loop: a column's address into local `p`, or
 * a scalar (`col` false) into `f` (and, splatted, into `v`). Returns the code that pushes it
 * for the current sample(s).
 */
function bind(
  c: Code,
  field: number,
  col: boolean,
  p: number,
  f: number,
  v: number,
  simd: boolean,
): () => void {
  if (col) {
    columnOf(c, field, p);
    return () => {
      load(c, p, simd);
    };
  }
  c.get(RECORD_AT).loadI32(field).loadF64().set(f);
  if (simd) c.get(f).simd('f64x2.splat').set(v);
  return () => (simd ? c.get(v) : c.get(f));
}

/** Pushes the record's `k` (pow's exponent), splatted for SIMD. */
function exponent(c: Code, simd: boolean): void {
  c.get(RECORD_AT).int(FIELD.k).op('i32.add').loadF64();
  if (simd) c.simd('f64x2.splat');
}

/** A variant's body: the record's address (third parameter) into {@link RECORD_AT}, then `emit`. */
function variant(emit: (c: Code) => void): Bytes {
  return body((c) => {
    c.get(I).set(RECORD_AT);
    emit(c);
  });
}

/** Stores (a site) or adds (a gradient) what `value` pushes, for the current sample(s). */
function contribute(c: Code, site: boolean, p: number, simd: boolean, value: () => void): void {
  here(c, p);
  if (!site) load(c, p, simd);
  value();
  if (!site) arith(c, 'add', simd);
  store(c, simd);
}

function forwardCalls(e: Emitting): void {
  const { program, recordAt, tableAt, pairedForward } = e;
  for (let j = 0; j < program.instrs.length; j++) {
    const instr = program.instrs[j]!;
    const rec = recordAt.get(instr)!;
    if (instr.kind === 'op') {
      const { op, a, b } = instr;
      call(e, variantAt(VARIANT.forward(op, a.col, b?.col ?? null)), rec);
      continue;
    }
    call(e, variantAt(VARIANT.start(instr.c.col)), rec);
    const pair = pairedForward.get(instr);
    if (pair !== undefined) {
      // The second neuron moves up past the op between (its columns are all ready).
      call(e, variantAt(VARIANT.start(pair.second.c.col)), recordAt.get(pair.second)!);
      call(e, fn('pairForward'), pair.at);
      const { op, a, b } = pair.between;
      call(e, variantAt(VARIANT.forward(op, a.col, b?.col ?? null)), recordAt.get(pair.between)!);
      j += 2;
      continue;
    }
    const at = tableAt.get(instr)!;
    if (instr.terms.every((t) => !t.u.col && t.v.col)) call(e, fn('chainForward'), at, instr.d);
    else for (let k = 0; k < instr.terms.length; k++) call(e, fn('termForward'), at + k * ROW, instr.d);
  }
}

/**
 * Neurons that run forward as one ({@link pairForwardBody}): a chain of scalar weights times
 * columns, one op, then a chain of scalar weights times the same columns in the same order
 * whose start is a scalar (a bias). The second moves before the op: every column is written
 * once and the second's are all ready before the first, so no value changes.
 */
export function forwardPairs(program: Lowered): Map<Instr, Pair> {
  const paired = new Map<Instr, Pair>();
  const { instrs } = program;
  const weighted = (instr: Instr) => instr.kind === 'chain' && instr.terms.every((t) => !t.u.col && t.v.col);
  for (let j = 0; j + 2 < instrs.length; j++) {
    const first = instrs[j]!;
    const between = instrs[j + 1]!;
    const second = instrs[j + 2]!;
    if (first.kind !== 'chain' || second.kind !== 'chain' || between.kind !== 'op') continue;
    if (!weighted(first) || !weighted(second) || second.c.col) continue;
    const n = first.terms.length;
    if (second.terms.length !== n || second.terms.some((t, k) => t.v.at !== first.terms[k]!.v.at)) continue;
    paired.set(first, { between, second, at: 0 });
    j += 2;
  }
  return paired;
}

/** An op over a tile: `d = op(a, b)`, each operand a column or a scalar. */
function opForward(op: PrimitiveOp, aCol: boolean, bCol: boolean | null): Bytes {
  const words = PRIMITIVES[op].wasm.forward;
  const simd = vectorisable(words);
  return variant((c) => {
    columnOf(c, FIELD.d, P[0]);
    const a = bind(c, FIELD.a, aCol, P[1], F[0], V[0], simd);
    const b = bCol === null ? a : bind(c, FIELD.b, bCol, P[2], F[1], V[1], simd);
    loop(c, simd ? 16 : 8, () => {
      here(c, P[0]);
      spell(c, words, { a, b }, simd);
      store(c, simd);
    });
  });
}

/** A chain's start: `d = c` (a column or a scalar), the terms are added next. */
function chainStart(cCol: boolean): Bytes {
  return variant((c) => {
    columnOf(c, FIELD.d, P[0]);
    const start = bind(c, FIELD.a, cCol, P[1], F[0], V[0], true);
    loop(c, 16, () => {
      here(c, P[0]);
      start();
      c.storeV128();
    });
  });
}

function simdOf(op: PrimitiveOp): boolean {
  const row: { da: readonly WasmWord[]; db?: readonly WasmWord[] } = PRIMITIVES[op].wasm;
  return vectorisable(row.da) && (row.db === undefined || vectorisable(row.db));
}

function backwardCalls(e: Emitting): void {
  const { program, recordAt, tableAt, paired } = e;
  const passes = (instr: Extract<Instr, { kind: 'chain' }>) => {
    call(e, variantAt(VARIANT.passes(instr.tc!.site, instr.terms.length > 1)), recordAt.get(instr)!);
  };
  for (let j = program.backward - 1; j >= 0; j--) {
    const instr = program.instrs[j]!;
    const rec = recordAt.get(instr)!;
    if (instr.kind === 'op') {
      const { op, a, b } = instr;
      const variant = VARIANT.backward(op, a.col, b?.col ?? null, instr.ta!.site, instr.tb?.site ?? null);
      call(e, variantAt(variant), rec);
      continue;
    }
    const pair = paired.get(instr);
    if (pair !== undefined) {
      // The op between the two neurons first (it touches nothing they do), then both.
      const { op, a, b } = pair.between;
      const variant = VARIANT.backward(
        op,
        a.col,
        b?.col ?? null,
        pair.between.ta!.site,
        pair.between.tb?.site ?? null,
      );
      call(e, variantAt(variant), recordAt.get(pair.between)!);
      call(e, fn('pairBackward'), pair.at);
      passes(instr);
      passes(pair.second);
      j -= 2;
      continue;
    }
    const at = tableAt.get(instr)!;
    const n = instr.terms.length;
    if (virtual(instr)) {
      // A neuron whose weights' contributions the fold computes: every term, then the bias.
      call(e, fn('chainBackwardVirtual'), at, instr.g);
      passes(instr);
      continue;
    }
    if (n > 1 && instr.terms.every((t) => !t.u.col && t.v.col && t.tu.site && !t.tv.site)) {
      call(e, fn('chainBackward'), at, instr.g);
    } else {
      for (let t = n - 1; t >= 1; t--) call(e, fn('termBackward'), at + t * ROW, instr.g);
    }
    passes(instr);
    call(e, fn('termBackward'), at, instr.g);
  }
}

/** A neuron whose weights' contributions the fold computes (no sites stored for them). */
function virtual(instr: Instr): boolean {
  return instr.kind === 'chain' && instr.terms.every((t) => t.tu.site && t.tu.at < 0);
}

/** Two neurons that run as one (see {@link pairs} and {@link forwardPairs}), by the first. */
interface Pair {
  readonly between: Extract<Instr, { kind: 'op' }>;
  readonly second: Extract<Instr, { kind: 'chain' }>;
  /** Where the pair's record is (set by {@link layout}). */
  at: number;
}

/**
 * Neurons of a layer whose backward passes can run as one ({@link pairBackwardBody}): in
 * backward order a neuron, one op, then a neuron over the same inputs, whose terms add into
 * the same distinct gradient columns and whose biases are parameters. The op moves first when
 * it reads nothing the first neuron writes and writes nothing it reads or writes; every
 * column then receives the same additions in the same order.
 */
export function pairs(program: Lowered): Map<Instr, Pair> {
  const paired = new Map<Instr, Pair>();
  const { instrs } = program;
  for (let j = program.backward - 1; j >= 2; j--) {
    const first = instrs[j]!;
    const between = instrs[j - 1]!;
    const second = instrs[j - 2]!;
    if (first.kind !== 'chain' || second.kind !== 'chain' || between.kind !== 'op') continue;
    if (!virtual(first) || !virtual(second)) continue;
    const n = first.terms.length;
    const targets = first.terms.map((t) => t.tv.at);
    if (
      second.terms.length !== n ||
      !first.tc!.site ||
      !second.tc!.site ||
      first.terms.some((t) => t.tv.site) ||
      new Set(targets).size !== n ||
      second.terms.some((t, k) => t.v.at !== first.terms[k]!.v.at || t.tv.site || t.tv.at !== targets[k])
    ) {
      continue;
    }
    // The first neuron reads its gradient column and writes its targets and its bias's site.
    const writes = new Set([...targets, first.tc!.at]);
    const opReads = [between.d, between.g, ...[between.a, between.b].flatMap((r) => (r?.col ? [r.at] : []))];
    const opWrites = [between.ta, between.tb].flatMap((t) => (t === null ? [] : [t.at]));
    if (opReads.some((c) => writes.has(c)) || opWrites.some((c) => writes.has(c) || c === first.g)) continue;
    // The second neuron's pass moves before the first's bias: neither touches the other.
    if (writes.has(first.g) || writes.has(second.g)) continue;
    if (targets.includes(first.tc!.at) || targets.includes(second.tc!.at)) continue;
    paired.set(first, { between, second, at: 0 });
    j -= 2;
  }
  return paired;
}

/**
 * An op's backward pass over a tile: `ta += da * g` and `tb += db * g` (or stored, for a
 * parameter's site), each operand a column or a scalar.
 */
function opBackward(
  op: PrimitiveOp,
  aCol: boolean,
  bCol: boolean | null,
  taSite: boolean,
  tbSite: boolean | null,
): Bytes {
  const row: { da: readonly WasmWord[]; db?: readonly WasmWord[] } = PRIMITIVES[op].wasm;
  const simd = simdOf(op);
  return variant((c) => {
    columnOf(c, FIELD.g, P[3]);
    columnOf(c, FIELD.d, P[0]);
    const g = () => {
      load(c, P[3], simd);
    };
    const a = bind(c, FIELD.a, aCol, P[1], F[0], V[0], simd);
    const b = bCol === null ? a : bind(c, FIELD.b, bCol, P[2], F[1], V[1], simd);
    const y = () => {
      load(c, P[0], simd);
    };
    columnOf(c, FIELD.ta, P[4]);
    if (tbSite !== null) columnOf(c, FIELD.tb, P[5]);
    loop(c, simd ? 16 : 8, () => {
      contribute(c, taSite, P[4], simd, () => {
        spell(c, row.da, { a, b, y }, simd);
        g();
        arith(c, 'mul', simd);
      });
      if (tbSite !== null && row.db !== undefined) {
        const db = row.db;
        contribute(c, tbSite, P[5], simd, () => {
          spell(c, db, { a, b, y }, simd);
          g();
          arith(c, 'mul', simd);
        });
      }
    });
  });
}

/**
 * A chain passes the first sum's gradient (column `g`) to its start (target `ta`, stored when
 * `site`): `g` itself for a single term, else (`plusZero`) `0 + g`.
 */
function startBackward(site: boolean, plusZero: boolean): Bytes {
  return variant((c) => {
    columnOf(c, FIELD.g, P[3]);
    columnOf(c, FIELD.ta, P[4]);
    loop(c, 16, () => {
      contribute(c, site, P[4], true, () => {
        if (plusZero) c.num(0).simd('f64x2.splat');
        load(c, P[3], true);
        if (plusZero) c.simd('f64x2.add');
      });
    });
  });
}

/** finite(from, to): 1 when every number in the byte range is finite (sums `x - x`: 0 unless one is not). */
/**
 * spread(from, stride, to, count): copies `count` numbers, `stride` bytes apart from byte
 * address `from`, side by side from `to` (a batch's inputs, or its outputs' gradients, into a
 * tile's column).
 */
function spreadBody(c: Code): void {
  c.op('block').byte(0x40);
  c.op('loop').byte(0x40);
  c.get(3).op('i32.eqz').op('br_if').u32(1);
  c.get(2).get(0).loadF64().storeF64();
  c.get(0).get(1).op('i32.add').set(0);
  c.get(2).int(8).op('i32.add').set(2);
  c.get(3).int(1).op('i32.sub').set(3);
  c.op('br').u32(0);
  c.op('end');
  c.op('end');
}

function finiteBody(c: Code): void {
  // Four sums side by side over 64 bytes at a time (one sum is a chain of dependent additions),
  // then 16 bytes at a time, then the last number of an odd count on its own.
  const sums = [V[0], V[1], V[2], 19] as const;
  for (const v of sums) c.num(0).simd('f64x2.splat').set(v);
  c.get(0).set(P[0]);
  const add = (v: number, offset: number) => {
    c.get(v);
    c.get(P[0]).simd('v128.load').u32(4).u32(offset);
    c.get(P[0]).simd('v128.load').u32(4).u32(offset);
    c.simd('f64x2.sub').simd('f64x2.add').set(v);
  };
  const chunks = (bytes: number, emit: () => void) => {
    c.op('block').byte(0x40);
    c.op('loop').byte(0x40);
    c.get(P[0]).int(bytes).op('i32.add').get(1).op('i32.gt_u').op('br_if').u32(1);
    emit();
    c.get(P[0]).int(bytes).op('i32.add').set(P[0]);
    c.op('br').u32(0);
    c.op('end');
    c.op('end');
  };
  chunks(64, () => {
    sums.forEach((v, k) => {
      add(v, k * 16);
    });
  });
  chunks(16, () => {
    add(V[0], 0);
  });
  c.num(0).set(F[0]);
  chunks(8, () => {
    c.get(F[0]).get(P[0]).loadF64().get(P[0]).loadF64().op('f64.sub').op('f64.add').set(F[0]);
  });
  c.get(V[0]).get(V[1]).simd('f64x2.add').get(V[2]).get(19).simd('f64x2.add').simd('f64x2.add').set(V[0]);
  c.get(V[0]).simd('f64x2.extract_lane').byte(0);
  c.get(V[0]).simd('f64x2.extract_lane').byte(1);
  c.op('f64.add').get(F[0]).op('f64.add').num(0).op('f64.eq');
}

/**
 * Reads a term's row (its address in local 2): P0 = kind, P1 = u's address, P2 = v's (a
 * column's, or a scalar's). Then moves the row address to P9 and the chain's column to P8.
 */
function termOperands(c: Code): void {
  c.get(2).set(P[9]).get(3).set(P[8]);
  c.get(P[9]).loadI32(0).set(P[0]);
  for (const [field, local, bit] of [
    [4, P[1], 1],
    [8, P[2], 2],
  ] as const) {
    c.get(P[9]).loadI32(field).set(local);
    column(c, local, true);
    c.get(local);
    c.get(P[0]).int(bit).op('i32.and').op('select').set(local);
  }
}

/** Masks that make a scalar's address constant over samples: -1 for a column, 0 for a scalar. */
function masks(c: Code): void {
  c.int(0).get(P[0]).int(1).op('i32.and').op('i32.sub').set(P[6]);
  c.int(0).get(P[0]).int(2).op('i32.and').op('i32.eqz').op('i32.eqz').op('i32.sub').set(P[7]);
}

function strided(c: Code, address: number, mask: number): void {
  c.get(address).get(I).get(mask).op('i32.and').op('i32.add').loadF64();
}

/** One term of a chain, forward: `d[i] = d[i] + u[i] * v[i]` (the chain's column in P8). */
function termForwardBody(c: Code): void {
  termOperands(c);
  c.get(P[0]).int(2).op('i32.eq').op('if').byte(0x40);
  // A scalar weight times a column: two samples at a time.
  c.get(P[1]).loadF64().simd('f64x2.splat').set(V[0]);
  loop(c, 16, () => {
    here(c, P[8]);
    load(c, P[8], true);
    c.get(V[0]);
    load(c, P[2], true);
    c.simd('f64x2.mul').simd('f64x2.add').storeV128();
  });
  c.op('else');
  masks(c);
  loop(c, 8, () => {
    here(c, P[8]);
    load(c, P[8], false);
    strided(c, P[1], P[6]);
    strided(c, P[2], P[7]);
    c.op('f64.mul').op('f64.add').storeF64();
  });
  c.op('end');
}

/**
 * One term of a chain, backward (the chain's gradient column in P8): with `gm = 0 + g[i]`,
 * u's gradient gets `v * gm` and v's gets `u * gm`, each stored (a site) or added.
 */
function termBackwardBody(c: Code): void {
  termOperands(c);
  const targets = [
    [12, 16, P[3], P[4]],
    [20, 24, P[5], P[9]],
  ] as const;
  for (const [modeField, columnField, mode, local] of targets) {
    c.get(P[9]).loadI32(modeField).set(mode);
    c.get(P[9]).loadI32(columnField).set(local);
    column(c, local, true);
    c.set(local);
  }
  // A scalar weight (a site) times a column (a gradient): two samples at a time.
  c.get(P[0]).int(2).op('i32.eq').get(P[3]).op('i32.and').get(P[5]).op('i32.eqz').op('i32.and');
  c.op('if').byte(0x40);
  c.get(P[1]).loadF64().simd('f64x2.splat').set(V[0]);
  loop(c, 16, () => {
    c.num(0).simd('f64x2.splat');
    load(c, P[8], true);
    c.simd('f64x2.add').set(V[1]);
    here(c, P[4]);
    load(c, P[2], true);
    c.get(V[1]).simd('f64x2.mul').storeV128();
    here(c, P[9]);
    load(c, P[9], true);
    c.get(V[0]).get(V[1]).simd('f64x2.mul').simd('f64x2.add').storeV128();
  });
  c.op('else');
  masks(c);
  loop(c, 8, () => {
    c.num(0);
    load(c, P[8], false);
    c.op('f64.add').set(F[0]);
    for (const [factor, factorMask, mode, local] of [
      [P[2], P[7], P[3], P[4]],
      [P[1], P[6], P[5], P[9]],
    ] as const) {
      strided(c, factor, factorMask);
      c.get(F[0]).op('f64.mul').set(F[1]);
      here(c, local);
      c.get(F[1]);
      load(c, local, false);
      c.get(F[1]).op('f64.add');
      c.get(mode).op('select').storeF64();
    }
  });
  c.op('end');
}

/** `for each sample i of the tile, ascending or (P2 set) descending: body` (END = count * 8). */
function samples(c: Code, emit: () => void): void {
  c.get(P[2]).op('if').byte(0x40);
  c.get(END).int(8).op('i32.sub').set(I);
  c.op('loop').byte(0x40);
  emit();
  c.get(I).int(8).op('i32.sub').tee(I).int(0).op('i32.ge_s').op('br_if').u32(0);
  c.op('end');
  c.op('else');
  c.int(0).set(I);
  c.op('loop').byte(0x40);
  emit();
  c.get(I).int(8).op('i32.add').tee(I).get(END).op('i32.lt_u').op('br_if').u32(0);
  c.op('end');
  c.op('end');
}

/**
 * fold(base, T, count, at): for each parameter with sites, its accumulator `M[at + p]` plus
 * every site contribution of the tile's samples, sample after sample (descending when count
 * is negative), each sample's sites in backward order. Each parameter's sum is a chain of
 * dependent additions, so runs of four (or two) one-site parameters are summed side by side
 * to keep the processor busy; no sum's order changes.
 */
function foldBody(c: Code): void {
  // P5, P6: where the groups start and end (the site column list follows them), from the header.
  c.int(0).loadI32(0).set(P[5]);
  c.int(0).loadI32(4).set(P[6]);
  c.get(3).set(P[1]);
  c.get(2).int(0).op('i32.lt_s').set(P[2]);
  c.get(2).set(P[0]);
  c.get(P[2]).op('if').byte(0x40).int(0).get(P[0]).op('i32.sub').set(P[0]).op('end');
  c.get(P[0]).int(3).op('i32.shl').set(END);
  c.get(P[5]).set(P[3]);
  const accumulator = (param: () => void, local: number) => {
    c.get(P[1]);
    param();
    c.op('i32.add').int(3).op('i32.shl').set(local);
  };
  /** The byte address of the site column listed at index (pushed by `index`). */
  const siteColumn = (index: () => void) => {
    c.get(T_);
    index();
    c.int(2).op('i32.shl').get(P[6]).op('i32.add').loadI32(0);
    c.op('i32.mul').get(BASE).op('i32.add').int(3).op('i32.shl');
  };
  c.op('block').byte(0x40);
  c.op('loop').byte(0x40);
  c.get(P[3]).get(P[6]).op('i32.ge_u').op('br_if').u32(1);
  // Runs of four or two one-site parameters are summed side by side.
  const wide = (k: 2 | 4, otherwise: () => void) => {
    c.get(P[3])
      .get(P[6])
      .int(k * 12)
      .op('i32.sub')
      .op('i32.le_u');
    for (let m = 0; m < k; m++)
      c.get(P[3])
        .loadI32(4 + 12 * m)
        .int(1)
        .op('i32.eq')
        .op('i32.and');
    c.op('if').byte(0x40);
    for (let m = 0; m < k; m++) {
      accumulator(() => c.get(P[3]).loadI32(12 * m), P[4]);
      c.get(P[4]).loadF64().set(WIDE_F[m]!);
      siteColumn(() => c.get(P[3]).loadI32(8 + 12 * m));
      c.set(WIDE_P[m]!);
    }
    samples(c, () => {
      for (let m = 0; m < k; m++) {
        c.get(WIDE_F[m]!);
        here(c, WIDE_P[m]!).loadF64();
        c.op('f64.add').set(WIDE_F[m]!);
      }
    });
    for (let m = 0; m < k; m++) {
      accumulator(() => c.get(P[3]).loadI32(12 * m), P[4]);
      c.get(P[4]).get(WIDE_F[m]!).storeF64();
    }
    c.get(P[3])
      .int(12 * k)
      .op('i32.add')
      .set(P[3]);
    c.op('else');
    otherwise();
    c.op('end');
  };
  wide(4, () => {
    wide(2, () => {
      accumulator(() => c.get(P[3]).loadI32(0), P[4]);
      c.get(P[4]).loadF64().set(F[0]);
      samples(c, () => {
        c.int(0).set(P[9]);
        c.op('loop').byte(0x40);
        c.get(F[0]);
        siteColumn(() => c.get(P[3]).loadI32(8).get(P[9]).op('i32.add'));
        c.get(I).op('i32.add').loadF64();
        c.op('f64.add').set(F[0]);
        c.get(P[9]).int(1).op('i32.add').tee(P[9]).get(P[3]).loadI32(4).op('i32.lt_u').op('br_if').u32(0);
        c.op('end');
      });
      c.get(P[4]).get(F[0]).storeF64();
      c.get(P[3]).int(12).op('i32.add').set(P[3]);
    });
  });
  c.op('br').u32(0);
  c.op('end');
  c.op('end');
}

/**
 * chainForward(base, T, row, d): a whole chain whose every term is a scalar weight times a
 * column, `d[i] = ((d[i] + w0 * x0[i]) + w1 * x1[i]) + ...`, eight samples at a time with the
 * running sums kept in registers while the loop runs over the terms, then two at a time for
 * the rest. Each sample's additions are the same, in the same order, as one pass per term;
 * only the memory traffic for `d` goes.
 */
function chainForwardBody(c: Code): void {
  // The parameters row and d share locals with I and END: P6 = the first row, P7 = d.
  // P0: end of the rows; P1: the tile's first sample address (I added per block); P2: T * 8.
  c.get(2).set(P[6]).get(3).set(P[7]);
  c.get(P[6]).get(P[6]).loadI32(28).int(5).op('i32.shl').op('i32.add').set(P[0]);
  const accumulators = [V[0], V[1], V[2], 19, 20, 21, 22] as const;
  sampleBlocks(c, (lanes) => {
    for (let k = 0; k < lanes; k++) {
      blockLoad(c, P[7], k);
      c.set(accumulators[k]!);
    }
    c.get(P[1]).get(I).op('i32.add').set(P[3]);
    c.get(P[6]).set(P[4]);
    c.op('loop').byte(0x40);
    termWeight(c, accumulators[WIDE]);
    termColumn(c, 8, P[5]);
    for (let k = 0; k < lanes; k++) {
      c.get(accumulators[k]!).get(accumulators[WIDE]);
      c.get(P[5])
        .simd('v128.load')
        .u32(4)
        .u32(k * 16);
      c.simd('f64x2.mul').simd('f64x2.add').set(accumulators[k]!);
    }
    c.get(P[4]).int(ROW).op('i32.add').tee(P[4]).get(P[0]).op('i32.lt_u').op('br_if').u32(0);
    c.op('end');
    for (let k = 0; k < lanes; k++) blockStore(c, P[7], k, accumulators[k]!);
  });
}

/**
 * pairForward(base, T, pair): two neurons over the same inputs at once (a record `[table, d,
 * table, d]`: each one's term table and column; see {@link forwardPairs}), four pairs of
 * samples at a time: each input is loaded once for both running sums. Each sample's additions
 * are the same, in the same order, as {@link chainForwardBody}'s.
 */
/**
 * Reads a pair's record (its address in local 2: the first neuron's table, its column, the
 * second's table, its column): the columns' addresses into P7 and P8, the first table into P6,
 * the second table minus the first into `apart`.
 */
function pairRecord(c: Code, apart: number): void {
  columnOf(c, 4, P[7], 2);
  columnOf(c, 12, P[8], 2);
  c.get(2).loadI32(8).get(2).loadI32(0).op('i32.sub').set(apart);
  c.get(2).loadI32(0).set(P[6]);
}

function pairForwardBody(c: Code): void {
  // P6: the first neuron's first row, P0: past its last, P9: the second's table minus the
  // first's; P7, P8: the two columns' addresses; P1, P2, P3, P4, P5 as in chainForwardBody.
  const sums = [V[0], V[1], V[2], 19] as const;
  const sums2 = [20, 21, 22, 23] as const;
  const [w, w2, x] = [32, 33, 34] as const;
  pairRecord(c, P[9]);
  c.get(P[6]).get(P[6]).loadI32(28).int(5).op('i32.shl').op('i32.add').set(P[0]);
  sampleBlocks(
    c,
    (lanes) => {
      for (const [column, into] of [
        [P[7], sums],
        [P[8], sums2],
      ] as const) {
        for (let k = 0; k < lanes; k++) {
          blockLoad(c, column, k);
          c.set(into[k]!);
        }
      }
      c.get(P[1]).get(I).op('i32.add').set(P[3]);
      c.get(P[6]).set(P[4]);
      c.op('loop').byte(0x40);
      termWeight(c, w);
      termWeight(c, w2, P[9]);
      termColumn(c, 8, P[5]);
      for (let k = 0; k < lanes; k++) {
        c.get(P[5])
          .simd('v128.load')
          .u32(4)
          .u32(k * 16)
          .set(x);
        c.get(sums[k]!).get(w).get(x).simd('f64x2.mul').simd('f64x2.add').set(sums[k]!);
        c.get(sums2[k]!).get(w2).get(x).simd('f64x2.mul').simd('f64x2.add').set(sums2[k]!);
      }
      c.get(P[4]).int(ROW).op('i32.add').tee(P[4]).get(P[0]).op('i32.lt_u').op('br_if').u32(0);
      c.op('end');
      for (const [column, from] of [
        [P[7], sums],
        [P[8], sums2],
      ] as const) {
        for (let k = 0; k < lanes; k++) blockStore(c, column, k, from[k]!);
      }
    },
    4,
  );
}

// The blocked kernels' pieces: a block of samples is `lanes` f64x2 vectors from sample I on.

/** Pushes vector `k` of the block in the column whose address is in `local`. */
function blockLoad(c: Code, local: number, k: number): void {
  c.get(local)
    .get(I)
    .op('i32.add')
    .simd('v128.load')
    .u32(4)
    .u32(k * 16);
}

/** Stores local `value` as vector `k` of the block in the column whose address is in `local`. */
function blockStore(c: Code, local: number, k: number, value: number): void {
  c.get(local)
    .get(I)
    .op('i32.add')
    .get(value)
    .simd('v128.store')
    .u32(4)
    .u32(k * 16);
}

/** `0 + g` for vector `k` of the block in the gradient column whose address is in `local`, into `into`. */
function gmBlock(c: Code, local: number, k: number, into: number): void {
  c.num(0).simd('f64x2.splat');
  blockLoad(c, local, k);
  c.simd('f64x2.add').set(into);
}

/** Vector `k` at the address in `local` (already at the block) becomes what `emit` pushes, given it on the stack. */
function blockUpdate(c: Code, local: number, k: number, emit: () => void): void {
  c.get(local);
  c.get(local)
    .simd('v128.load')
    .u32(4)
    .u32(k * 16);
  emit();
  c.simd('v128.store')
    .u32(4)
    .u32(k * 16);
}

/** A term row's weight (the scalar at the address in its field 4), splatted into `into`; the row at P4, plus `delta` if given. */
function termWeight(c: Code, into: number, delta?: number): void {
  c.get(P[4]);
  if (delta !== undefined) c.get(delta).op('i32.add');
  c.loadI32(4).simd('v128.load64_splat').u32(3).u32(0).set(into);
}

/** The block's address in the column of the row at P4's field `field` (P2: T * 8, P3: the block's first sample address). */
function termColumn(c: Code, field: number, into: number): void {
  c.get(P[4]).loadI32(field).get(P[2]).op('i32.mul').get(P[3]).op('i32.add').set(into);
}

/** `f64x2` vectors of samples the blocked kernels keep in registers at a time (more spill). */
const WIDE = 6;

/**
 * The blocked kernels' loop over a tile's samples: `emit(WIDE)` for 2 * WIDE samples at a
 * time while that many are left, then `emit(1)` for two at a time. P1: the tile's first sample address;
 * P2 and END: T * 8; I: the block's first sample, in bytes.
 */
function sampleBlocks(c: Code, emit: (lanes: number) => void, wide = WIDE): void {
  c.get(BASE).int(3).op('i32.shl').set(P[1]);
  c.get(T_).int(3).op('i32.shl').tee(P[2]).set(END);
  c.int(0).set(I);
  for (const lanes of [wide, 1]) {
    const step = lanes * 16;
    // while (I + step <= END)
    c.op('block').byte(0x40);
    c.op('loop').byte(0x40);
    c.get(I).int(step).op('i32.add').get(END).op('i32.gt_u').op('br_if').u32(1);
    emit(lanes);
    c.get(I).int(step).op('i32.add').set(I);
    c.op('br').u32(0);
    c.op('end');
    c.op('end');
  }
}

/**
 * chainBackward(base, T, row, g): terms n-1 down to 1 of a chain whose every term is a
 * parameter's weight (a site) times a column (a gradient added into), eight samples at a time:
 * `gm = 0 + g[i]` is computed once per sample (every term's is the same number), the site gets
 * `x * gm` and x's gradient `gx + w * gm`, term after term in the order of one pass per term.
 * The `virtual` variant runs every term down to the first and stores no sites (the fold
 * computes them: see {@link neuronsBody}).
 */
function chainBackwardBody(c: Code, virtual: boolean): void {
  // P6 = the first row, P7 = g; P0: the row where the loop stops (the second, or the first when
  // `virtual`); P1: the tile's first sample address; P2: T * 8; P3: P1 + I; P4: the row; P5,
  // P8, P9: x, site and gx addresses.
  c.get(2).set(P[6]).get(3).set(P[7]);
  c.get(P[6]);
  if (!virtual) c.int(ROW).op('i32.add');
  c.set(P[0]);
  const gm = [V[0], V[1], V[2], 19, 20, 21] as const;
  const w = 22;
  sampleBlocks(c, (lanes) => {
    for (let k = 0; k < lanes; k++) gmBlock(c, P[7], k, gm[k]!);
    c.get(P[1]).get(I).op('i32.add').set(P[3]);
    c.get(P[6]).get(P[6]).loadI32(28).int(1).op('i32.sub').int(5).op('i32.shl').op('i32.add').set(P[4]);
    c.op('loop').byte(0x40);
    termWeight(c, w);
    termColumn(c, 24, P[9]);
    if (!virtual) {
      termColumn(c, 8, P[5]);
      termColumn(c, 16, P[8]);
    }
    for (let k = 0; k < lanes; k++) {
      if (!virtual) {
        c.get(P[8]);
        c.get(P[5])
          .simd('v128.load')
          .u32(4)
          .u32(k * 16);
        c.get(gm[k]!).simd('f64x2.mul');
        c.simd('v128.store')
          .u32(4)
          .u32(k * 16);
      }
      blockUpdate(c, P[9], k, () => {
        c.get(w).get(gm[k]!).simd('f64x2.mul').simd('f64x2.add');
      });
    }
    // while the row was past the last one to run (unsigned: the first row may be at address 0)
    c.get(P[4]).get(P[0]).op('i32.gt_u');
    c.get(P[4]).int(ROW).op('i32.sub').set(P[4]);
    c.op('br_if').u32(0);
    c.op('end');
  });
}

/** Locals of {@link pairBackwardBody} and {@link pairForwardBody} past the shared ones: two weights, an input. */
const PAIR_LOCALS: [number, number][] = [[3, V128]];

/**
 * pairBackward(base, T, pair): two neurons' backward passes in one (a record `[table, g,
 * table, g]`: each neuron's term table and gradient column; see {@link pairs}), terms last to
 * first, four pairs of samples at a time: each input's gradient gets the first neuron's
 * contribution, then the second's, `(gx + w * gm) + w' * gm'`, as the two passes one after
 * the other add them, with one load and one store instead of two.
 */
function pairBackwardBody(c: Code): void {
  // P6: the first neuron's first row, P7 and P8: the two gradient columns' addresses, P0: the
  // second's table minus the first's; P1, P2, P3, P4, P9 as in chainBackwardBody.
  const lanes4 = 4;
  const gm = [V[0], V[1], V[2], 19] as const;
  const gm2 = [20, 21, 22, 23] as const;
  const [w, w2] = [32, 33] as const;
  pairRecord(c, P[0]);
  sampleBlocks(
    c,
    (lanes) => {
      for (const [column, sums] of [
        [P[7], gm],
        [P[8], gm2],
      ] as const) {
        for (let k = 0; k < lanes; k++) gmBlock(c, column, k, sums[k]!);
      }
      c.get(P[1]).get(I).op('i32.add').set(P[3]);
      c.get(P[6]).get(P[6]).loadI32(28).int(1).op('i32.sub').int(5).op('i32.shl').op('i32.add').set(P[4]);
      c.op('loop').byte(0x40);
      termWeight(c, w);
      termWeight(c, w2, P[0]);
      termColumn(c, 24, P[9]);
      for (let k = 0; k < lanes; k++) {
        blockUpdate(c, P[9], k, () => {
          c.get(w).get(gm[k]!).simd('f64x2.mul').simd('f64x2.add');
          c.get(w2).get(gm2[k]!).simd('f64x2.mul').simd('f64x2.add');
        });
      }
      // while the row was past the first (unsigned: the first row may be at address 0)
      c.get(P[4]).get(P[6]).op('i32.gt_u');
      c.get(P[4]).int(ROW).op('i32.sub').set(P[4]);
      c.op('br_if').u32(0);
      c.op('end');
    },
    lanes4,
  );
}

/**
 * The reduction's chains of products of parameters (an L2 term), as `reduction.ts` runs them in
 * JavaScript, on the same numbers. Arguments (byte addresses): `table` of `count` terms, each two
 * i32 parameter indices `u, v`, with an f64 just before it; the parameters `p`; their gradient
 * sums `sums`.
 *
 * - productsForward(table, count, p, _): the f64 before the table goes from `sum` to
 *   `((sum + p[u0] * p[v0]) + p[u1] * p[v1]) + ...`.
 * - productsBackward(table, count, p, sums): with `gm` the f64 before the table, from the last
 *   term to the first, `p[v] * gm` is added into `sums[u]`, then `p[u] * gm` into `sums[v]`
 *   (eager mode's `u.grad += v * g; v.grad += u * g`).
 */
function productsBody(c: Code, backward: boolean): void {
  const [E, AT_SUM, K] = [P[0], P[1], P[2]];
  const [ACC, XU] = [F[0], F[1]];
  /** Pushes the byte address of `p[index]` (local 2) or `sums[index]` (local 3), the index at `E + offset`. */
  const element = (local: 2 | 3, offset: 0 | 4) => {
    c.get(local).get(E).loadI32(offset).int(3).op('i32.shl').op('i32.add');
  };
  c.get(0).int(8).op('i32.sub').loadF64().set(ACC);
  c.get(1).set(K);
  c.op('block').byte(0x40);
  c.op('loop').byte(0x40);
  c.get(K).op('i32.eqz').op('br_if').u32(1);
  c.get(K).int(1).op('i32.sub').set(K);
  // Term K backward (last to first), term count - 1 - K forward (first to last).
  c.get(0);
  if (backward) c.get(K);
  else c.get(1).get(K).op('i32.sub').int(1).op('i32.sub');
  c.int(3).op('i32.shl').op('i32.add').set(E);
  if (backward) {
    element(2, 0);
    c.loadF64().set(XU);
    // sums[u] += p[v] * gm, then sums[v] += p[u] * gm (the same sum twice when u is v).
    for (const target of [0, 4] as const) {
      element(3, target);
      c.tee(AT_SUM).get(AT_SUM).loadF64();
      if (target === 0) {
        element(2, 4);
        c.loadF64();
      } else c.get(XU);
      c.get(ACC).op('f64.mul').op('f64.add').storeF64();
    }
  } else {
    c.get(ACC);
    element(2, 0);
    c.loadF64();
    element(2, 4);
    c.loadF64();
    c.op('f64.mul').op('f64.add').set(ACC);
  }
  c.op('br').u32(0);
  c.op('end');
  c.op('end');
  if (!backward) c.get(0).int(8).op('i32.sub').get(ACC).storeF64();
}

/** Loads or stores lane `k` of the vector on the stack from or to the 8 bytes at the address below it. */
function lane(c: Code, name: 'v128.load64_lane' | 'v128.store64_lane', k: 0 | 1): void {
  c.simd(name).u32(3).u32(0).byte(k);
}

/**
 * Pushes `0 + g[i]` in both lanes, `g` the column whose address is in local `g`: one load
 * fills both lanes, and one addition serves both (a scalar addition and a shuffle took more of
 * the processor's floating-point units than the load).
 */
function gmSplat(c: Code, g: number): void {
  c.num(0).simd('f64x2.splat');
  c.get(g).get(I).op('i32.add').simd('v128.load64_splat').u32(3).u32(0);
  c.simd('f64x2.add');
}

/**
 * A layer of two inputs (a first layer over points in the plane) gives each neuron a single
 * pair of weights, whose sum would wait on itself every sample: its neurons go six at a time
 * instead, each pair in its own `f64x2` with its own gradient column, the sample's two inputs
 * loaded once for all six. Leaves NEURON and LEFT at the neurons left over (fewer than six).
 */
function twoInputNeurons(c: Code, samples: (emit: () => void) => void): void {
  const WIDE = 6;
  const RECORD = 12;
  /** The byte address of the accumulator of weight `w` of the group's neuron `k`. */
  const accumulator = (k: number, w: number) => {
    c.get(AT)
      .get(NEURON)
      .loadI32(k * RECORD + 4 + 4 * w)
      .op('i32.add')
      .int(3)
      .op('i32.shl');
  };
  c.op('block').byte(0x40);
  c.op('loop').byte(0x40);
  c.get(STRIDE).int(16).op('i32.ne').get(LEFT).int(WIDE).op('i32.lt_u').op('i32.or').op('br_if').u32(1);
  for (let k = 0; k < WIDE; k++) {
    c.get(NEURON)
      .loadI32(k * RECORD)
      .set(TMP);
    column(c, TMP, true);
    c.set(GROUP_G[k]!);
    accumulator(k, 1);
    accumulator(k, 0);
    c.loadF64().simd('f64x2.splat');
    lane(c, 'v128.load64_lane', 1);
    c.set(ACC[k]!);
  }
  c.int(0).set(J);
  samples(() => {
    c.get(Q).simd('v128.load').u32(3).u32(0).set(GM);
    for (let k = 0; k < WIDE; k++) {
      c.get(ACC[k]!).get(GM);
      gmSplat(c, GROUP_G[k]!);
      c.simd('f64x2.mul').simd('f64x2.add').set(ACC[k]!);
    }
  });
  for (let k = 0; k < WIDE; k++) {
    accumulator(k, 0);
    c.get(ACC[k]!);
    lane(c, 'v128.store64_lane', 0);
    accumulator(k, 1);
    c.get(ACC[k]!);
    lane(c, 'v128.store64_lane', 1);
  }
  c.get(NEURON)
    .int(WIDE * RECORD)
    .op('i32.add')
    .set(NEURON);
  c.get(LEFT).int(WIDE).op('i32.sub').set(LEFT);
  c.op('br').u32(0);
  c.op('end');
  c.op('end');
}

/** Rows of at least this many numbers are padded (see {@link scratchPitch}). */
const PADDED = 16;

/**
 * The numbers from one row of the fold's scratch area to the next, for a layer of `J` inputs:
 * a long row is padded to an odd number of 64-byte cache lines, so that the rows of a tile
 * fall in every set of the first-level cache; at a power of two (128 inputs, 1 KB) they would
 * share a few sets and evict each other on every pass.
 */
function scratchPitch(J: number): number {
  return J < PADDED ? J : (Math.ceil(J / 8) | 1) * 8;
}

/** Locals of {@link neuronsBody} past the shared ones. */
const NEURON_LOCALS: [number, number][] = [
  [17, I32],
  [9, V128],
  [1, F64],
];
const ACC = Array.from({ length: 8 }, (_, k) => 49 + k);
const GM = 57;
const SUM = 58;
// neuronsBody's i32 locals, by name.
const AT = P[1];
const DESC = P[2];
const LAYER = P[3];
const STRIDE = P[4];
const XS = P[5];
const SCRATCH = P[6];
const NEURON = P[7];
const G_AT = P[8];
const J = P[9];
const Q = 32;
const LEFT = 33;
const LAST = 34;
const TMP = 35;
/** Steps from one sample to the next (8 or -8 bytes in a column, a row of the scratch area), samples left. */
const DI = 36;
const DQ = 37;
const LEFT_SAMPLES = 38;
/** The first sample's byte offset in a column, and its row's in the scratch area. */
const I0 = 39;
const ROW0 = 40;
/** The gradient columns' addresses of {@link twoInputNeurons}' six neurons. */
const GROUP_G = [41, 42, 43, 44, 45, 46] as const;
/** Bytes from one row of the scratch area to the next (see {@link scratchPitch}). */
const PITCH = 47;

/**
 * neurons(base, T, count, at): the fold of the weights whose sites the backward pass did not
 * store. Per layer (a row `[J, N, x0 .. x(J-1)]`, then per neuron `[g, p0 .. p(J-1)]`, see
 * lower.ts), each weight's accumulator `M[at + p]` gets `x[i] * (0 + g[i])` added for the
 * tile's first `count` samples, in ascending order (or descending when count is negative):
 * exactly eager mode's `w.grad += x * out.grad`, sample after sample. The layer's inputs are
 * first copied sample-major into a scratch area (`x0[i] .. x(J-1)[i]` side by side, from the
 * column in the header's fifth word), so that twelve weights go side by side, two per
 * `f64x2` (a lane is a weight, so no sum's order changes) read with one load per pair: each
 * sum is a chain of dependent additions, and many of them keep the processor busy.
 */
function neuronsBody(c: Code): void {
  c.get(3).set(AT);
  c.get(2).int(0).op('i32.lt_s').set(DESC);
  c.get(2).set(TMP);
  c.get(DESC).op('if').byte(0x40).int(0).get(TMP).op('i32.sub').set(TMP).op('end');
  c.get(TMP).int(3).op('i32.shl').set(END);
  c.int(-8).int(8).get(DESC).op('select').set(DI);
  c.get(END).int(8).op('i32.sub').int(0).get(DESC).op('select').set(I0);
  c.int(0).loadI32(16).set(TMP);
  column(c, TMP, true);
  c.set(SCRATCH);
  c.int(0).loadI32(8).set(LAYER);
  c.int(0).loadI32(12).set(LAST);
  /** Pushes the byte address of the accumulator of the weight whose parameter is at `field` past NEURON + 4 + J / 2. */
  const accumulator = (field: number) => {
    c.get(AT)
      .get(NEURON)
      .get(J)
      .int(1)
      .op('i32.shr_u')
      .op('i32.add')
      .loadI32(4 + field)
      .op('i32.add');
    c.int(3).op('i32.shl');
  };
  /** Sample after sample (descending when DESC): I the sample's byte offset in a column, Q its row of the scratch area plus J. */
  const samples = (emit: () => void) => {
    c.get(I0).set(I);
    c.get(SCRATCH).get(J).op('i32.add').get(ROW0).op('i32.add').set(Q);
    c.get(END).int(3).op('i32.shr_u').set(LEFT_SAMPLES);
    c.op('loop').byte(0x40);
    emit();
    c.get(Q).get(DQ).op('i32.add').set(Q);
    c.get(I).get(DI).op('i32.add').set(I);
    c.get(LEFT_SAMPLES).int(1).op('i32.sub').tee(LEFT_SAMPLES).op('br_if').u32(0);
    c.op('end');
  };
  const gm = () => {
    c.num(0).get(G_AT).get(I).op('i32.add').loadF64().op('f64.add');
  };
  /** Weights J/8 .. J/8 + 2 * count - 1 of the neuron at NEURON, while that many are left. */
  const pairs = (count: number) => {
    c.op('block').byte(0x40);
    c.op('loop').byte(0x40);
    c.get(J)
      .int(count * 16)
      .op('i32.add')
      .get(STRIDE)
      .op('i32.gt_u')
      .op('br_if')
      .u32(1);
    for (let k = 0; k < count; k++) {
      accumulator(k * 8 + 4);
      accumulator(k * 8);
      c.loadF64().simd('f64x2.splat');
      lane(c, 'v128.load64_lane', 1);
      c.set(ACC[k]!);
    }
    samples(() => {
      gmSplat(c, G_AT);
      c.set(GM);
      for (let k = 0; k < count; k++) {
        c.get(ACC[k]!).get(Q);
        c.simd('v128.load')
          .u32(3)
          .u32(k * 16);
        c.get(GM).simd('f64x2.mul').simd('f64x2.add').set(ACC[k]!);
      }
    });
    for (let k = 0; k < count; k++) {
      accumulator(k * 8);
      c.get(ACC[k]!);
      lane(c, 'v128.store64_lane', 0);
      accumulator(k * 8 + 4);
      c.get(ACC[k]!);
      lane(c, 'v128.store64_lane', 1);
    }
    c.get(J)
      .int(count * 16)
      .op('i32.add')
      .set(J);
    c.op('br').u32(0);
    c.op('end');
    c.op('end');
  };

  c.op('block').byte(0x40);
  c.op('loop').byte(0x40);
  c.get(LAYER).get(LAST).op('i32.ge_u').op('br_if').u32(1);
  c.get(LAYER).loadI32(0).int(3).op('i32.shl').set(STRIDE);
  c.get(LAYER).loadI32(4).set(LEFT);
  // PITCH, as scratchPitch computes it: STRIDE, or rounded up to an odd number of 64 bytes.
  c.get(STRIDE)
    .get(STRIDE)
    .int(63)
    .op('i32.add')
    .int(6)
    .op('i32.shr_u')
    .int(1)
    .op('i32.or')
    .int(6)
    .op('i32.shl')
    .get(STRIDE)
    .int(PADDED * 8)
    .op('i32.lt_u')
    .op('select')
    .set(PITCH);
  // Descending: from the last sample back, a column's 8 bytes and a scratch row at a time.
  c.int(0).get(PITCH).op('i32.sub').get(PITCH).get(DESC).op('select').set(DQ);
  c.get(END)
    .int(3)
    .op('i32.shr_u')
    .int(1)
    .op('i32.sub')
    .get(PITCH)
    .op('i32.mul')
    .int(0)
    .get(DESC)
    .op('select')
    .set(ROW0);
  c.get(LAYER).int(8).op('i32.add').set(XS);
  // The layer's inputs, sample-major: scratch[i * J + j] = x_j[i].
  c.int(0).set(J);
  c.op('loop').byte(0x40);
  c.get(XS).get(J).int(1).op('i32.shr_u').op('i32.add').loadI32(0).set(TMP);
  column(c, TMP, true);
  c.set(TMP);
  c.get(SCRATCH).get(J).op('i32.add').set(Q);
  c.int(0).set(I);
  c.op('loop').byte(0x40);
  c.get(Q).get(TMP).get(I).op('i32.add').loadF64().storeF64();
  c.get(Q).get(PITCH).op('i32.add').set(Q);
  c.get(I).int(8).op('i32.add').tee(I).get(END).op('i32.lt_u').op('br_if').u32(0);
  c.op('end');
  c.get(J).int(8).op('i32.add').tee(J).get(STRIDE).op('i32.lt_u').op('br_if').u32(0);
  c.op('end');
  // Its neurons.
  c.get(XS).get(STRIDE).int(1).op('i32.shr_u').op('i32.add').set(NEURON);
  twoInputNeurons(c, samples);
  c.get(LEFT).op('if').byte(0x40);
  c.op('loop').byte(0x40);
  c.get(NEURON).loadI32(0).set(TMP);
  column(c, TMP, true);
  c.set(G_AT);
  c.int(0).set(J);
  // Then the rest in the widest blocks that fit: a lone pair's sum waits on itself each sample.
  pairs(6);
  pairs(2);
  pairs(1);
  // An odd weight out: one scalar sum.
  c.get(J).get(STRIDE).op('i32.lt_u').op('if').byte(0x40);
  accumulator(0);
  c.loadF64().set(SUM);
  samples(() => {
    c.get(SUM).get(Q).loadF64();
    gm();
    c.op('f64.mul').op('f64.add').set(SUM);
  });
  accumulator(0);
  c.get(SUM).storeF64();
  c.op('end');
  c.get(NEURON).int(4).op('i32.add').get(STRIDE).int(1).op('i32.shr_u').op('i32.add').set(NEURON);
  c.get(LEFT).int(1).op('i32.sub').tee(LEFT).op('br_if').u32(0);
  c.op('end');
  c.op('end');
  c.get(NEURON).set(LAYER);
  c.op('br').u32(0);
  c.op('end');
  c.op('end');
}
