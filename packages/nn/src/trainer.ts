import { compile, type Program, type Value } from '@mg/engine';
import type { MLP } from './mlp.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';
import { PythonRandom } from './python-random.js';
import { bceWithLogits, hinge, l2, mean, softmaxCrossEntropy, squaredError, sum } from './losses.js';

/**
 * The losses {@link Trainer} knows, each the mean over the batch of a per-sample loss:
 * - `'hinge'`: micrograd's max-margin `relu(1 - y·score)`, labels -1/+1, one output;
 * - `'bce'`: binary cross-entropy with logits, labels 0/1, one output;
 * - `'mse'`: squared error (averaged over outputs), targets numbers or rows;
 * - `'cross-entropy'`: softmax cross-entropy, targets class indices or probability rows.
 */
export type LossName = 'hinge' | 'bce' | 'mse' | 'cross-entropy';

/** Where a {@link Trainer} runs: eager graphs, or a program compiled once by `compile` from `@mg/engine`. */
export type Engine = 'eager' | 'compiled';

/** A training set: inputs and targets, one per sample. */
export interface Dataset {
  /** One row of `model.nin` numbers per sample. */
  x: readonly (readonly number[])[];
  /** One target per sample: a label, a class index, or a row of numbers (see {@link LossName}). */
  y: readonly (number | readonly number[])[];
}

/** What a {@link Trainer} reports after each step. */
export interface StepInfo {
  /** The step's number, from 0. */
  step: number;
  /** The loss of the batch before the update (data loss plus the L2 term). */
  loss: number;
  /** The fraction of the batch classified correctly before the update; `null` for `'mse'`. */
  accuracy: number | null;
  /** The learning rate the update used. */
  lr: number;
  /** The number of samples in the batch. */
  batchSize: number;
}

/** Options for {@link Trainer} and {@link fit}. */
export interface TrainerOptions {
  /** The loss. Default `'hinge'`, micrograd's demo. */
  loss?: LossName;
  /** L2 coefficient α: adds `α · Σ p²` to the loss, as micrograd's demo (which uses 1e-4). Default 0. */
  alpha?: number;
  /** The optimizer. Default `new SGD(model.parameters(), { lr })`. */
  optimizer?: Optimizer;
  /** A learning rate, or a schedule called with the step number before each update. Default 0.1 when no optimizer is given, else the optimizer's. */
  lr?: number | ((step: number) => number);
  /** Samples per step. Default: the whole dataset, in order, every step. */
  batchSize?: number;
  /**
   * Picks a mini-batch: returns `batchSize` indices into the dataset (e.g. a NumPy-compatible
   * permutation). Default: the first `batchSize` of a fresh shuffle of all indices, drawn from
   * a generator seeded with `seed`.
   */
  sample?: (step: number, size: number) => readonly number[];
  /** Seed of the default mini-batch sampler. Default 0. */
  seed?: number;
  /**
   * `'compiled'` runs through `compile`, `'eager'` builds a graph per step, `'auto'` (default)
   * compiles and falls back to eager when the model cannot be traced.
   */
  engine?: Engine | 'auto';
  /** Compiled mode's back end, passed to `compile`. Default `'auto'`. */
  backend?: 'auto' | 'wasm' | 'interpreter';
  /** Called after every step, for progress bars and plots. */
  onStep?: (info: StepInfo) => void;
}

/** What {@link fit} returns. */
export interface FitResult {
  /** The loss at each step. */
  losses: number[];
  /** The accuracy at each step (`null` entries for `'mse'`). */
  accuracies: (number | null)[];
  /** The engine that ran. */
  engine: Engine;
}

type Target = readonly (Value | number)[];

/**
 * Trains an {@link MLP}: one optimizer step per call to {@link Trainer.step}, full-batch or
 * mini-batch, eager or compiled. Each step computes the loss, zeroes the model's gradients,
 * back-propagates, sets the learning rate and updates, the order of micrograd's demo loop.
 *
 * Compiled mode traces the model and loss once with `compile` and replays it without building
 * graphs; it gives the same numbers as eager mode bit for bit. If the model cannot be traced
 * (control flow that reads `.data`), the trainer falls back to eager mode and says so in
 * {@link Trainer.engine}.
 *
 * @example
 * ```ts
 * const trainer = new Trainer(model, { x: X, y }, { alpha: 1e-4, lr: (k) => 1.0 - (0.9 * k) / 100 });
 * for (let k = 0; k < 100; k++) {
 *   const { loss, accuracy } = trainer.step();
 * }
 * ```
 */
