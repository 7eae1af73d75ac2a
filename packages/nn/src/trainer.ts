import {
  BACKENDS,
  checkOptions,
  compile,
  type CompileOptions,
  describeInput,
  type Program,
  type RunOptions,
  TraceError,
  type Value,
} from '@mg/engine';
import type { MLP } from './mlp.js';
import { Neuron } from './neuron.js';
import { Optimizer, checkRate } from './optimizer.js';
import { SGD } from './sgd.js';
import { l2, mean } from './losses.js';
import { lossKind, type LossKind, type LossName } from './loss-table.js';
import { checkData, shuffler, type Dataset } from './data.js';
import {
  TRAINER_OPTIONS,
  type LearningRate,
  type LiveOptions,
  type StepInfo,
  type TrainableModel,
  type TrainerOptions,
} from './trainer-options.js';
import { ENGINES, type Engine } from './engines.js';
import { at, numberAt, outside } from './at.js';

/** A compiled run that sets each gradient to the batch's instead of adding to it. */
const REPLACE: RunOptions = { accumulate: false };

/** What one step measured before its update. */
interface Measured {
  loss: number;
  correct: number;
}

/**
 * Trains an {@link MLP} (or a {@link Layer}): one optimizer step per call to {@link Trainer.step},
 * full-batch or mini-batch, eager or compiled. Each step computes the loss, zeroes the model's
 * gradients, back-propagates, sets the learning rate and updates, the order of micrograd's demo
 * loop.
 *
 * Compiled mode traces the model and loss once with `compile` and replays it without building
 * graphs; it gives the same numbers as eager mode bit for bit. If the model cannot be traced
 * (control flow that reads `.data`), the trainer falls back to eager mode and says so in
 * {@link Trainer.engine}.
 *
 * A step is all or nothing: when anything in it fails (a non-finite loss, gradient or weight, a
 * schedule returning NaN), it throws and leaves the weights, their gradients, the optimizer's
 * state and learning rate, and the step count as they were.
 *
 * @example
 * ```ts
 * import { MLP, Trainer } from '@mg/nn';
 *
 * const model = new MLP(2, [8, 1], { seed: 1 });
 * const data = { x: [[1, 1], [-1, -1], [1, -1], [-1, 1]], y: [1, 1, -1, -1] };
 * const trainer = new Trainer(model, data, { alpha: 1e-4, lr: (k) => 1.0 - (0.9 * k) / 100 });
 * for (let k = 0; k < 50; k++) trainer.step();
 * trainer.setOptions({ lr: 0.05 }); // from the next step on; the model and step count stay
 * console.log(trainer.steps, trainer.step().lr); // 50 0.05
 * ```
 */
export class Trainer<M extends TrainableModel = MLP> {
  /** The model being trained. */
  readonly model: M;
  /** The loss. */
  readonly loss: LossName;
  private opt: Optimizer;
  private mode: Engine;
  private readonly kind: LossKind;
  private readonly rows: number[][];
  private readonly targets: number[][];
  private readonly params: Value[];
  private readonly paramSet: ReadonlySet<Value>;
  private penalty: number;
  private schedule: ((step: number) => number) | null;
  private readonly batchSize: number;
  private readonly sample: ((step: number, size: number) => readonly number[]) | null;
  private readonly every: readonly number[];
  private readonly fallback: boolean;
  private readonly onStep: ((info: StepInfo) => void) | null;
  private readonly backend: NonNullable<CompileOptions['backend']>;
  private program: Program | null = null;
  private termCount = 0;
  private flat = new Float64Array(0);
  /** The batch `flat` holds (the rows are the trainer's own copies, so the same batch gives the same numbers). */
  private flatFor: readonly number[] | null = null;
  /** The gradients before the step in progress, restored when it fails. */
  private readonly saved: Float64Array;
  /** One sample's outputs, for the loss's `correct`. */
  private readonly out: Float64Array;
  private k = 0;

