import { Value } from '../value.js';
import { PRIMITIVES, type PrimitiveOp } from '../ops.js';
import { canGenerateCode, generateKernel, valueSlots } from './codegen.js';
import { InterpretedKernel } from './interpreter.js';
import type { Kernel } from './kernel.js';
import type { Tape } from './tape.js';
import { ParameterSet, trace } from './trace.js';
import { TieredKernel } from './tiers.js';
import { TraceError } from '../trace-error.js';

/** Which back end runs a compiled program. */
export type Backend = 'js' | 'interpreter';

/** Options for {@link compile}. */
export interface CompileOptions {
  /** How many numbers make one sample (the length of the array the traced function receives). */
  inputs: number;
  /**
   * Combines every sample's outputs into the one number `run` returns and differentiates,
   * for example a mean plus an L2 term. Traced once per batch size. Default: the sum of each
   * sample's first output (for one sample, that output itself).
   */
  reduce?: (outputs: Value[][]) => Value;
  /**
   * `'js'` generates JavaScript (fastest), `'interpreter'` runs typed arrays (works where a
   * Content-Security-Policy forbids `unsafe-eval`), `'auto'` (default) picks `'js'` when the
   * environment allows it.
   */
  backend?: Backend | 'auto';
}

/**
 * Everything a batch size needs, allocated once: kernels and buffers. `V` holds the
 * parameters, then the reduction's node values, then one slice per sample (`run` needs them
 * all for the backward pass; `evaluate` reuses the first, so a large batch costs no memory per
 * sample until it is differentiated). `GV` holds the parameters' gradients (`G`), then scratch
 * for the per-sample and reduction kernels.
 */
interface Plan {
  readonly sample: Kernel;
  readonly reduce: Kernel;
  readonly reduceTape: Tape;
  /** Grown by `run` to hold every sample's slice. */
  V: Float64Array;
  readonly GV: Float64Array;
  readonly G: Float64Array;
  readonly O: Float64Array;
  readonly GX: Float64Array;
  /** Where the reduction's values start in V, and the first sample's. */
  readonly reduceAt: number;
  readonly samplesAt: number;
}

const ONE = new Float64Array([1]);

/**
 * A traced function, ready to run over batches of samples. Made by {@link compile}.
 *
 * `run` computes the loss for a batch and adds the gradients of the parameters (every `Value`
 * the traced function captured) into their `grad`, with the same numbers, bit for bit, as
 * eager mode on the same graph. It allocates nothing per call once a batch size has been seen.
 */
export class Program {
  /** The back end in use. */
  readonly backend: Backend;
  /** Numbers per sample. */
  readonly inputs: number;
  /** Outputs the traced function returns per sample. */
  readonly outputsPerSample: number;

  private readonly params = new ParameterSet();
  private readonly sampleTape: Tape;
  private readonly reduceFn: (outputs: Value[][]) => Value;
  private readonly plans = new Map<number, Plan>();
  private readonly reduceTapes = new Map<number, Tape>();
  private X = new Float64Array(0);
  private readonly loss = new Float64Array(1);
  private count = 0;
  private current: Plan | null = null;
  private predictor: InterpretedKernel | null = null;
  private readonly backpropSample = (i: number): void => {
    const plan = this.current!;
    const vo = plan.samplesAt + i * plan.sample.size;
    plan.sample.backward(plan.V, vo, plan.GX, i * this.outputsPerSample, null, null);
  };

  /** @internal Use {@link compile}. */
  constructor(fn: (inputs: Value[]) => Value | Value[], options: CompileOptions) {
    const { inputs, reduce } = options;
    // Checked at run time too: JavaScript callers get no help from the types.
    const backend: unknown = options.backend ?? 'auto';
    if (!Number.isInteger(inputs) || inputs < 0) {
      throw new RangeError(`compile: options.inputs must be a non-negative integer, got ${String(inputs)}`);
    }
    if (backend !== 'auto' && backend !== 'js' && backend !== 'interpreter') {
      throw new TypeError(`compile: options.backend must be 'auto', 'js' or 'interpreter', got ${JSON.stringify(backend)}`);
    }
    this.inputs = inputs;
    this.backend = backend === 'auto' ? (canGenerateCode() ? 'js' : 'interpreter') : backend;
    this.sampleTape = trace((x) => asArray(fn(x)), inputs, this.params, false);
    this.outputsPerSample = this.sampleTape.outputs.length;
    if (this.outputsPerSample === 0) throw new RangeError('compile: the traced function returned no outputs');
    this.reduceFn = reduce ?? ((outs) => outs.map((o) => o[0]!).reduce((s, o) => s.add(o)));
  }

