import { Value } from '../value.js';
import { TraceError } from '../trace-error.js';
import { checkOptions, describe } from '../errors.js';
import type { Executor } from './executor.js';
import { allFinite } from './finite.js';
import { Interpreter } from './interpreter.js';
import { lower, type Lowered } from './lower.js';
import { Reduction, type ProductKernels } from './reduction.js';
import { reference } from './reference.js';
import type { Tape } from './tape.js';
import { ParameterSet, trace } from './trace.js';
import { leafGradError } from '../graph.js';
import { WasmExecutor, wasmUnavailable } from './wasm.js';

/** Which back end runs a compiled program. */
export type Backend = 'wasm' | 'interpreter';

/** The back ends {@link compile} knows (besides `'auto'`), for callers that check an option before compiling. */
export const BACKENDS: readonly Backend[] = ['wasm', 'interpreter'];

/** Options for {@link compile}. */
export interface CompileOptions {
  /**
   * How many numbers make one sample (the length of the array the traced function receives):
   * an integer from 0 to {@link MAX_INPUTS}.
   */
  inputs: number;
  /**
   * Combines every sample's outputs into the one number `run` returns and differentiates,
   * for example a mean plus an L2 term. Traced once per batch size. Default: the sum of each
   * sample's first output (for one sample, that output itself).
   */
  reduce?: (outputs: Value[][]) => Value;
  /**
   * `'wasm'` runs generated WebAssembly (fastest), `'interpreter'` runs typed arrays in
   * JavaScript (for pages whose Content-Security-Policy forbids compiling WebAssembly),
   * `'auto'` (default) picks `'wasm'` when this host can compile a module.
   */
  backend?: Backend | 'auto';
}

/** Options for {@link Program.run}. */
export interface RunOptions {
  /**
   * Whether the batch's gradients are added into each parameter's `grad` (`true`, the default,
   * as `backward()` adds) or replace it (`false`): the same numbers, bit for bit, as setting
   * every parameter's `grad` to 0 first, without that pass over the parameters (PyTorch's
   * `zero_grad(set_to_none=True)` before `backward()`). A run that throws changes no `grad`
   * either way.
   */
  accumulate?: boolean;
}
const RUN_OPTIONS = ['accumulate'] as const;

/**
 * The most numbers one sample may have (2^24, 16,777,216). Tracing that many inputs takes about
 * half a minute; much past it, the trace's Values alone exhaust a JavaScript heap, which ends
 * the process rather than throwing, so `compile` refuses more at once.
 */
export const MAX_INPUTS = 2 ** 24;

/**
 * Numbers of memory one tile of samples may use (64 MB). Batches larger than a tile run tile by
 * tile, recomputing each tile's forward pass for its backward pass, so memory stays bounded
 * however large the batch (save for the general fold, which keeps the whole batch in one tile).
 */
let tileBudget = 1 << 23;

/**
 * Numbers one tile's columns should take at most (384 KB): they stay in a core's second-level
 * cache (512 KB to 2 MB on current desktop and laptop cores) beside the parameters and tables.
 * At a megabyte, the size of that cache on the machine the benchmarks run on, batches of 1,000
 * to 100,000 samples ran 2-4% slower.
 */
let tileCache = 49152;

/**
 * @internal For tests: the memory budget of one tile and the size of a tile that stays in
 * cache, in numbers (small budgets make many tiles).
 */
export function setTileBudget(numbers: number, cache = 49152): void {
  tileBudget = numbers;
  tileCache = cache;
}

/** Samples the WebAssembly kernels take at a time (a tile of fewer runs them at half speed). */
const BLOCK = 12;
/** Stands for the reduction where only the samples' outputs are replayed. */
const NO_REDUCTION: Tape = { nodes: [], outputs: [] };

/** Batch sizes whose plans (reduction and buffers) are kept: least recently used go first. */
const PLANS = 8;

/** A per-sample program for one order of visiting the outputs, with its back end. */
interface SampleProgram {
  readonly lowered: Lowered;
  readonly exec: Executor;
  /** Site range of each segment. */
  readonly segmentFrom: Int32Array;
  readonly segmentTo: Int32Array;
  /** The plan whose table of products is in the back end's memory now (see {@link Plan.products}), and where. */
  tableOf: Plan | null;
  tableAt: number;
  /** The gradient sums in the back end's memory, as {@link Program.sums} last made them (a view per run otherwise). */
  sums: Float64Array | null;
}

/** Everything one batch size needs. */
interface Plan {
  readonly count: number;
  readonly reduceTape: Tape;
  readonly reduction: Reduction;
  /** Null when the batch-major schedule does not cover this reduction: `run` falls back to the exact scalar replay. */
  readonly sample: SampleProgram | null;
  /** Samples per tile (even), tiles, and the order in which the fold visits samples, or null for the general fold. */
  readonly T: number;
  readonly tiles: number;
  /**
   * How tiles use memory: each keeps its own columns (`kept`), or they share one set of
   * columns, each tile recomputing its forward pass for its backward pass (`recomputed`), or
   * running forward and backward in one pass (`fused`: the reduction is linear in the
   * outputs, so its backward pass can run before the samples').
   */
  readonly schedule: 'kept' | 'recomputed' | 'fused';
  /** Gradient sums that {@link Program.fused}'s check of the reduction adds into and nobody reads. */
  readonly scratch: Float64Array | null;
  /**
   * The reduction's chains of products of parameters run by the back end (ordered folds only):
   * their table, put after the gradient sums, and the loops that run them; else null.
   */
  readonly products: { table: Int32Array; kernels: ProductKernels } | null;
  readonly order: 'ascending' | 'descending' | null;
  /** The reduction's contributions before and after the samples' (ordered folds only). */
  readonly before: Int32Array;
  readonly after: Int32Array;
  /**
   * The samples' outputs, two buffers: a run writes the one {@link Program.outputs} does not
   * show, and shows it once the run has succeeded (a run that throws leaves `outputs` as it was).
   */
  readonly O: readonly [Float64Array, Float64Array];
  readonly GX: Float64Array;
  readonly R: Float64Array;
}