  /**
   * @param model - the network
   * @param data - inputs and targets
   * @param options - loss, L2, optimizer, learning rate, batches, engine, callback
   * @throws TypeError or RangeError naming the bad sample or option
   */
  constructor(model: M, data: Dataset, options?: TrainerOptions) {
    const given = checkOptions(options, TRAINER_OPTIONS, 'Trainer');
    this.model = checkModel(model, 'Trainer');
    this.kind = lossKind(given.loss ?? 'hinge', 'Trainer');
    this.loss = (given.loss ?? 'hinge') as LossName;
    const { nin, nout } = model;
    if (this.kind.singleOutput && nout !== 1) {
      throw new RangeError(
        `Trainer: the '${this.loss}' loss needs a model with one output, this one has ${nout}`,
      );
    }
    ({ rows: this.rows, targets: this.targets } = checkData(
      data,
      nin,
      nout,
      this.kind,
      this.loss,
      'Trainer',
    ));
    this.penalty = checkRate(given.alpha ?? 0, 'Trainer: alpha');
    // Each parameter once, as PyTorch's `parameters()` gives them: a model that shares a Value
    // between two places may list it twice, and the optimizer refuses a parameter listed twice.
    this.params = [...new Set(model.parameters())];
    this.paramSet = new Set(this.params);
    this.saved = new Float64Array(this.params.length);
    this.out = new Float64Array(nout);
    const lr = checkLearningRate(given.lr, 'Trainer: lr');
    this.schedule = typeof lr === 'function' ? lr : null;
    const firstLr =
      this.schedule === null ? ((lr as number | undefined) ?? 0.1) : this.scheduled(this.schedule, 0);
    this.opt =
      given.optimizer === undefined
        ? new SGD(this.params, { lr: firstLr })
        : this.checkOptimizer(given.optimizer);
    const n = this.rows.length;
    const batchSize = given.batchSize ?? n;
    if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) {
      const message = `Trainer: batchSize must be an integer in [1, ${n}], got ${typeof batchSize === 'number' ? batchSize : describeInput(batchSize)}`;
      throw typeof batchSize === 'number' ? new RangeError(message) : new TypeError(message);
    }
    this.batchSize = batchSize;
    const seed = given.seed ?? 0;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new TypeError(`Trainer: seed must be a safe integer, got ${describeInput(seed)}`);
    }
    if (given.sample !== undefined && typeof given.sample !== 'function') {
      throw new TypeError(
        `Trainer: sample must be a function (step, size) => indices, got ${describeInput(given.sample)}`,
      );
    }
    if (given.onStep !== undefined && typeof given.onStep !== 'function') {
      throw new TypeError(`Trainer: onStep must be a function, got ${describeInput(given.onStep)}`);
    }
    this.every = this.rows.map((_, i) => i);
    this.sample = (given.sample as TrainerOptions['sample']) ?? (batchSize === n ? null : shuffler(n, seed));
    this.onStep = (given.onStep as TrainerOptions['onStep']) ?? null;
    const backend: unknown = given.backend ?? 'auto';
    if (backend !== 'auto' && !BACKENDS.includes(backend as (typeof BACKENDS)[number])) {
      throw new TypeError(
        `Trainer: backend must be 'auto', ${BACKENDS.map((b) => `'${b}'`).join(' or ')}, got ${describeInput(backend)}`,
      );
    }
    this.backend = backend as NonNullable<CompileOptions['backend']>;
    const engine: unknown = given.engine ?? 'auto';
    if (engine !== 'auto' && !ENGINES.includes(engine as Engine)) {
      throw new TypeError(
        `Trainer: engine must be 'auto', ${ENGINES.map((e) => `'${e}'`).join(' or ')}, got ${describeInput(engine)}`,
      );
    }
    this.mode = engine === 'eager' ? 'eager' : 'compiled';
    this.fallback = engine === 'auto';
    // Last, once nothing can throw: a refused constructor leaves the given optimizer as it was.
    if (typeof lr === 'number') this.opt.lr = lr;
  }

  /** The engine in use: `'compiled'` unless asked for eager or the model could not be traced. */
  get engine(): Engine {
    return this.mode;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.k;
  }

  /** The optimizer updating the model (see {@link Trainer.setOptions} to change it). */
  get optimizer(): Optimizer {
    return this.opt;
  }

  /** The L2 coefficient α in use. */
  get alpha(): number {
    return this.penalty;
  }

  /**
   * Changes the learning rate, the optimizer or the L2 coefficient from the next step on, without
   * restarting: the model, its weights and the step count stay. All or nothing: every option is
   * checked before any is applied.
   *
   * @param options - `lr` (a number replaces any schedule; a function becomes the schedule),
   *   `optimizer` (fresh state; must update only this model's parameters), `alpha`
   * @throws TypeError for an unknown key or a value of the wrong kind; RangeError for a value out of range
   *
   * @example
   * ```ts
   * import { Adam, MLP, Trainer } from '@mg/nn';
   *
   * const model = new MLP(2, [4, 1], { seed: 2 });
   * const trainer = new Trainer(model, { x: [[1, 0], [0, 1]], y: [1, -1] }, { lr: 0.1 });
   * trainer.step();
   * trainer.setOptions({ optimizer: new Adam(model.parameters(), { lr: 0.01 }), alpha: 1e-4 });
   * const { step, lr } = trainer.step();
   * console.log(step, lr, trainer.optimizer.constructor.name); // 1 0.01 Adam
   * ```
   */
  setOptions(options: LiveOptions): void {
    const given = checkOptions(options, ['lr', 'optimizer', 'alpha'], 'Trainer.setOptions');
    const lr = checkLearningRate(given.lr, 'Trainer.setOptions: lr');
    const optimizer =
      given.optimizer === undefined ? this.opt : this.checkOptimizer(given.optimizer, 'Trainer.setOptions');
    const alpha =
      given.alpha === undefined ? this.penalty : checkRate(given.alpha, 'Trainer.setOptions: alpha');
    if (typeof lr === 'function') this.scheduled(lr, this.k);
    this.opt = optimizer;
    if (typeof lr === 'number') {
      this.schedule = null;
      optimizer.lr = lr;
    } else if (lr !== undefined) {
      this.schedule = lr;
    }
    if (alpha !== this.penalty) {
      this.penalty = alpha;
      // The L2 term is part of the traced reduction: trace again at the next step.
      this.program = null;
    }
  }

  /**
   * One training step on the next batch.
   *
   * @returns the batch's loss and accuracy before the update, the learning rate used
   * @throws RangeError when a loss, gradient or new weight is not finite, or the schedule gives
   *   a bad learning rate; the weights, gradients, optimizer and step count are then unchanged
   */
  step(): StepInfo {
    const k = this.k;
    const opt = this.opt;
    const lr = this.schedule === null ? opt.lr : this.scheduled(this.schedule, k);
    const indices = this.batchIndices(k);
    const { params, saved } = this;
    // Saved for a failed step to restore (a compiled run replaces the gradients, an eager step
    // zeroes them first).
    saveGradients(params, saved);
    const previousLr = opt.lr;
    let measured: Measured;
    try {
      measured = this.mode === 'compiled' ? this.compiledOrFallback(indices) : this.eagerStep(indices);
      opt.lr = lr;
      opt.step();
    } catch (e) {
      for (let j = 0; j < params.length; j++) at(params, j).grad = numberAt(saved, j);
      opt.lr = previousLr;
      throw e;
    }
    this.k = k + 1;
    const info: StepInfo = {
      step: k,
      loss: measured.loss,
      accuracy: this.kind.correct === null ? null : measured.correct / indices.length,
      lr,
      batchSize: indices.length,
    };
    this.onStep?.(info);
    return info;
  }

  /** The batch loss from every sample's terms: their mean, plus the L2 term. */
  private total(terms: readonly Value[]): Value {
    const data = mean(terms);
    return this.penalty === 0 ? data : data.add(l2(this.params, this.penalty));
  }

  private zeroGrad(): void {
    const params = this.params;
    for (const p of params) p.grad = 0;
  }

  private eagerStep(indices: readonly number[]): Measured {
    const { kind, out } = this;
    const terms: Value[] = [];
    let correct = 0;
    for (const i of indices) {
      const outputs = this.model.forward(at(this.rows, i));
      const target = at(this.targets, i);
      terms.push(...kind.terms(outputs, target));
      if (kind.correct === null) continue;
      for (let j = 0; j < out.length; j++) out[j] = at(outputs, j).data;
      if (kind.correct(out, target)) correct++;
    }
    const total = this.total(terms);
    this.zeroGrad();
    total.backward();
    return { loss: total.data, correct };
  }

  /** A compiled step; under `'auto'`, an eager one (for good) when the model cannot be traced. */
  private compiledOrFallback(indices: readonly number[]): Measured {
    if (!this.fallback || this.program !== null) return this.compiledStep(indices);
    try {
      return this.compiledStep(indices);
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      this.mode = 'eager';
      return this.eagerStep(indices);
    }
  }

  private compiledStep(indices: readonly number[]): Measured {
    const { nin } = this.model;
    const { kind, out, rows, targets } = this;
    const width = nin + at(this.targets, 0).length;
    const size = indices.length * width;
    if (this.flat.length !== size) {
      this.flat = new Float64Array(size);
      this.flatFor = null;
    }
    const flat = this.flat;
    // A full batch is the same every step: its numbers are laid out once.
    if (indices !== this.flatFor) {
      for (let b = 0; b < indices.length; b++) {
        const i = at(indices, b);
        flat.set(at(rows, i), b * width);
        flat.set(at(targets, i), b * width + nin);
      }
      this.flatFor = indices === this.every ? indices : null;
    }
    const program = this.compiled(width);
    // Each gradient set to the batch's (as zeroing first, in one pass fewer).
    const loss = program.run(flat, REPLACE);
    const correct =
      kind.correct === null
        ? 0
        : countCorrect(
            kind.correct,
            program.outputs,
            this.termCount,
            program.outputsPerSample,
            indices,
            targets,
            out,
          );
    return { loss, correct };
  }

  // Per sample the traced function returns [...terms, ...outputs]; the reduction averages every
  // sample's terms and adds the L2 term: the same graph as eager mode, so the same numbers.
  private compiled(width: number): Program {
    if (this.program === null) {
      const nin = this.model.nin;
      this.program = compile(
        (xs) => {
          const outputs = this.model.forward(xs.slice(0, nin));
          const terms = this.kind.terms(outputs, xs.slice(nin));
          this.termCount = terms.length;
          return [...terms, ...outputs];
        },
        {
          inputs: width,
          reduce: (outs) => this.total(outs.flatMap((o) => o.slice(0, this.termCount))),
          backend: this.backend,
        },
      );
    }
    return this.program;
  }

  private batchIndices(k: number): readonly number[] {
    if (this.sample === null) return this.every;
    const n = this.rows.length;
    const indices: unknown = this.sample(k, this.batchSize);
    if (!Array.isArray(indices) || indices.length !== this.batchSize) {
      throw new RangeError(
        `Trainer: sample() must return ${this.batchSize} indices, got ${Array.isArray(indices) ? indices.length : describeInput(indices)}`,
      );
    }
    for (const i of indices as unknown[]) {
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) {
        throw new RangeError(`Trainer: sample() returned index ${describeInput(i)}, outside [0, ${n})`);
      }
    }
    return indices as number[];
  }

  /** The schedule's learning rate for step `k`, or a RangeError naming the schedule and the step. */
  private scheduled(schedule: (step: number) => number, k: number): number {
    const lr: unknown = schedule(k);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new RangeError(
        `Trainer: the learning-rate schedule (${schedule.name === '' ? 'an anonymous function' : `function ${schedule.name}`}) returned ` +
          `${typeof lr === 'number' ? lr : describeInput(lr)} for step ${k}; it must return a finite number >= 0`,
      );
    }
    return lr;
  }

  private checkOptimizer(optimizer: unknown, where = 'Trainer'): Optimizer {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(
        `${where}: optimizer must be an Optimizer such as new SGD(model.parameters(), { lr: 0.1 }), got ${describeInput(optimizer)}`,
      );
    }
    const stranger = optimizer.params.findIndex((p) => !this.paramSet.has(p));
    if (stranger >= 0) {
      throw new RangeError(
        `${where}: the optimizer's params[${stranger}] is not a parameter of the model (build it from model.parameters())`,
      );
    }
    return optimizer;
  }
}

