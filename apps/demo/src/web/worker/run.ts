// One training run in the worker: the data, the model, nn's Trainer, and the settings that
// change while it runs.
import type { CompileOptions, Value } from '@mg/engine';
import { Adam, MLP, SGD, Trainer, type Optimizer } from '@mg/nn';
import {
  EXPLOSION,
  at,
  isNotFiniteError,
  lossDiverged,
  makeDataset,
  pointAt,
  type Dataset,
} from '../../core/index.js';
import { learningRate, niceBelow, safeLearningRate, type Config, type LiveSettings } from '../config.js';
import type { StepRow } from '../protocol.js';
import { Meter } from './meter.js';

export type Backend = NonNullable<CompileOptions['backend']>;

/**
 * Thrown by {@link Run.step} when the loss or the weights stop being finite numbers, or the loss
 * explodes. The run then holds: it keeps the weights of the step before (the step's own are
 * undone), and it takes no step until the learning rate, optimizer, decay or L2 strength changes.
 */
export class Divergence extends Error {
  constructor(
    /** The step that diverged: the weights it made (or would have made) are not kept. */
    readonly step: number,
    /** The step whose weights the run keeps: `step - 1`. */
    readonly at: number,
    message: string,
    detail: string,
  ) {
    super(message, { cause: detail });
  }
}

/** A loss in four significant digits: `15500`, `0.7429`, `1.87e+63`. */
function short(loss: number): string {
  return String(Number(loss.toPrecision(4)));
}

/**
 * What the page says about a divergence: which step, what went wrong (`what`), which weights the
 * run keeps (`kept`, with their loss) and what to do: lower the rate to train on from them, or, when
 * they are already worse than at the start (or are the start), lower it and start over.
 *
 * @param step - the step that diverged
 * @param what - what happened, e.g. `the loss reached 15500, over 1000 times step 0's 0.8958`
 * @param kept - the row of the weights the run keeps (step `step - 1`)
 * @param firstLoss - step 0's loss
 * @param suggestion - a learning rate to try
 */
export function divergenceMessage(
  step: number,
  what: string,
  kept: StepRow,
  firstLoss: number,
  suggestion: number,
): string {
  const head = `Training diverged at step ${step}: ${what}.`;
  const lower = `lower the learning rate (try ${suggestion})`;
  if (kept.step === 0) return `${head} The run keeps the weights it started with: ${lower} and train again.`;
  if (!(kept.loss <= firstLoss))
    return `${head} The run keeps step ${kept.step}'s weights, but their loss ${short(kept.loss)} is already above step 0's ${short(firstLoss)}: ${lower} and press Reset to start over.`;
  return `${head} The run keeps step ${kept.step}'s weights (loss ${short(kept.loss)}): ${lower} to train on from there, or press Reset to start over.`;
}

/** The held-out points: the same generator as the training points, the next seed. */
export function testSet(config: Config): Dataset {
  const samples = Math.round((config.samples * config.test) / 100);
  if (samples === 0) return { X: new Float64Array(0), y: new Uint8Array(0) };
  return makeDataset(config.dataset, { samples, noise: config.noise, seed: (config.seed + 1) % 2 ** 32 });
}

/** Names every weight after its place (`w2.3.1`: layer 2, neuron 3, input 1) so graphs read. */
function labelParameters(model: MLP): void {
  model.layers.forEach((layer, l) => {
    layer.neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, k) => {
        w.label = `w${l + 1}.${j + 1}.${k + 1}`;
      });
      neuron.b.label = `b${l + 1}.${j + 1}`;
    });
  });
}

function makeOptimizer(model: MLP, settings: LiveSettings): Optimizer {
  const params = model.parameters();
  switch (settings.optimizer) {
    case 'sgd':
      return new SGD(params, { lr: settings.lr });
    case 'momentum':
      return new SGD(params, { lr: settings.lr, momentum: 0.9 });
    case 'adam':
      return new Adam(params, { lr: settings.lr });
  }
}