  /** The parameters: every leaf `Value` the traced functions captured, in order of first use. */
  get parameters(): readonly Value[] {
    return this.params.values;
  }

  /** The last run's per-sample outputs, sample-major: output `j` of sample `i` is at `i * outputsPerSample + j`. */
  get outputs(): Float64Array {
    return (this.current?.O ?? new Float64Array(0)).subarray(0, this.count * this.outputsPerSample);
  }

  /**
   * Output `j` of sample `i` in the last run.
   *
   * @throws RangeError before the first run, or for a sample or output that does not exist
   */
  output(i: number, j = 0): number {
    if (this.current === null) throw new RangeError('Program.output: nothing has run yet');
    if (!Number.isInteger(i) || i < 0 || i >= this.count || !Number.isInteger(j) || j < 0 || j >= this.outputsPerSample) {
      throw new RangeError(
        `Program.output: no output ${j} of sample ${i} (the last run had ${this.count} samples of ${this.outputsPerSample} outputs)`,
      );
    }
    return this.current.O[i * this.outputsPerSample + j]!;
  }

  /**
   * Forward and backward over a batch: returns the reduced loss and adds d(loss)/d(parameter)
   * into each parameter's `grad` (zero them first, as in eager mode).
   *
   * @param batch - the samples' inputs, row after row (`inputs` numbers per sample)
   * @throws RangeError naming the op when a value or gradient is not finite; gradients are then left unchanged
   */
  run(batch: ArrayLike<number>): number {
    const plan = this.prepare(batch);
    const loss = this.forwardAll(plan, true);
    const { G, V, GX } = plan;
    const params = this.params.values;
    for (let j = 0; j < params.length; j++) G[j] = params[j]!.grad;
    plan.reduce.backward(V, plan.reduceAt, ONE, 0, GX, this.backpropSample);
    let finite = loss - loss === 0;
    for (let j = 0; finite && j < params.length; j++) finite = G[j]! - G[j]! === 0;
    if (!finite) this.diagnose(true);
    for (let j = 0; j < params.length; j++) params[j]!.grad = G[j]!;
    return loss;
  }

  /**
   * The samples' outputs for a batch, forward only: no reduction, no gradients.
   *
   * @param batch - the samples' inputs, row after row (`inputs` numbers per sample)
   * @returns a new array, sample-major like {@link Program.outputs}: output `j` of sample `i` at `i * outputsPerSample + j`
   * @throws RangeError naming the op when a value is not finite
   */
  predict(batch: ArrayLike<number>): Float64Array {
    const count = this.load(batch, 'Program.predict');
    const m = this.outputsPerSample;
    const n = this.params.values.length;
    const kernel = (this.predictor ??= new InterpretedKernel(this.sampleTape, new Float64Array(n + this.sampleTape.nodes.length), n, null));
    const V = new Float64Array(n + kernel.size);
    const params = this.params.values;
    for (let j = 0; j < n; j++) V[j] = params[j]!._data;
    const O = new Float64Array(count * m);
    for (let i = 0; i < count; i++) kernel.forward(this.X, i * this.inputs, V, n, O, i * m);
    for (let k = 0; k < O.length; k++) {
      if (!(O[k]! - O[k]! === 0)) this.diagnoseSamples(count, Math.floor(k / m));
    }
    return O;
  }

  /**
   * Forward only: the reduced loss of a batch; no gradients change.
   *
   * @throws RangeError naming the op when a value is not finite
   */
  evaluate(batch: ArrayLike<number>): number {
    const plan = this.prepare(batch);
    const loss = this.forwardAll(plan, false);
    if (!(loss - loss === 0)) this.diagnose(false);
    return loss;
  }