// The loops a step makes over every parameter or sample are small functions of their own, which
// V8 optimises after a few steps; a loop inside `step` waits until all of `step` is optimised.
// Their reads are indexed and checked inline: before V8 optimises them, a call per element is most
// of what they cost (see at.ts).

/** Each parameter's `grad` into `saved`. */
function saveGradients(params: readonly Value[], saved: Float64Array): void {
  for (let j = 0; j < params.length; j++) {
    const p = params[j];
    if (p === undefined) throw outside(params, j);
    saved[j] = p.grad;
  }
}

/**
 * How many of the batch's samples `correct` counts as right: sample `b`'s outputs are
 * `outputs[first + b * m ..]` (copied into `out`), its targets `targets[indices[b]]`.
 */
function countCorrect(
  correct: (out: ArrayLike<number>, t: readonly number[]) => boolean,
  outputs: Float64Array,
  first: number,
  m: number,
  indices: readonly number[],
  targets: readonly (readonly number[])[],
  out: Float64Array,
): number {
  let count = 0;
  for (let b = 0, row = first; b < indices.length; b++, row += m) {
    for (let j = 0; j < out.length; j++) {
      const y = outputs[row + j];
      if (y === undefined) throw outside(outputs, row + j);
      out[j] = y;
    }
    const i = indices[b];
    const target = i === undefined ? undefined : targets[i];
    if (target === undefined) throw outside(targets, i ?? b);
    if (correct(out, target)) count++;
  }
  return count;
}

function checkModel<M>(model: M, where: string): M {
  if (model instanceof Neuron) {
    throw new TypeError(
      `${where}: model must have one output array per sample, like an MLP or a Layer; got ${String(model)}, whose forward returns one Value ` +
        `(a model with one output is new MLP(${model.nin}, [1]))`,
    );
  }
  const m = model as Partial<TrainableModel> | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.forward !== 'function' ||
    typeof m.parameters !== 'function' ||
    !Number.isInteger(m.nin) ||
    !Number.isInteger(m.nout)
  ) {
    throw new TypeError(
      `${where}: model must be an MLP or a Layer (nin, nout, forward, parameters), got ${describeInput(model)}`,
    );
  }
  return model;
}

function checkLearningRate(lr: unknown, what: string): LearningRate | undefined {
  if (lr === undefined || typeof lr === 'function') return lr as LearningRate | undefined;
  return checkRate(lr, what);
}