/** Rows `(x, y)` and labels ±1, as the Trainer and the notebook take them. */
function samples(data: Dataset): { x: number[][]; y: number[] } {
  return {
    x: Array.from(data.y, (_, i) => pointAt(data.X, i)),
    y: Array.from(data.y, (c) => 2 * c - 1),
  };
}

/**
 * A training run: nn's Trainer with the notebook's loss, plus held-out points and settings that
 * apply at the next step (the step count goes on across them).
 *
 * Steps are counted as the page counts them: step `k` is the weights after `k` updates (step 0:
 * as they start), and its row holds those weights' loss and accuracy, the number micrograd's
 * notebook prints as `step k`, and the learning rate of the update that made them.
 */
export class Run {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly model: MLP;
  settings: LiveSettings;
  private readonly trainer: Trainer;
  private readonly trainMeter: Meter;
  private readonly testMeter: Meter;
  /** The row of the weights the model holds now. */
  private now: StepRow;
  private readonly firstLoss: number;
  /** Steps granted by Continue on top of the step setting. */
  private extra = 0;
  /** Trainer steps undone by a divergence: the Trainer counts them, the run does not. */
  private undone = 0;
  private readonly params: readonly Value[];
  /** The weights at the start of the step in progress. */
  private readonly before: Float64Array;
  /** Set by a divergence: no step runs until a setting that could help changes. */
  private halted: Divergence | null = null;
  /** Each weight's gradient from the last step kept, in {@link weightGrads}'s order; 0 at step 0. */
  private grads: Float32Array;

  constructor(
    readonly config: Config,
    readonly backend: Backend,
    model?: MLP,
  ) {
    const { dataset, samples: n, noise, seed, hidden, activation } = config;
    this.train = makeDataset(dataset, { samples: n, noise, seed });
    this.test = testSet(config);
    this.model = model ?? new MLP(2, [...hidden, 1], { seed, activation });
    labelParameters(this.model);
    this.params = this.model.parameters();
    this.before = new Float64Array(this.params.length);
    this.settings = pickLive(config);
    this.trainer = new Trainer(this.model, samples(this.train), {
      loss: 'hinge',
      alpha: this.settings.alpha,
      engine: config.engine,
      backend,
      optimizer: makeOptimizer(this.model, this.settings),
      // Read at every step, so a new rate or schedule applies at the next one.
      lr: (k) => learningRate(this.settings, k - this.undone),
    });
    this.trainMeter = new Meter(this.model, this.train, backend);
    this.testMeter = new Meter(this.model, this.test, backend);
    this.now = this.measure(0, NaN);
    this.firstLoss = this.now.loss;
    this.grads = new Float32Array(weightGrads(this.model).length);
  }

  /**
   * Each weight's gradient as the Trainer's last backward pass left it (biases left out, in the
   * order of the weights the page draws), copied when the step was taken: a graph drawn since
   * (which fills in gradients of its own) does not change it. All 0 before the first step.
   */
  get gradients(): Float32Array {
    return this.grads;
  }

  /** Steps taken: the step the weights are at. */
  get completed(): number {
    return this.trainer.steps - this.undone;
  }

  /** The row of the weights the model holds now (step {@link Run.completed}). */
  get current(): StepRow {
    return this.now;
  }

  get done(): boolean {
    return this.completed >= this.limit;
  }

  /** Applies a new learning rate, schedule, step limit, optimizer or L2 strength from the next step on. */
  update(settings: LiveSettings): void {
    const previous = this.settings;
    this.settings = { ...settings };
    // A new optimizer starts with fresh state (momentum, Adam's moments); the schedule above reads `settings`.
    if (settings.optimizer !== previous.optimizer)
      this.trainer.setOptions({ optimizer: makeOptimizer(this.model, settings) });
    if (settings.alpha !== previous.alpha) this.trainer.setOptions({ alpha: settings.alpha });
    const { lr, decay, alpha, optimizer } = settings;
    if (
      lr !== previous.lr ||
      decay !== previous.decay ||
      alpha !== previous.alpha ||
      optimizer !== previous.optimizer
    )
      this.halted = null;
  }

