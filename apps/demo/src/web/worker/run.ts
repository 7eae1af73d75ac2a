// One training run in the worker: the data, the model, nn's Trainer, and the settings that
// change while it runs.
import { compile, type CompileOptions, type Program } from '@mg/engine';
import type { Value } from '@mg/engine';
import { Adam, MLP, SGD, Trainer, hinge, mean, type Optimizer } from '@mg/nn';
import { at, isNotFiniteError, lossDiverged, makeDataset, pointAt, type Dataset } from '../../core/index.js';
import { learningRate, niceBelow, safeLearningRate, type Config, type LiveSettings } from '../config.js';
import type { StepRow } from '../protocol.js';

export type Backend = NonNullable<CompileOptions['backend']>;

/**
 * Thrown by {@link Run.step} when the loss or the weights stop being finite numbers, or explode.
 * The run then holds: its weights are back as they were before the step that made them explode
 * (when there was one), and it takes no step until the learning rate, optimizer, decay or L2
 * strength changes.
 */
export class Divergence extends Error {
  constructor(
    readonly step: number,
    suggestion: number,
    detail: string,
    /** The step's row when the step itself went through (its loss exploded), else null. */
    readonly row: StepRow | null = null,
    /** The step the weights are back at the start of; null when no earlier weights were in bounds. */
    readonly restoredTo: number | null = null,
  ) {
    super(
      `diverged at step ${step} - lower the learning rate (try ${suggestion}) ${
        restoredTo === null
          ? 'and press Reset: no earlier weights were in bounds'
          : `to train on from the weights before step ${restoredTo}`
      }`,
      { cause: detail },
    );
  }
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
 */
export class Run {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly model: MLP;
  settings: LiveSettings;
  private readonly trainer: Trainer;
  private firstLoss = NaN;
  /** Steps granted by Continue on top of the step setting. */
  private extra = 0;
  private readonly tester: Program | null;
  private readonly testBatch: Float64Array;
  private readonly params: readonly Value[];
  /** The weights at the start of the step in progress. */
  private before: Float64Array;
  /** The last weights whose loss was in bounds, and the step they started. */
  private good: Float64Array;
  private goodStep = -1;
  /** Set by a divergence: no step runs until a setting that could help changes. */
  private halted: Divergence | null = null;

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
    this.good = new Float64Array(this.params.length);
    this.settings = pickLive(config);
    this.trainer = new Trainer(this.model, samples(this.train), {
      loss: 'hinge',
      alpha: this.settings.alpha,
      engine: config.engine,
      backend,
      optimizer: makeOptimizer(this.model, this.settings),
      // Read at every step, so a new rate or schedule applies at the next one.
      lr: (k) => learningRate(this.settings, k),
    });
    const m = this.test.y.length;
    this.testBatch = new Float64Array(3 * m);
    for (let i = 0; i < m; i++)
      this.testBatch.set([...pointAt(this.test.X, i), 2 * at(this.test.y, i) - 1], 3 * i);
    // The test loss is nn's hinge, averaged; testMetrics adds the training loss's L2 term.
    this.tester =
      m === 0
        ? null
        : compile(
            (xs) => {
              const score = at(this.model.forward(xs.slice(0, 2)), 0);
              return [hinge(score, at(xs, 2)), score];
            },
            { inputs: 3, backend, reduce: (outs) => mean(outs.map((o) => at(o, 0))) },
          );
  }

  /** Steps taken. */
  get completed(): number {
    return this.trainer.steps;
  }

  get done(): boolean {
    return this.trainer.steps >= this.limit;
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
    this.extra = this.trainer.steps;
  }

  /**
   * One step: the held-out points' loss and accuracy, then the Trainer's step.
   *
   * @throws Divergence when a number stops being finite or the loss explodes: the weights are then
   *   back as they were before the last step whose loss was in bounds, and every further call
   *   throws it again until {@link Run.update} changes the rate, decay, optimizer or L2 strength
   */
  step(): StepRow {
    if (this.halted !== null) throw this.halted;
    const k = this.trainer.steps;
    this.params.forEach((p, i) => {
      this.before[i] = p.data;
    });
    const [testLoss, testAccuracy] = this.testMetrics();
    let info;
    try {
      info = this.trainer.step();
    } catch (error) {
      if (isNotFiniteError(error))
        throw this.halt(k, error instanceof Error ? error.message : String(error), null);
      throw error;
    }
    if (k === 0) this.firstLoss = info.loss;
    const row = {
      step: k,
      loss: info.loss,
      accuracy: info.accuracy ?? 0,
      testLoss,
      testAccuracy,
      lr: info.lr,
    };
    if (lossDiverged(info.loss, this.firstLoss)) throw this.halt(k, `loss ${info.loss}`, row);
    // The weights this step started from gave a loss in bounds.
    [this.good, this.before] = [this.before, this.good];
    this.goodStep = k;
    return row;
  }

  /**
   * Stops the run at a divergence found at step `k`: the weights go back to the last ones whose
   * loss was in bounds (the step after them is the one that blew up), with fresh optimizer state.
   */
  private halt(k: number, detail: string, row: StepRow | null): Divergence {
    const restoredTo = this.goodStep < 0 ? null : this.goodStep;
    if (restoredTo !== null) {
      this.params.forEach((p, i) => {
        p.data = at(this.good, i);
      });
      this.trainer.setOptions({ optimizer: makeOptimizer(this.model, this.settings) });
    }
    this.halted = new Divergence(k, this.suggestion(), detail, null, restoredTo);
    return new Divergence(k, this.suggestion(), detail, row, restoredTo);
  }

  /** The held-out points' scores under the current weights (empty without test points). */
  testScores(): Float32Array {
    if (this.tester === null) return new Float32Array(0);
    const out = this.tester.predict(this.testBatch);
    return Float32Array.from({ length: this.test.y.length }, (_, i) => at(out, 2 * i + 1));
  }

  /** A rate to try after a divergence: a tenth of this one, or less for a deep network. */
  private suggestion(): number {
    const { lr, optimizer } = this.settings;
    return niceBelow(
      optimizer === 'adam' ? lr / 10 : Math.min(lr / 10, safeLearningRate(this.config.hidden)),
    );
  }

  /** The training loss's L2 term, α Σ w² over every parameter, as nn's Trainer adds it. */
  private l2(): number {
    const alpha = this.settings.alpha;
    if (alpha === 0) return 0;
    let sum = 0;
    for (const p of this.params) sum += p.data * p.data;
    return sum * alpha;
  }

  private testMetrics(): [number, number] {
    if (this.tester === null) return [NaN, NaN];
    try {
      const loss = this.tester.evaluate(this.testBatch);
      const out = this.tester.outputs;
      let correct = 0;
      for (let i = 0; i < this.test.y.length; i++)
        if (at(out, 2 * i + 1) > 0 === (this.test.y[i] === 1)) correct++;
      return [loss + this.l2(), correct / this.test.y.length];
    } catch {
      // Weights on their way to diverging: the training step reports it.
      return [NaN, NaN];
    }
  }
}

export function pickLive(config: LiveSettings): LiveSettings {
  const { lr, decay, steps, alpha, optimizer } = config;
  return { lr, decay, steps, alpha, optimizer };
}