/**
 * A traced function, ready to run over batches of samples. Made by {@link compile}.
 *
 * `run` computes the loss for a batch and adds the gradients of the parameters (every `Value`
 * the traced function captured) into their `grad`, with the same numbers, bit for bit, as
 * eager mode on the same graph.
 */
export class Program {
  /** The back end in use. */
  get backend(): Backend {
    return this.chosen;
  }
  /** Numbers per sample. */
  readonly inputs: number;
  /** Outputs the traced function returns per sample. */
  readonly outputsPerSample: number;

  private chosen: Backend;
  private readonly auto: boolean;
  private readonly params = new ParameterSet();
  private readonly sampleTape: Tape;
  private readonly reduceFn: (outputs: Value[][]) => Value;
  private readonly plans = new Map<number, Plan>();
  /** The plan last used (the last in {@link Program.plans}' order). */
  private recent: Plan | null = null;
  private readonly programs = new Map<string, SampleProgram>();
  private X: Float64Array = new Float64Array(0);
  private P: Float64Array = new Float64Array(0);
  private G: Float64Array = new Float64Array(0);
  /** The last run's outputs, and how many samples they hold. */
  private O: Float64Array = new Float64Array(0);
  private ran = 0;
  /** Samples in the batch being run. */
  private count = 0;
  /** Where the last {@link Program.prepare} put the batch's inputs, and its outputs' gradients, in the back end's memory. */
  private xAt = 0;
  private gxAt = 0;
  /** True during a call of run, evaluate or predict (see {@link Program.enter}). */
  private running = false;
  /** Which of them (`'Program.run'`, say), during the call. */
  private caller = '';
  /** True during a run that replaces the parameters' gradients (`accumulate: false`): they start from 0. */
  private replacing = false;

  /** @internal Use {@link compile}. */
  constructor(fn: (inputs: Value[]) => Value | Value[], options: CompileOptions) {
    // Checked at run time too: JavaScript callers get no help from the types.
    const given = checkOptions(options, OPTIONS, 'compile');
    const { inputs, reduce } = options;
    const backend = given.backend ?? 'auto';
    if (typeof inputs !== 'number' || !Number.isInteger(inputs) || inputs < 0) {
      throw new RangeError(`compile: options.inputs must be a non-negative integer, got ${describe(inputs)}`);
    }
    if (inputs > MAX_INPUTS) {
      throw new RangeError(
        `compile: options.inputs must be at most ${MAX_INPUTS} (2^24) numbers per sample, got ${inputs}`,
      );
    }
    if (reduce !== undefined && typeof (reduce as unknown) !== 'function') {
      throw new TypeError(`compile: options.reduce must be a function, got ${describe(reduce)}`);
    }
    if (backend === 'js') {
      throw new TypeError(
        "compile: options.backend 'js' (generated JavaScript) was replaced by 'wasm' (generated WebAssembly, faster); use 'wasm', 'interpreter' or 'auto'",
      );
    }
    if (backend !== 'auto' && !BACKENDS.includes(backend as Backend)) {
      throw new TypeError(
        `compile: options.backend must be 'auto', 'wasm' or 'interpreter', got ${describe(backend)}`,
      );
    }
    const why = backend === 'interpreter' ? null : wasmUnavailable();
    if (backend === 'wasm' && why !== null) {
      throw new Error(
        `compile: options.backend 'wasm' cannot run on this host (${why}); use 'interpreter' or 'auto'`,
      );
    }
    this.chosen = backend === 'interpreter' || why !== null ? 'interpreter' : 'wasm';
    this.auto = backend === 'auto';
    this.inputs = inputs;
    this.sampleTape = trace((x) => asArray(fn(x)), inputs, this.params);
    this.outputsPerSample = this.sampleTape.outputs.length;
    if (this.outputsPerSample === 0) throw new RangeError('compile: the traced function returned no outputs');
    this.reduceFn = reduce ?? ((outs) => outs.map((o) => o[0]!).reduce((s, o) => s.add(o)));
  }

  /** The parameters: every leaf `Value` the traced functions captured, in order of first use. */
  get parameters(): readonly Value[] {
    return this.params.values;
  }

  /**
   * The last run's per-sample outputs, sample-major: output `j` of sample `i` is at
   * `i * outputsPerSample + j`. A view of the program's own buffer, which a later run rewrites
   * (runs take turns with two buffers, so a failed run leaves this one as it was): copy it
   * (`program.outputs.slice()`) to keep it.
   */
  get outputs(): Float64Array {
    // The run's own buffer when it holds exactly the run's outputs (always, today): no new view per read.
    const n = this.ran * this.outputsPerSample;
    return this.O.length === n ? this.O : this.O.subarray(0, n);
  }

