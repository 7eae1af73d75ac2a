import { compile, type Program } from '@mg/engine';
import { ENGINES, MLP, Trainer, type Engine } from '@mg/nn';
import type { Dataset } from './datasets.js';
import { pointAt } from './checked.js';

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
  private scorer: Program | null = null;

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
    this.trainer = new Trainer(
      this.model,
      { x: rows, y: labels },
      {
        loss: 'hinge',
        alpha,
        engine,
        lr: (k) => 1.0 - (0.9 * k) / steps,
      },
    );
  }

  /**
   * One step of the notebook: forward over the full batch, zero the gradients, backward, update.
   *
   * @returns the loss and accuracy before the update, and the learning rate used
   */
  step(): StepRecord {
    const { step, loss, accuracy, lr } = this.trainer.step();
    return { step, loss, accuracy: accuracy ?? 0, learningRate: lr };
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