export class Trainer {
  /** The model being trained. */
  readonly model: MLP;
  /** The optimizer updating it. */
  readonly optimizer: Optimizer;
  /** The loss. */
  readonly loss: LossName;
  private mode: Engine;
  private readonly rows: number[][];
  private readonly targets: number[][];
  private readonly targetSize: number;
  private readonly alpha: number;
  private readonly schedule: ((step: number) => number) | null;
  private readonly batchSize: number;
  private readonly sample: ((step: number, size: number) => readonly number[]) | null;
  private readonly every: readonly number[];
  private readonly fallback: boolean;
  private readonly onStep: ((info: StepInfo) => void) | null;
  private readonly backend: 'auto' | 'wasm' | 'interpreter';
  private program: Program | null = null;
  private flat = new Float64Array(0);
  private k = 0;

  /**
   * @param model - the network
   * @param data - inputs and targets
   * @param options - loss, L2, optimizer, learning rate, batches, engine, callback
   * @throws TypeError or RangeError naming the bad sample or option
   */
  constructor(model: MLP, data: Dataset, options: TrainerOptions = {}) {
    this.model = model;
    this.loss = checkLoss(options.loss ?? 'hinge');
    const { nin, nout } = model;
    if ((this.loss === 'hinge' || this.loss === 'bce') && nout !== 1) {
      throw new RangeError(`Trainer: the '${this.loss}' loss needs a model with one output, this one has ${nout}`);
    }
    this.targetSize = this.loss === 'hinge' || this.loss === 'bce' ? 1 : nout;
    [this.rows, this.targets] = checkData(data, nin, this.targetSize, this.loss);
    this.alpha = options.alpha ?? 0;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha) || this.alpha < 0) {
      throw new RangeError(`Trainer: alpha must be a finite number >= 0, got ${String(this.alpha)}`);
    }
    const { lr } = options;
    this.schedule = typeof lr === 'function' ? lr : null;
    const firstLr = typeof lr === 'function' ? lr(0) : (lr ?? 0.1);
    this.optimizer = options.optimizer ?? new SGD(model.parameters(), { lr: firstLr });
    if (typeof lr === 'number') this.optimizer.lr = lr;
    const n = this.rows.length;
    this.batchSize = options.batchSize ?? n;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > n) {
      throw new RangeError(`Trainer: batchSize must be an integer in [1, ${n}], got ${String(options.batchSize)}`);
    }
    this.every = this.rows.map((_, i) => i);
    this.sample = options.sample ?? (this.batchSize === n ? null : shuffler(n, options.seed ?? 0));
    this.onStep = options.onStep ?? null;
    this.backend = options.backend ?? 'auto';
    const engine: unknown = options.engine ?? 'auto';
    if (engine !== 'auto' && engine !== 'eager' && engine !== 'compiled') {
      throw new TypeError(`Trainer: engine must be 'auto', 'eager' or 'compiled', got ${JSON.stringify(engine)}`);
    }
    this.mode = engine === 'eager' ? 'eager' : 'compiled';
    this.fallback = engine === 'auto';
  }

  /** The engine in use: `'compiled'` unless asked for eager or the model could not be traced. */
  get engine(): Engine {
    return this.mode;
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.k;
  }

  /**
   * One training step on the next batch.
   *
   * @returns the batch's loss and accuracy before the update, the learning rate used
   * @throws RangeError when a loss, gradient or new weight is not finite (the weights are then unchanged)
   */
  step(): StepInfo {
    const k = this.k;
    const indices = this.batchIndices(k);
    const [loss, correct] = this.mode === 'compiled' ? this.compiledOrFallback(indices) : this.eagerStep(indices);
    if (this.schedule !== null) this.optimizer.lr = this.schedule(k);
    this.optimizer.step();
    this.k = k + 1;
    const info: StepInfo = {
      step: k,
      loss,
      accuracy: this.loss === 'mse' ? null : correct / indices.length,
      lr: this.optimizer.lr,
      batchSize: indices.length,
    };
    this.onStep?.(info);
    return info;
  }

  /** The per-sample loss of outputs `out` against target `t` (numbers, or Values when traced). */
  private sampleLoss(out: readonly Value[], t: Target): Value {
    switch (this.loss) {
      case 'hinge':
        return hinge(out[0]!, t[0]!);
      case 'bce':
        return bceWithLogits(out[0]!, t[0]!);
      case 'cross-entropy':
        return softmaxCrossEntropy(out, t);
      case 'mse':
        return out.length === 1
          ? squaredError(out[0]!, t[0]!)
          : sum(out.map((o, j) => squaredError(o, t[j]!))).mul(1.0 / out.length);
    }
  }

  /** The batch loss from per-sample losses: their mean, plus the L2 term. */
  private total(losses: readonly Value[]): Value {
    const data = mean(losses);
    return this.alpha === 0 ? data : data.add(l2(this.model.parameters(), this.alpha));
  }

  private eagerStep(indices: readonly number[]): [number, number] {
    const outputs = indices.map((i) => this.model.forward(this.rows[i]!));
    const total = this.total(outputs.map((out, b) => this.sampleLoss(out, this.targets[indices[b]!]!)));
    let correct = 0;
    outputs.forEach((out, b) => {
      if (this.isCorrect((j) => out[j]!.data, this.targets[indices[b]!]!)) correct++;
    });
    this.model.zeroGrad();
    total.backward();
    return [total.data, correct];
  }

  /** A compiled step; under `'auto'`, an eager one (for good) when the model cannot be traced. */
  private compiledOrFallback(indices: readonly number[]): [number, number] {
    if (!this.fallback || this.program !== null) return this.compiledStep(indices);
    try {
      return this.compiledStep(indices);
    } catch (e) {
      if (!(e instanceof TypeError) || !e.message.startsWith('compile:')) throw e;
      this.mode = 'eager';
      return this.eagerStep(indices);
    }
  }

  private compiledStep(indices: readonly number[]): [number, number] {
    const { nin } = this.model;
    const width = nin + this.targetSize;
    const size = indices.length * width;
    if (this.flat.length !== size) this.flat = new Float64Array(size);
    const flat = this.flat;
    indices.forEach((i, b) => {
      flat.set(this.rows[i]!, b * width);
      flat.set(this.targets[i]!, b * width + nin);
    });
    this.model.zeroGrad();
    const program = this.compiled(width);
    const loss = program.run(flat);
    const out = program.outputs;
    const m = program.outputsPerSample;
    let correct = 0;
    for (let b = 0; b < indices.length; b++) {
      if (this.isCorrect((j) => out[b * m + 1 + j]!, this.targets[indices[b]!]!)) correct++;
    }
    return [loss, correct];
  }

  // Per sample the traced function returns [loss, ...outputs]; the reduction averages the
  // losses and adds the L2 term: the same graph as eager mode, so the same numbers.
  private compiled(width: number): Program {
    if (this.program === null) {
      const nin = this.model.nin;
      this.program = compile(
        (xs) => {
          const out = this.model.forward(xs.slice(0, nin));
          return [this.sampleLoss(out, xs.slice(nin)), ...out];
        },
        { inputs: width, reduce: (outs) => this.total(outs.map((o) => o[0]!)), backend: this.backend },
      );
    }
    return this.program;
  }

  private isCorrect(output: (j: number) => number, t: readonly number[]): boolean {
    switch (this.loss) {
      case 'hinge':
        return t[0]! > 0 === output(0) > 0;
      case 'bce':
        return t[0]! > 0.5 === output(0) > 0;
      case 'cross-entropy': {
        let best = 0;
        let want = 0;
        for (let j = 1; j < t.length; j++) {
          if (output(j) > output(best)) best = j;
          if (t[j]! > t[want]!) want = j;
        }
        return best === want;
      }
      case 'mse':
        return false;
    }
  }

  private batchIndices(k: number): readonly number[] {
    if (this.sample === null) return this.every;
    const n = this.rows.length;
    const indices: unknown = this.sample(k, this.batchSize);
    if (!Array.isArray(indices) || indices.length !== this.batchSize) {
      throw new RangeError(`Trainer: sample() must return ${this.batchSize} indices, got ${Array.isArray(indices) ? indices.length : typeof indices}`);
    }
    for (const i of indices as unknown[]) {
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`Trainer: sample() returned index ${String(i)}, outside [0, ${n})`);
    }
    return indices as number[];
  }
}