  /**
   * Output `j` of sample `i` in the last run.
   *
   * @throws RangeError before the first run, or for a sample or output that does not exist
   */
  output(i: number, j = 0): number {
    if (this.ran === 0) throw new RangeError('Program.output: nothing has run yet');
    for (const [name, k, n] of [
      ['sample', i, this.ran],
      ['output', j, this.outputsPerSample],
    ] as const) {
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= n) {
        throw new RangeError(
          `Program.output: ${name} must be an integer from 0 to ${n - 1}, got ${describe(k)} (the last run had ${this.ran} samples of ${this.outputsPerSample} outputs)`,
        );
      }
    }
    return this.O[i * this.outputsPerSample + j]!;
  }

  /**
   * Forward and backward over a batch: returns the reduced loss and adds d(loss)/d(parameter)
   * into each parameter's `grad` (zero them first, as in eager mode, or pass
   * `{ accumulate: false }` to have the run replace them).
   *
   * @param batch - the samples' inputs, row after row (`inputs` numbers per sample)
   * @param options - `accumulate: false` sets each `grad` to the batch's gradient instead of adding to it
   * @throws RangeError naming the op and the sample when a value or gradient is not finite; gradients are then left unchanged
   * @throws TypeError or RangeError for a batch that is not whole samples of finite numbers, or for unknown options; Error when called from inside this program's own run, evaluate or predict
   */
  run(batch: ArrayLike<number>, options?: RunOptions): number {
    this.enter('Program.run');
    try {
      if (options !== undefined) {
        const { accumulate = true } = checkOptions(options, RUN_OPTIONS, 'Program.run');
        if (typeof accumulate !== 'boolean') {
          throw new TypeError(
            `Program.run: options.accumulate must be true or false, got ${describe(accumulate)}`,
          );
        }
        this.replacing = !accumulate;
      }
      const count = this.load(batch, 'Program.run');
      return this.withPlan(count, (plan) => {
        const sample = plan.sample;
        if (sample === null) return this.replay(plan);
        return plan.schedule === 'fused' ? this.fused(plan, sample) : this.tiled(plan, sample);
      });
    } finally {
      this.running = false;
      this.replacing = false;
    }
  }

  /**
   * `use` of the plan for `count` samples; when it throws and the plan is new and found
   * parameters (in its reduction), the plan is forgotten with them, so a call that fails leaves
   * the program's parameters as they were.
   */
  private withPlan(count: number, use: (plan: Plan) => number): number {
    const known = this.params.values.length;
    const fresh = !this.plans.has(count);
    const plan = this.plan(count);
    try {
      return use(plan);
    } catch (e) {
      if (fresh && this.params.values.length > known) {
        this.plans.delete(count);
        if (this.recent === plan) this.recent = null;
        this.params.truncate(known);
      }
      throw e;
    }
  }

  /**
   * Every tile forward, the reduction forward and backward, then every tile backward in the
   * order the reduction reaches the samples. Kept tiles each have their own columns; otherwise
   * they share one set and the backward pass recomputes each tile's forward pass.
   */
  private tiled(plan: Plan, sample: SampleProgram): number {
    const { exec } = sample;
    const { T, tiles, GX, R, reduction, before } = plan;
    const O = this.outputBuffer(plan);
    const kept = plan.schedule === 'kept';
    const base = this.prepare(sample, kept ? T * tiles : T, plan);
    // Where tile t's columns start: its own when kept, else the shared set.
    const stride = kept ? exec.columns * T : 0;
    const kernels = plan.products?.kernels ?? null;
    let finite = true;
    for (let t = 0; t < tiles; t++) finite = this.forwardTile(sample, base + t * stride, T, t, O) && finite;
    const loss = finite ? reduction.forward(O, this.P, kernels) : NaN;
    const at = this.startFold(sample);
    const sums = this.sums(plan, sample, at);
    if (!(loss - loss === 0) || !reduction.backward(GX, R, sums, before.length, kernels))
      this.diagnose(plan, 'gradients');
    exec.M.set(GX, this.gxAt);
    const last = tiles - 1;
    for (let step = 0; step < tiles; step++) {
      const t = plan.order === 'descending' ? last - step : step;
      const b = base + t * stride;
      if (!kept) finite = this.forwardTile(sample, b, T, t, null) && finite;
      finite = this.backwardTile(plan, sample, b, t, at) && finite;
    }
    this.endFold(plan, sample, at, sums, finite);
    this.show(O, plan.count);
    return loss;
  }

  /**
   * A reduction linear in the outputs (see {@link Reduction.linear}) runs its backward pass
   * first, with zeros for the outputs it does not read; then each tile runs forward, backward
   * and its fold in one pass over one set of columns, in the order the reduction reaches the
   * samples. The loss then runs on the real outputs, and what the backward pass computes from
   * outputs (a constant factor's gradient) is checked as eager mode does: by the products
   * themselves when they are all it computes (a mean's `sum * (1/n)`), else by the whole
   * backward pass again (its other numbers are the first pass's, and are not used).
   */
  private fused(plan: Plan, sample: SampleProgram): number {
    const { T, tiles, GX, R, reduction, before } = plan;
    const O = this.outputBuffer(plan);
    const base = this.prepare(sample, T, plan);
    const kernels = plan.products?.kernels ?? null;
    if (reduction.factors !== null) reduction.forwardParameters(this.P, kernels);
    else reduction.forward(O.fill(0), this.P, kernels);
    const at = this.startFold(sample);
    const sums = this.sums(plan, sample, at);
    if (!reduction.backward(GX, R, sums, before.length, kernels)) this.diagnose(plan, 'gradients');
    sample.exec.M.set(GX, this.gxAt);
    let finite = true;
    const last = tiles - 1;
    for (let step = 0; step < tiles; step++) {
      const t = plan.order === 'descending' ? last - step : step;
      finite = this.forwardTile(sample, base, T, t, O) && finite;
      finite = this.backwardTile(plan, sample, base, t, at) && finite;
    }
    const loss = finite ? reduction.forward(O, this.P, kernels) : NaN;
    const checked =
      reduction.factors !== null
        ? reduction.checkFactors()
        : reduction.backward(GX, R, plan.scratch!.fill(0), before.length);
    if (!(loss - loss === 0) || !checked) this.diagnose(plan, 'gradients');
    this.endFold(plan, sample, at, sums, finite);
    this.show(O, plan.count);
    return loss;
  }

  /**
   * Where the reduction adds its contributions to the gradient sums: the back end's memory for
   * the ordered folds (which add into it next), `G` for the general fold.
   */
  private sums(plan: Plan, sample: SampleProgram, at: number): Float64Array {
    if (plan.order === null) return this.G;
    const M = sample.exec.M;
    const n = this.params.values.length;
    const view = sample.sums;
    if (view?.buffer === M.buffer && view.byteOffset === M.byteOffset + at * 8 && view.length === n)
      return view;
    return (sample.sums = M.subarray(at, at + n));
  }

  /** The gradient sums into the back end's memory, after the parameters, for the fold; returns where. */
  private startFold(sample: SampleProgram): number {
    const n = this.params.values.length;
    const at = sample.lowered.consts.length + n;
    sample.exec.M.set(whole(this.G, n), at);
    return at;
  }

  /** Tile `t` backward from its outputs' gradients, checked, then folded; false if a gradient is not finite. */
  private backwardTile(plan: Plan, sample: SampleProgram, b: number, t: number, at: number): boolean {
    const { lowered, exec } = sample;
    const { T } = plan;
    const gradsAt = b + lowered.values * T;
    exec.M.fill(0, gradsAt, b + lowered.grads * T);
    const m = this.outputsPerSample;
    const count = Math.min(T, this.count - t * T);
    for (const { output, column } of lowered.seeds)
      spread(exec, this.gxAt + t * T * m + output, m, b + column * T, count, T);
    exec.backward(b, T);
    const finite = exec.allFinite(gradsAt, gradsAt + lowered.checkedGrads * T);
    if (plan.order === null) this.foldEvents(plan, sample, b);
    else exec.fold(b, T, count, plan.order === 'descending', at);
    return finite;
  }

  /**
   * The reduction's contributions after the samples' added to the sums (`sums`, at `at` in the
   * back end's memory for the ordered folds, `G` for the general fold), every sum checked, and
   * each parameter's `grad` written from them.
   */
  private endFold(plan: Plan, sample: SampleProgram, at: number, sums: Float64Array, finite: boolean): void {
    const params = this.params.values;
    const n = params.length;
    const { after, R } = plan;
    const param = plan.reduction.contributionParam;
    for (let j = 0; j < after.length; j++) sums[param[after[j]!]!]! += R[after[j]!]!;
    const checked = plan.order === null ? allFinite(sums, 0, n) : sample.exec.allFinite(at, at + n);
    if (!finite) this.diagnose(plan, 'gradients');
    // A sum that is not finite is a gradient this run made not finite, or one that was not finite
    // before the run and got nothing from it, which eager mode leaves alone: the replay tells.
    if (!checked) this.replayCheck(plan, 'gradients');
    writeGradients(params, sums);
  }

  /**
   * Forward only: the reduced loss of a batch; no gradients change.
   *
   * @throws RangeError naming the op when a value is not finite
   * @throws TypeError or RangeError for a batch that is not whole samples of finite numbers; Error when called from inside this program's own run, evaluate or predict
   */
  evaluate(batch: ArrayLike<number>): number {
    this.enter('Program.evaluate');
    try {
      const count = this.load(batch, 'Program.evaluate');
      return this.withPlan(count, (plan) => {
        const O = this.outputBuffer(plan);
        const finite = this.forwardAll(count, O);
        const loss = finite ? plan.reduction.forward(O, this.P) : NaN;
        if (!(loss - loss === 0)) this.diagnose(plan, 'loss');
        this.show(O, count);
        return loss;
      });
    } finally {
      this.running = false;
    }
  }

  /**
   * The samples' outputs for a batch, forward only: no reduction, no gradients.
   *
   * @param batch - the samples' inputs, row after row (`inputs` numbers per sample)
   * @returns a new array, sample-major like {@link Program.outputs}: output `j` of sample `i` at `i * outputsPerSample + j`
   * @throws RangeError naming the op and the sample when a value is not finite
   * @throws TypeError or RangeError for a batch that is not whole samples of finite numbers; Error when called from inside this program's own run, evaluate or predict
   */
  predict(batch: ArrayLike<number>): Float64Array {
    this.enter('Program.predict');
    try {
      const count = this.load(batch, 'Program.predict');
      const O = new Float64Array(count * this.outputsPerSample);
      if (!this.forwardAll(count, O)) {
        reference(
          this.sampleTape,
          NO_REDUCTION,
          count,
          this.X.subarray(0, count * this.inputs),
          this.P,
          this.G,
          'outputs',
        );
        throw new RangeError('compile: a value was not finite, but replaying it found none');
      }
      return O;
    } finally {
      this.running = false;
    }
  }

  /** Forward over every tile, outputs into `O`; false when a value is not finite. */
  private forwardAll(count: number, O: Float64Array): boolean {
    const sample = this.programs.values().next().value ?? this.sampleProgram([]);
    const { T, tiles } = this.tiling(sample, count);
    const base = this.prepare(sample, T, null);
    let finite = true;
    for (let t = 0; t < tiles; t++) finite = this.forwardTile(sample, base, T, t, O) && finite;
    return finite;
  }

  /**
   * Copies constants and parameters into the back end's memory, with room for the columns of
   * `T` samples; returns where the columns start.
   */
  private prepare(sample: SampleProgram, T: number, plan: Plan | null): number {
    const { lowered, exec } = sample;
    const consts = lowered.consts.length;
    const n = this.params.values.length;
    // The reduction's table of products, if the back end runs them, after the gradient sums
    // (two int32 words a number); then the batch's inputs and, for a run, its outputs'
    // gradients, sample-major, which the tiles' columns are spread from.
    const products = plan?.products ?? null;
    const count = this.count;
    this.xAt = consts + 2 * n + (products?.table.length ?? 0) / 2;
    this.gxAt = this.xAt + count * this.inputs;
    const base = (this.gxAt + (plan === null ? 0 : count * this.outputsPerSample) + 1) & ~1;
    try {
      exec.reserve(base, T);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const megabytes = Math.ceil(((base + exec.columns * T) * 8) / 2 ** 20);
      const why =
        plan?.order === null
          ? ": this reduction reaches the samples' outputs out of sample order, so every sample's columns are kept at once"
          : '';
      throw new RangeError(
        `compile: ${T} samples' columns take ${megabytes} MB, more than this host gives (${e.message})${why}; run smaller batches`,
        { cause: e },
      );
    }
    exec.M.set(lowered.consts, 0);
    exec.M.set(whole(this.P, n), consts);
    exec.M.set(whole(this.X, count * this.inputs), this.xAt);
    // Written again when another plan's, or columns, took its place, or when parameters found
    // since (another batch size's reduction can capture new ones) moved it.
    const tableAt = consts + 2 * n;
    if (products !== null && (sample.tableOf !== plan || sample.tableAt !== tableAt)) {
      const M = exec.M;
      new Int32Array(M.buffer, M.byteOffset + tableAt * 8, products.table.length).set(products.table);
    }
    // Columns of a pass without this table may cover it.
    sample.tableOf = products === null ? null : plan;
    sample.tableAt = tableAt;
    return base;
  }

  /**
   * The loops of the reduction's chains of products of parameters, where the back end runs
   * them: their numbers and terms are put after the gradient sums by {@link Program.prepare}.
   */
  private products(sample: SampleProgram, reduction: Reduction): Plan['products'] {
    const { exec, lowered } = sample;
    const run = exec.products;
    const table = reduction.productTable();
    if (run === undefined || table === null) return null;
    const consts = lowered.consts.length;
    // Parameters, then their sums, then the table (as Program.prepare lays them out).
    const params = this.params.values;
    const at = (q: number) => consts + 2 * params.length + table.at[q]!;
    return {
      table: table.words,
      kernels: {
        forward: (q, sum) => {
          const slot = at(q);
          exec.M[slot] = sum;
          run.forward(slot + 1, reduction.chainTerms(q), consts);
          return exec.M[slot];
        },
        backward: (q, gm) => {
          const slot = at(q);
          exec.M[slot] = gm;
          run.backward(slot + 1, reduction.chainTerms(q), consts, consts + params.length);
        },
      },
    };
  }

  /**
   * Runs tile `t` forward: its inputs in, its values checked, its outputs to `O`. With `O`
   * null it recomputes a tile for its backward pass: the same numbers as the pass that checked
   * them, so they are not checked again. Lanes past the last sample repeat the tile's first
   * sample, so they are finite when it is.
   */
  private forwardTile(
    sample: SampleProgram,
    base: number,
    T: number,
    t: number,
    O: Float64Array | null,
  ): boolean {
    const { lowered, exec } = sample;
    const { inputs, outputsPerSample: m } = this;
    const M = exec.M;
    const first = t * T;
    const count = Math.min(T, this.count - first);
    const { inputColumns, inputIndex } = lowered;
    for (let j = 0; j < inputColumns.length; j++) {
      spread(exec, this.xAt + first * inputs + inputIndex[j]!, inputs, base + inputColumns[j]! * T, count, T);
    }
    exec.forward(base, T);
    if (O !== null) {
      for (let j = 0; j < lowered.outputs.length; j++) {
        const r = lowered.outputs[j]!;
        copyOut(O, first * m + j, m, M, r.col ? base + r.at * T : r.at, r.col ? 1 : 0, count);
      }
    }
    return O === null || exec.allFinite(base, base + lowered.checkedValues * T);
  }

  /** The general fold (one tile holds the whole batch): every addition in eager mode's order. */
  private foldEvents(plan: Plan, sample: SampleProgram, base: number): void {
    const { events, contributionParam, segments } = plan.reduction;
    const { siteParam, siteColumn, siteX, siteG } = sample.lowered;
    const { segmentFrom, segmentTo } = sample;
    const M = sample.exec.M;
    const G = this.G;
    const { R, T } = plan;
    for (let e = 0; e < events.length; e++) {
      const event = events[e]!;
      if (event >= 0) {
        G[contributionParam[event]!]! += R[event]!;
        continue;
      }
      const s = -1 - event;
      const i = Math.floor(s / segments);
      const segment = s % segments;
      for (let site = segmentFrom[segment]!; site < segmentTo[segment]!; site++) {
        const column = siteColumn[site]!;
        G[siteParam[site]!]! +=
          column >= 0
            ? M[base + column * T + i]!
            : M[base + siteX[site]! * T + i]! * (0 + M[base + siteG[site]! * T + i]!);
      }
    }
  }

  /** The exact scalar replay, for reductions the batch-major schedule does not cover. */
  private replay(plan: Plan): number {
    const O = this.outputBuffer(plan);
    if (!this.forwardAll(plan.count, O)) this.diagnose(plan, 'loss');
    const { loss, grads } = reference(
      this.sampleTape,
      plan.reduceTape,
      plan.count,
      this.X.subarray(0, plan.count * this.inputs),
      this.P,
      this.G,
    );
    this.params.values.forEach((p, j) => (p.grad = grads[j]!));
    this.show(O, plan.count);
    return loss;
  }

  /** Refuses a call from inside one of this program's own calls (say, from `options.reduce`): they share its buffers. */
  private enter(where: string): void {
    if (this.running) {
      throw new Error(
        `${where}: this program is already running (called from inside its own run, evaluate or predict, say from options.reduce); call it after that returns`,
      );
    }
    this.running = true;
    this.caller = where;
  }

  /** The buffer a run writes its outputs into: the plan's one that {@link Program.outputs} does not show. */
  private outputBuffer(plan: Plan): Float64Array {
    return plan.O[0] === this.O ? plan.O[1] : plan.O[0];
  }

  /** Shows a run's outputs in {@link Program.outputs}, once the run has succeeded. */
  private show(O: Float64Array, count: number): void {
    this.O = O;
    this.ran = count;
  }

  /**
   * Replays the batch in the exact scalar reference, which throws at the first value or
   * gradient that is not finite, naming its op and sample, as eager mode would.
   */
  private diagnose(plan: Plan, upTo: 'loss' | 'gradients'): never {
    this.replayCheck(plan, upTo);
    throw new RangeError('compile: a value or gradient was not finite, but replaying it found none');
  }

  /** Throws what eager mode would throw on this batch, if anything: the exact replay decides. */
  private replayCheck(plan: Plan, upTo: 'loss' | 'gradients'): void {
    reference(
      this.sampleTape,
      plan.reduceTape,
      plan.count,
      this.X.subarray(0, plan.count * this.inputs),
      this.P,
      // The parameters' own gradients (`G` may hold part of this run's sums already), or 0s
      // for a run that replaces them.
      this.replacing
        ? new Float64Array(this.params.values.length)
        : Float64Array.from(this.params.values, (p) => p.grad),
      upTo,
    );
  }

  /** Checks a batch and copies it into `X`, and the parameters into `P`; returns its number of samples. */
  private load(batch: ArrayLike<number>, where: string): number {
    const { inputs } = this;
    // Checked at run time: JavaScript callers get no help from the types.
    const given: unknown = batch;
    const length =
      typeof given === 'object' && given !== null ? (given as { length?: unknown }).length : undefined;
    if (typeof length !== 'number') {
      throw new TypeError(`${where}: batch must be an array of numbers, got ${describe(batch)}`);
    }
    if (inputs === 0 && length !== 0) {
      throw new RangeError(
        `${where}: batch length ${length} for a program of no inputs: pass an empty array (one sample)`,
      );
    }
    const count = inputs === 0 ? 1 : length / inputs;
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(
        `${where}: batch length ${length} is not a positive multiple of ${inputs} inputs per sample`,
      );
    }
    if (this.X.length < length) this.X = allocate(length, where);
    const X = this.X;
    // A Float64Array holds numbers only: copied at once, then checked in one sum (x - x is 0
    // unless x is not finite); the slower pass below finds the culprit.
    let check = NaN;
    if (batch instanceof Float64Array) {
      X.set(batch);
      check = allFinite(X, 0, length) ? 0 : NaN;
    }
    if (!(check === 0)) {
      for (let i = 0; i < length; i++) {
        const x = batch[i]!;
        if (typeof x !== 'number' || !(x - x === 0)) {
          throw new TypeError(`${where}: batch[${i}] must be a finite number, got ${describe(x)}`);
        }
        X[i] = x;
      }
    }
    this.readParameters(where);
    this.count = count;
    return count;
  }

  /**
   * The parameters' values into `P` and their gradients into `G` (where `run` starts from), in one
   * pass; for `run`, a gradient that is not a number is refused as `backward` refuses it (one that
   * is NaN or infinite is judged by the replay, which names it only if the run adds to it, as
   * `backward` checks only the leaves it reaches). A run that replaces the gradients starts
   * from 0s and reads none.
   */
  private readParameters(where: string): void {
    const params = this.params.values;
    if (this.P.length < params.length) {
      this.P = new Float64Array(params.length);
      this.G = new Float64Array(params.length);
    }
    const { P, G } = this;
    if (this.replacing) {
      G.fill(0, 0, params.length);
      readData(params, P);
      return;
    }
    const adding = where === 'Program.run';
    for (let p = 0; p < params.length; p++) {
      const v = params[p]!;
      const g: unknown = v.grad;
      if (adding && typeof g !== 'number') throw leafGradError(v, g, where);
      P[p] = v._data;
      G[p] = g as number;
    }
  }

  /** The plan for a batch size: kept in a small cache (least recently used go first). */
  private plan(count: number): Plan {
    let plan = this.plans.get(count);
    if (plan !== undefined) {
      // Most recent last (a training loop's batch size is the most recent already).
      if (plan !== this.recent) {
        this.plans.delete(count);
        this.plans.set(count, plan);
        this.recent = plan;
      }
      return plan;
    }
    const known = this.params.values.length;
    try {
      plan = this.makePlan(count);
    } catch (e) {
      // A plan that fails leaves the program's parameters as they were.
      this.params.truncate(known);
      throw e;
    }
    this.plans.set(count, plan);
    if (this.plans.size > PLANS) this.plans.delete(this.plans.keys().next().value!);
    this.recent = plan;
    return plan;
  }

  /** Traces the reduction for a batch size and works out how its runs go (see {@link Plan}). */
  private makePlan(count: number): Plan {
    const m = this.outputsPerSample;
    const reduceTape = trace((flat) => [this.reduceOutputs(flat, count)], count * m, this.params);
    // Again, for the parameters the reduction found: a run refuses their grads as the others'.
    this.readParameters(this.caller);
    const reduction = new Reduction(reduceTape, m, count);
    const used = reduction.visits[0]!;
    const uniform =
      used.length > 0 &&
      reduction.visits.every((v) => v.length === used.length && v.every((j, s) => j === used[s]));
    const sample = uniform && this.coverable(used) ? this.sampleProgram(used) : null;
    const R = new Float64Array(reduction.contributionParam.length);
    const outputs = () => new Float64Array(count * m);
    const GX = new Float64Array(count * m);
    const order = sample === null ? null : ordering(reduction, count);
    const none = new Int32Array(0);
    const { before, after } = order ?? { before: none, after: none };
    const { T, tiles, kept } =
      order === null ? { T: count + (count & 1), tiles: 1, kept: true } : this.tiling(sample!, count);
    const schedule = kept ? 'kept' : reduction.linear ? 'fused' : 'recomputed';
    const products = sample === null || order === null ? null : this.products(sample, reduction);
    return {
      count,
      reduceTape,
      reduction,
      sample,
      T,
      tiles,
      schedule,
      scratch: schedule === 'fused' ? new Float64Array(this.params.values.length) : null,
      products,
      order: order?.direction ?? null,
      before,
      after,
      O: [outputs(), outputs()],
      GX,
      R,
    };
  }

  /**
   * Samples per tile (even) and tiles for a batch. Tiles are sized so that one tile's columns
   * stay in the processor's cache (384 KB). When the batch's columns are several
   * times that (and a tile holds a block of samples for the kernels), the tiles share one set
   * of columns (not `kept`): each runs forward and backward in one pass, or recomputes its
   * forward pass for its backward pass (see {@link Plan.schedule}); a forward pass in cache
   * costs less than reading back columns from memory. Otherwise every tile keeps its own
   * columns while the batch fits the memory budget, and past that as few tiles as the budget
   * allows share one set.
   */
  private tiling(sample: SampleProgram, count: number): { T: number; tiles: number; kept: boolean } {
    const columns = Math.max(1, sample.exec.columns);
    const split = (most: number) => {
      const tiles = Math.ceil(count / most);
      const T = Math.ceil(count / tiles);
      return { T: T + (T & 1), tiles };
    };
    const fit = Math.floor(Math.min(tileCache, tileBudget) / columns) & ~1;
    const small = split(Math.max(2, fit));
    if (small.tiles === 1) return { ...small, kept: true };
    const total = small.tiles * small.T * columns;
    if (fit >= BLOCK && total > 4 * tileCache) return { ...small, kept: false };
    if (total <= tileBudget) return { ...small, kept: true };
    const large = split(Math.max(2, Math.floor(tileBudget / columns) & ~1));
    return { ...large, kept: large.tiles === 1 };
  }

  /**
   * Whether the batch-major schedule reproduces eager mode for outputs used in this order:
   * each used output is an op of its own, used by nothing else inside the sample, so its
   * gradient comes from the reduction alone.
   */
  private coverable(used: readonly number[]): boolean {
    const { nodes, outputs } = this.sampleTape;
    const roots = used.map((j) => outputs[j]!);
    if (new Set(roots).size !== roots.length) return false;
    const operand = new Uint8Array(nodes.length);
    for (let k = 0; k < nodes.length; k++) {
      const n = nodes[k]!;
      if (n.kind !== 'op') continue;
      operand[n.a] = 1;
      if (n.b >= 0) operand[n.b] = 1;
    }
    return roots.every((k) => nodes[k]!.kind === 'op' && operand[k] === 0);
  }

  private sampleProgram(used: readonly number[]): SampleProgram {
    const key = used.join(',');
    const known = this.programs.get(key);
    if (known !== undefined) {
      // Most recent last, as plans are kept (a plan holds its own program when this one is gone).
      this.programs.delete(key);
      this.programs.set(key, known);
      return known;
    }
    const lowered = lower(this.sampleTape, used);
    const exec = this.executor(lowered);
    const { siteSegment, segments } = lowered;
    // Segments' sites are contiguous, the last segment's first (the backward pass meets it first).
    const segmentFrom = new Int32Array(segments);
    const segmentTo = new Int32Array(segments);
    siteSegment.forEach((k, s) => {
      if (segmentTo[k] === 0) segmentFrom[k] = s;
      segmentTo[k] = s + 1;
    });
    const program: SampleProgram = {
      lowered,
      exec,
      segmentFrom,
      segmentTo,
      tableOf: null,
      tableAt: 0,
      sums: null,
    };
    this.programs.set(key, program);
    if (this.programs.size > PLANS) this.programs.delete(this.programs.keys().next().value!);
    return program;
  }

  private executor(lowered: Lowered): Executor {
    if (this.backend === 'interpreter') return new Interpreter(lowered);
    try {
      return new WasmExecutor(lowered);
    } catch (e) {
      // Under 'auto', a module this host will not compile (say, too large for a browser's
      // main thread) runs on the interpreter instead, with the same numbers.
      if (!this.auto) throw e;
      this.chosen = 'interpreter';
      return new Interpreter(lowered);
    }
  }

  private reduceOutputs(flat: Value[], count: number): Value {
    const m = this.outputsPerSample;
    const outs = Array.from({ length: count }, (_, i) => flat.slice(i * m, (i + 1) * m));
    const loss = this.reduceFn(outs);
    if (!(loss instanceof Value)) {
      throw new TraceError(`compile: options.reduce must return a Value, got ${describe(loss)}`);
    }
    return loss;
  }
}