  /** Where the run stops: the step setting, moved on by each Continue. */
  get limit(): number {
    return this.settings.steps + this.extra;
  }

  /** Lets the run go on for another `steps` steps past where it is. */
  extend(): void {
    this.extra = this.completed;
  }

  /**
   * One step: the Trainer's update, then the new weights' loss and accuracy on the training and
   * held-out points.
   *
   * @returns the row of the step taken
   * @throws Divergence when a number stops being finite or the loss explodes: the run then keeps
   *   the weights it had before the step, and every further call throws it again until
   *   {@link Run.update} changes the rate, decay, optimizer or L2 strength
   */
  step(): StepRow {
    if (this.halted !== null) throw this.halted;
    const k = this.completed;
    this.params.forEach((p, i) => {
      this.before[i] = p.data;
    });
    let lr;
    let grads;
    try {
      // Leaves the weights as they were when it throws.
      lr = this.trainer.step().lr;
      grads = weightGrads(this.model);
    } catch (error) {
      if (!isNotFiniteError(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw this.halt(k + 1, `a number stopped being finite (${message})`);
    }
    const row = this.measure(k + 1, lr);
    if (lossDiverged(row.loss, this.firstLoss)) {
      this.undo();
      throw this.halt(
        k + 1,
        Number.isFinite(row.loss)
          ? `the loss reached ${short(row.loss)}, over ${EXPLOSION} times step 0's ${short(this.firstLoss)}`
          : `the loss is ${row.loss}, no longer a finite number`,
      );
    }
    this.now = row;
    this.grads = grads;
    return row;
  }

  /** Puts back the weights the step in progress started from, with fresh optimizer state. */
  private undo(): void {
    this.params.forEach((p, i) => {
      p.data = at(this.before, i);
    });
    this.undone += 1;
    this.trainer.setOptions({ optimizer: makeOptimizer(this.model, this.settings) });
  }

  /** Stops the run at step `step`, which diverged (`what` says how): it keeps the weights before it. */
  private halt(step: number, what: string): Divergence {
    const message = divergenceMessage(step, what, this.now, this.firstLoss, this.suggestion());
    this.halted = new Divergence(step, this.now.step, message, what);
    return this.halted;
  }

  /** The row of the current weights, step `step`, reached with learning rate `lr`. */
  private measure(step: number, lr: number): StepRow {
    const alpha = this.settings.alpha;
    const { loss, accuracy } = this.trainMeter.measure(alpha);
    const test = this.testMeter.measure(alpha);
    return { step, loss, accuracy, testLoss: test.loss, testAccuracy: test.accuracy, lr };
  }

  /** The held-out points' scores under the current weights (empty without test points). */
  testScores(): Float32Array {
    return this.testMeter.scores();
  }

  /** A rate to try after a divergence: a tenth of this one, or less for a deep network. */
  private suggestion(): number {
    const { lr, optimizer } = this.settings;
    return niceBelow(
      optimizer === 'adam' ? lr / 10 : Math.min(lr / 10, safeLearningRate(this.config.hidden)),
    );
  }
}

export function pickLive(config: LiveSettings): LiveSettings {
  const { lr, decay, steps, alpha, optimizer } = config;
  return { lr, decay, steps, alpha, optimizer };
}

/** Each weight's gradient (`w[l][j][k].grad`, biases left out), in the order the page draws them. */
export function weightGrads(model: MLP): Float32Array {
  const all: number[] = [];
  for (const layer of model.layers)
    for (const neuron of layer.neurons) for (const w of neuron.w) all.push(w.grad);
  return Float32Array.from(all);
}
