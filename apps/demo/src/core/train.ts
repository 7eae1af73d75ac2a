import { compile, type Program } from '@mg/engine';
import { ENGINES, MLP, Trainer, type Engine } from '@mg/nn';
import type { Dataset } from './datasets.js';
import { pointAt } from './checked.js';
import { EXPLOSION, isNotFiniteError, lossDiverged } from './divergence.js';

/** Options for a {@link Training}. */
export interface TrainingOptions {
  /** Python `random.seed` for the weights (the notebook's 1337). */
  seed: number;
  /** Hidden layer sizes (the notebook's `[16, 16]`); one linear output follows. */
  hidden: readonly number[];
  /** How many steps the learning rate decays over (the notebook's 100). */
  steps: number;
  /** Default `'eager'`. */
  engine?: Engine;
  /** L2 regularisation strength. Default 1e-4, the notebook's `alpha`. */
  alpha?: number;
}

/** What one step measured, before its update (what the notebook prints). */
export interface StepRecord {
  /** The step index, from 0. */
  step: number;
  /** The full-batch loss: mean hinge loss plus the L2 term. */
  loss: number;
  /** The share of points on the right side of the boundary, in [0, 1]. */
  accuracy: number;
  /** The learning rate of the update that followed. */
  learningRate: number;
}

/**
 * Thrown by {@link Training.step} when the run diverges, as the web page judges it
 * ({@link lossDiverged}, {@link isNotFiniteError}): the step's loss is not finite or is over
 * {@link EXPLOSION} times the first step's, or a number in the step stopped being finite.
 */
export class Diverged extends Error {
  override readonly name = 'Diverged';
  /** Why, in one line: the loss against its bound, or the message of what the step threw. */
  readonly detail: string;

  /**
   * @param step - the step that diverged, from 0
   * @param record - what it measured, when it went through (its loss exploded); null when a
   *   number in it stopped being finite (`cause` says which), the step undone
   * @param firstLoss - the first step's loss (NaN when step 0 itself failed)
   * @param previousLoss - the loss of the step before (NaN at step 0)
   * @param learningRate - the learning rate of the step
   * @param cause - the error the step threw, when it failed
   */
  constructor(
    readonly step: number,
    readonly record: StepRecord | null,
    readonly firstLoss: number,
    readonly previousLoss: number,
    readonly learningRate: number,
    cause?: unknown,
  ) {
    const detail = record === null ? oneLine(cause) : exploded(record.loss, firstLoss);
    super(`diverged at step ${step}: ${detail}`, { cause });
    this.detail = detail;
  }
}

/** Why a loss counts as diverged. */
function exploded(loss: number, firstLoss: number): string {
  return Number.isFinite(loss)
    ? `loss ${loss} is over ${EXPLOSION} times the first step's ${firstLoss}`
    : `loss ${loss} is not a finite number`;
}

/** An error's message (or a thrown value) on one line. */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

/**
 * micrograd's `demo.ipynb` training loop, one step at a time: an `MLP(2, [...hidden, 1])`,
 * the SVM max-margin loss `mean(relu(1 - y*score)) + alpha * sum(p*p)` over the full batch with
 * labels ±1, and SGD with `lr = 1 - 0.9 * k / steps`. It is @mg/nn's `Trainer` with the
 * notebook's settings, whose operations and their order are the notebook's, so the losses
 * match it to the last digit or so in both engines.
 *
 * @example
 * ```ts
 * const data = makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 });
 * const training = new Training(data, { seed: 1337, hidden: [16, 16], steps: 100 });
 * training.step(); // { step: 0, loss: 0.8958441028683222, accuracy: 0.5, learningRate: 1 }
 * ```
 */
export class Training {
  /** The model being trained. */
  readonly model: MLP;
  /** The engine running each step. */
  readonly engine: Engine;
  private readonly trainer: Trainer;
  private readonly schedule: (k: number) => number;
  private scorer: Program | null = null;
  private firstLoss = NaN;
  private previousLoss = NaN;

  /**
   * @param data - the points and their 0/1 classes
   * @param options - seed, layer sizes, step count, engine
   * @throws RangeError for a bad option (the message names it and quotes it)
   */
  constructor(data: Dataset, options: TrainingOptions) {
    const { seed, hidden, steps, engine = 'eager', alpha = 1e-4 } = options;
    if (!ENGINES.includes(engine))
      throw new RangeError(
        `new Training: engine must be 'eager' or 'compiled', got ${JSON.stringify(engine)}`,
      );
    if (!Number.isInteger(steps) || steps < 1)
      throw new RangeError(`new Training: steps must be a positive integer, got ${steps}`);
    if (!(alpha >= 0)) throw new RangeError(`new Training: alpha must be >= 0, got ${alpha}`);
    if (data.y.length === 0) throw new RangeError('new Training: the dataset is empty');
    this.engine = engine;
    this.model = new MLP(2, [...hidden, 1], { seed });
    const { X, y } = data;
    const rows = Array.from(y, (_, i) => pointAt(X, i));
    const labels = Array.from(y, (c) => 2 * c - 1);
    this.schedule = (k) => 1.0 - (0.9 * k) / steps;
    this.trainer = new Trainer(
      this.model,
      { x: rows, y: labels },
      {
        loss: 'hinge',
        alpha,
        engine,
        lr: this.schedule,
      },
    );
  }

  /**
   * One step of the notebook: forward over the full batch, zero the gradients, backward, update.
   *
   * @returns the loss and accuracy before the update, and the learning rate used
   * @throws Diverged when a number in the step stops being finite (the step is then undone), or
   *   its loss is not finite or over {@link EXPLOSION} times the first step's (the step is done)
   */
  step(): StepRecord {
    const k = this.trainer.steps;
    let info;
    try {
      info = this.trainer.step();
    } catch (error) {
      if (!isNotFiniteError(error)) throw error;
      throw new Diverged(k, null, this.firstLoss, this.previousLoss, this.schedule(k), error);
    }
    const { step, loss, accuracy, lr } = info;
    const record = { step, loss, accuracy: accuracy ?? 0, learningRate: lr };
    if (step === 0) this.firstLoss = loss;
    if (lossDiverged(loss, this.firstLoss))
      throw new Diverged(step, record, this.firstLoss, this.previousLoss, lr);
    this.previousLoss = loss;
    return record;
  }

  /**
   * The model's score at each point (forward only; positive means class 1).
   *
   * @param points - row-major `(x, y)` pairs
   * @returns one score per point
   * @throws RangeError when `points` has an odd length
   */
  scores(points: Float64Array): Float64Array {
    if (points.length % 2 !== 0)
      throw new RangeError(`Training.scores: points must hold (x, y) pairs, got ${points.length} numbers`);
    const scorer = (this.scorer ??= compile((x) => this.model.forward(x), { inputs: 2 }));
    return scorer.predict(points);
  }
}