/**
 * Whether the reduction hands samples back in ascending or descending order, each as one
 * block, with its own contributions only before and after them (a mean plus an L2 term, say):
 * then the fold can go tile by tile. Null for any other schedule.
 */
function ordering(
  reduction: Reduction,
  count: number,
): { direction: 'ascending' | 'descending'; before: Int32Array; after: Int32Array } | null {
  const { events, segments } = reduction;
  let start = 0;
  while (start < events.length && events[start]! >= 0) start++;
  let end = events.length;
  while (end > start && events[end - 1]! >= 0) end--;
  if (end - start !== count * segments) return null;
  const firstSample = Math.floor((-1 - events[start]!) / segments);
  const direction = firstSample === 0 ? 'ascending' : 'descending';
  for (let e = start; e < end; e++) {
    const event = events[e]!;
    if (event >= 0) return null;
    const s = -1 - event;
    const block = Math.floor((e - start) / segments);
    const sample = direction === 'ascending' ? block : count - 1 - block;
    if (Math.floor(s / segments) !== sample || s % segments !== segments - 1 - ((e - start) % segments))
      return null;
  }
  return { direction, before: events.slice(0, start), after: events.slice(end) };
}

// Loops that run every step live in small functions of their own, which V8 optimises within
// a few steps; in the large methods above they would stay unoptimised for longer.