  /** Runs every sample and the reduction; `keep` gives each sample its own slice for backward. */
  private forwardAll(plan: Plan, keep: boolean): number {
    const { X, inputs, outputsPerSample: m, count } = this;
    const { O, sample, samplesAt } = plan;
    const size = sample.size;
    if (keep && plan.V.length < samplesAt + count * size) {
      plan.V = new Float64Array(samplesAt + count * size);
    }
    const V = plan.V;
    const params = this.params.values;
    for (let j = 0; j < params.length; j++) V[j] = params[j]!._data;
    const stride = keep ? size : 0;
    for (let i = 0; i < count; i++) sample.forward(X, i * inputs, V, samplesAt + i * stride, O, i * m);
    plan.reduce.forward(O, 0, V, plan.reduceAt, this.loss, 0);
    return this.loss[0]!;
  }

  /** Copies the batch in and finds (or builds) the kernels for its size. */
  private prepare(batch: ArrayLike<number>): Plan {
    const count = this.load(batch, 'Program.run');
    this.count = count;
    let plan = this.plans.get(count);
    if (plan === undefined) {
      plan = this.plan(count);
      this.plans.set(count, plan);
    }
    this.current = plan;
    return plan;
  }

  /** Checks a batch and copies it into `X`; returns its number of samples. */
  private load(batch: ArrayLike<number>, where: string): number {
    const { inputs } = this;
    const length = (batch as { length?: unknown }).length;
    if (typeof length !== 'number') throw new TypeError(`${where}: batch must be an array of numbers`);
    const count = inputs === 0 ? 1 : length / inputs;
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`${where}: batch length ${length} is not a positive multiple of ${inputs} inputs per sample`);
    }
    if (this.X.length < length) this.X = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const x = batch[i]!;
      if (typeof x !== 'number' || !(x - x === 0)) {
        throw new TypeError(`${where}: batch[${i}] must be a finite number, got ${String(x)}`);
      }
      this.X[i] = x;
    }
    return count;
  }

  /** Replays the samples up to `last` checking every value; throws at the first that is not finite. */
  private diagnoseSamples(count: number, last: number): never {
    const n = this.params.values.length;
    const size = this.sampleTape.nodes.length;
    const kernel = new InterpretedKernel(this.sampleTape, new Float64Array(n + size), n, null, false);
    const V = new Float64Array(n + size);
    const params = this.params.values;
    for (let j = 0; j < n; j++) V[j] = params[j]!._data;
    const O = new Float64Array(this.outputsPerSample);
    let sample = 0;
    kernel.report = (_what, node, op, operands) => {
      const at = operands.slice(0, PRIMITIVES[op].arity).join(', ');
      throw new RangeError(`compile: the result of ${op}(${at}) is not finite (sample ${sample}, node ${node})`);
    };
    for (; sample <= Math.min(last, count - 1); sample++) kernel.forward(this.X, sample * this.inputs, V, n, O, 0);
    throw new RangeError(`compile: an output of sample ${last} is not finite`);
  }

  private plan(count: number): Plan {
    const m = this.outputsPerSample;
    let reduceTape = this.reduceTapes.get(count);
    if (reduceTape === undefined) {
      const known = this.params.values.length;
      reduceTape = trace((flat) => [this.reduceOutputs(flat, count)], count * m, this.params, true);
      this.reduceTapes.set(count, reduceTape);
      // New parameters change the buffers' layout: plans made before are stale.
      if (this.params.values.length > known) this.plans.clear();
    }
    const n = this.params.values.length;
    const sampleNodes = this.sampleTape.nodes.length;
    const reduceNodes = reduceTape.nodes.length;
    const GV = new Float64Array(n + sampleNodes + reduceNodes);
    const G = GV.subarray(0, n);
    const sample =
      this.backend === 'js'
        ? new TieredKernel(
            new InterpretedKernel(this.sampleTape, GV, n, null),
            () => generateKernel(this.sampleTape, G, null),
            valueSlots(this.sampleTape).size,
            m,
          )
        : new InterpretedKernel(this.sampleTape, GV, n, null);
    // The reduction runs once per batch: interpreting it costs microseconds, while generated
    // code for it (hundreds of nodes for an L2 term) would cost V8 more to optimise than it saves.
    const reduce = new InterpretedKernel(reduceTape, GV, n + sampleNodes, { perSample: m });
    const samplesAt = n + reduceNodes;
    return {
      sample,
      reduce,
      reduceTape,
      V: new Float64Array(samplesAt + sample.size),
      GV,
      G,
      O: new Float64Array(count * m),
      GX: new Float64Array(count * m),
      reduceAt: n,
      samplesAt,
    };
  }

  private reduceOutputs(flat: Value[], count: number): Value {
    const m = this.outputsPerSample;
    const outs = Array.from({ length: count }, (_, i) => flat.slice(i * m, (i + 1) * m));
    const loss = this.reduceFn(outs);
    if (!(loss instanceof Value)) throw new TraceError('compile: options.reduce must return a Value');
    return loss;
  }

  /**
   * Replays the last batch in the interpreter, checking every result, and throws at the
   * first value or gradient that is not finite, naming its op, as eager mode would.
   */
  private diagnose(withGradients: boolean): never {
    const plan = this.current!;
    const { GV, G, O, GX, samplesAt } = plan;
    const n = G.length;
    const m = this.outputsPerSample;
    const where = { tape: 'reduce', sample: -1 };
    const report = (what: 'value' | 'gradient', node: number, op: PrimitiveOp, operands: number[]): never => {
      const at = operands.slice(0, PRIMITIVES[op].arity).join(', ');
      const place = where.tape === 'sample' ? `sample ${where.sample}, node ${node}` : `the reduction, node ${node}`;
      throw new RangeError(
        `compile: ${what === 'value' ? 'the result' : 'the gradient'} of ${op}(${at}) is not finite (${place})`,
      );
    };
    const size = this.sampleTape.nodes.length;
    const sample = new InterpretedKernel(this.sampleTape, GV, n, null, false);
    const reduce = new InterpretedKernel(plan.reduceTape, GV, n + size, { perSample: m }, false);
    // Its own value buffer: the unfused interpreter's slices are larger than the plan's.
    const V = new Float64Array(samplesAt + this.count * size);
    V.set(plan.V.subarray(0, n));
    sample.report = report;
    reduce.report = report;
    for (let i = 0; i < this.count; i++) {
      where.tape = 'sample';
      where.sample = i;
      sample.forward(this.X, i * this.inputs, V, samplesAt + i * size, O, i * m);
    }
    where.tape = 'reduce';
    reduce.forward(O, 0, V, plan.reduceAt, this.loss, 0);
    if (withGradients) {
      const params = this.params.values;
      for (let j = 0; j < params.length; j++) G[j] = params[j]!.grad;
      reduce.backward(V, plan.reduceAt, ONE, 0, GX, (i) => {
        where.tape = 'sample';
        where.sample = i;
        sample.backward(V, samplesAt + i * size, GX, i * m, null, null);
        where.tape = 'reduce';
      });
      const bad = G.findIndex((g) => !(g - g === 0));
      if (bad >= 0) throw new RangeError(`compile: the gradient of parameter ${bad} overflowed to ${G[bad]}`);
    }
    throw new RangeError(`compile: the loss is ${this.loss[0]}`);
  }
}

function asArray(out: Value | Value[]): Value[] {
  return Array.isArray(out) ? out : [out];
}

/**
 * Traces `fn` once, on symbolic inputs, and returns a {@link Program} that replays its graph
 * for new numbers: a generated JavaScript kernel or a typed-array interpreter, with the same
 * results as eager mode bit for bit, without building a graph per run.
 *
 * Every `Value` that `fn` captures from outside (the model's weights) is a parameter: read at
 * each run, given gradients. Numbers and Values made inside `fn` are constants. As in JAX,
 * control flow cannot depend on traced numbers: reading `.data` of an input, a parameter or
 * anything computed from them inside `fn` throws.
 *
 * @param fn - builds one sample's outputs (a loss, or `[loss, score]`) from its inputs
 * @param options - inputs per sample, an optional reduction over the batch, the back end
 * @returns the program
 * @throws TypeError when `fn` reads traced data, returns something other than Values, or uses a Value computed outside it
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
