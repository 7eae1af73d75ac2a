import type { CompileOptions, Value } from '@mg/engine';
import type { Engine } from './engines.js';
import type { LossName } from './loss-table.js';
import type { Optimizer } from './optimizer.js';

/** What a {@link Trainer} trains: an {@link MLP}, a {@link Layer}, or anything shaped like them. */
export interface TrainableModel {
  /** Inputs per sample. */
  readonly nin: number;
  /** Outputs per sample. */
  readonly nout: number;
  /** One Value per output. */
  forward(x: readonly (Value | number)[]): Value[];
  /** The trainable values, in a fixed order. */
  parameters(): Value[];
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

/** A learning rate, or a schedule called with the step number (from 0) before each update. */
export type LearningRate = number | ((step: number) => number);

/** Options for {@link Trainer} and {@link fit}. */
export interface TrainerOptions {
  /** The loss. Default `'hinge'`, micrograd's demo. */
  loss?: LossName;
  /** L2 coefficient α: adds `α · Σ p²` to the loss, as micrograd's demo (which uses 1e-4). Default 0. */
  alpha?: number;
  /** The optimizer. Default `new SGD(model.parameters(), { lr })`. */
  optimizer?: Optimizer;
  /** A learning rate, or a schedule called with the step number before each update. Default 0.1 when no optimizer is given, else the optimizer's. */
  lr?: LearningRate;
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
  /** Compiled mode's back end, passed to `compile` as it is. Default `'auto'`. */
  backend?: CompileOptions['backend'];
  /** Called after every step, for progress bars and plots; the step is applied first, so an error it throws leaves the step done. */
  onStep?: (info: StepInfo) => void;
}

/** What {@link Trainer.setOptions} can change between steps. */
export interface LiveOptions {
  /** A new learning rate (replacing any schedule) or a new schedule, used from the next step. */
  lr?: LearningRate;
  /** A new optimizer, with fresh state, from the next step; a schedule set before keeps driving its learning rate. */
  optimizer?: Optimizer;
  /** A new L2 coefficient α, from the next step. */
  alpha?: number;
}

/** The option keys {@link Trainer} accepts. */
export const TRAINER_OPTIONS = [
  'loss',
  'alpha',
  'optimizer',
  'lr',
  'batchSize',
  'sample',
  'seed',
  'engine',
  'backend',
  'onStep',
] as const;