/**
 * Column `to` of a tile from a sample-major array in the back end's memory (`count` numbers
 * `stride` apart from `from`); lanes past the last sample repeat the tile's first sample.
 */
function spread(exec: Executor, from: number, stride: number, to: number, count: number, T: number): void {
  exec.spread(from, stride, to, count);
  const M = exec.M;
  if (count < T) M.fill(M[to]!, to + count, to + T);
}

/** `O[at + i * stride] = M[from + i * step]` for the tile's `count` samples: an output into `O`, sample-major. */
function copyOut(
  O: Float64Array,
  at: number,
  stride: number,
  M: Float64Array,
  from: number,
  step: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) O[at + i * stride] = M[from + i * step]!;
}

/** The first `n` numbers of `A`: `A` itself when that is all of it (a run makes no view then). */
function whole(A: Float64Array, n: number): Float64Array {
  return A.length === n ? A : A.subarray(0, n);
}

// The loops over every parameter that each run makes are small functions of their own, which V8
// optimises after a few runs; a loop inside a larger method waits until the method is optimised.

/** Each parameter's value into `P`. */
function readData(params: readonly Value[], P: Float64Array): void {
  for (let p = 0; p < params.length; p++) P[p] = params[p]!._data;
}

/** Each parameter's `grad` from `G`. */
function writeGradients(params: readonly Value[], G: Float64Array): void {
  for (let p = 0; p < params.length; p++) params[p]!.grad = G[p]!;
}