/**
 * Trains `model` for `steps` steps with a {@link Trainer} and collects the loss and accuracy
 * of each.
 *
 * @param model - the network
 * @param data - inputs and targets
 * @param options - the trainer's options and `steps` (default 100)
 * @returns losses and accuracies per step, and the engine that ran
 * @throws what {@link Trainer} and {@link Trainer.step} throw
 *
 * @example
 * ```ts
 * const model = new MLP(2, [16, 16, 1], { seed: 1337 });
 * const { losses, accuracies } = fit(model, { x: X, y }, {
 *   steps: 100,
 *   alpha: 1e-4,
 *   lr: (k) => 1.0 - (0.9 * k) / 100,
 *   onStep: ({ step, loss, accuracy }) => console.log(`step ${step} loss ${loss}, accuracy ${accuracy! * 100}%`),
 * });
 * ```
 */
export function fit(model: MLP, data: Dataset, options: TrainerOptions & { steps?: number } = {}): FitResult {
  const { steps = 100 } = options;
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`fit: steps must be a non-negative integer, got ${steps}`);
  const trainer = new Trainer(model, data, options);
  const losses: number[] = [];
  const accuracies: (number | null)[] = [];
  for (let k = 0; k < steps; k++) {
    const { loss, accuracy } = trainer.step();
    losses.push(loss);
    accuracies.push(accuracy);
  }
  return { losses, accuracies, engine: trainer.engine };
}