function asArray(out: Value | Value[]): Value[] {
  return Array.isArray(out) ? out : [out];
}

const OPTIONS = ['inputs', 'reduce', 'backend'] as const;

/** A Float64Array of `length` numbers, or a RangeError saying the host would not give that much memory. */
function allocate(length: number, where: string): Float64Array {
  try {
    return new Float64Array(length);
  } catch (e) {
    throw new RangeError(
      `${where}: ${length} numbers (${Math.ceil((length * 8) / 2 ** 20)} MB) are more than this host gives (${String(e)}); run smaller batches`,
      { cause: e },
    );
  }
}

/**
 * Traces `fn` once, on symbolic inputs, and returns a {@link Program} that replays its graph
 * for new numbers, every sample of a batch at once (WebAssembly, or typed arrays where a page
 * forbids WebAssembly), with the same results as eager mode bit for bit, without building a
 * graph per run.
 *
 * Every `Value` that `fn` captures from outside (the model's weights) is a parameter: read at
 * each run, given gradients. Numbers and Values made inside `fn` are constants. As in JAX,
 * control flow cannot depend on traced numbers: reading `.data` of an input, a parameter or
 * anything computed from them inside `fn` throws.
 *
 * @param fn - builds one sample's outputs (a loss, or `[loss, score]`) from its inputs
 * @param options - inputs per sample, an optional reduction over the batch, the back end
 * @returns the program
 * @throws TraceError (a TypeError) when `fn` reads traced data, returns something other than Values, or uses a Value computed outside it
 * @throws TypeError for unknown options; Error when the requested back end cannot run on this host
 *
 * @example
 * ```ts
 * const w = new Value(0.5);
 * const b = new Value(0);
 * // per sample: inputs [x, y], squared error of w*x + b
 * const program = compile(([x, y]) => w.mul(x).add(b).sub(y).pow(2), {
 *   inputs: 2,
 *   reduce: (outs) => outs.map(([e]) => e).reduce((s, e) => s.add(e)).div(outs.length),
 * });
 * program.run([1, 2, 2, 4]); // 5.625 (mean of 2.25 and 9): w.grad, b.grad now hold its gradient
 * ```
 */
export function compile(fn: (inputs: Value[]) => Value | Value[], options: CompileOptions): Program {
  const given: unknown = options;
  if (typeof (fn as unknown) !== 'function') throw new TypeError('compile: fn must be a function');
  if (typeof given !== 'object' || given === null) {
    throw new TypeError('compile: options must be an object such as { inputs: 2 }');
  }
  return new Program(fn, options);
}