function checkLoss(loss: unknown): LossName {
  if (loss === 'hinge' || loss === 'bce' || loss === 'mse' || loss === 'cross-entropy') return loss;
  throw new TypeError(`Trainer: loss must be 'hinge', 'bce', 'mse' or 'cross-entropy', got ${JSON.stringify(loss)}`);
}

/** Validates the dataset; returns input rows and target rows (class indices made one-hot). */
function checkData(data: Dataset, nin: number, targetSize: number, loss: LossName): [number[][], number[][]] {
  const { x, y } = data;
  if (!Array.isArray(x) || !Array.isArray(y)) throw new TypeError('Trainer: data must be { x: number[][], y: [...] }');
  if (x.length !== y.length) throw new RangeError(`Trainer: data has ${x.length} inputs but ${y.length} targets`);
  if (x.length === 0) throw new RangeError('Trainer: data has no samples');
  const rows = x.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== nin) {
      throw new RangeError(`Trainer: x[${i}] must be a row of ${nin} numbers, got ${Array.isArray(row) ? `${row.length}` : typeof row}`);
    }
    return row.map((v: unknown, j) => finite(v, `x[${i}][${j}]`));
  });
  const targets = y.map((t: unknown, i): number[] => {
    if (typeof t === 'number') {
      if (loss === 'cross-entropy') {
        if (!Number.isInteger(t) || t < 0 || t >= targetSize) {
          throw new RangeError(`Trainer: y[${i}] must be a class index in [0, ${targetSize}), got ${t}`);
        }
        return Array.from({ length: targetSize }, (_, j) => (j === t ? 1 : 0));
      }
      if (targetSize !== 1) throw new RangeError(`Trainer: y[${i}] must be a row of ${targetSize} numbers, got a number`);
      return [finite(t, `y[${i}]`)];
    }
    if (!Array.isArray(t) || t.length !== targetSize) {
      throw new RangeError(`Trainer: y[${i}] must be a number or a row of ${targetSize} numbers, got ${Array.isArray(t) ? `${t.length} numbers` : typeof t}`);
    }
    return t.map((v: unknown, j) => finite(v, `y[${i}][${j}]`));
  });
  return [rows, targets];
}

function finite(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`Trainer: ${where} must be a finite number, got ${String(v)}`);
  return v;
}

/** Fisher-Yates over all indices from a seeded Python-compatible generator; the first `size` of them. */
function shuffler(n: number, seed: number): (step: number, size: number) => readonly number[] {
  const rng = new PythonRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  return (_step, size) => {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    return order.slice(0, size);
  };
}
