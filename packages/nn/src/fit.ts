import { checkOptions, describeInput } from '@mg/engine';
import type { Dataset } from './data.js';
import type { Engine } from './engines.js';
import { Trainer } from './trainer.js';
import { TRAINER_OPTIONS, type TrainableModel, type TrainerOptions } from './trainer-options.js';

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
 * import { MLP, fit } from '@mg/nn';
 *
 * const model = new MLP(2, [16, 16, 1], { seed: 1337 });
 * const data = { x: [[1, 1], [-1, -1], [1, -1], [-1, 1]], y: [1, 1, -1, -1] };
 * const { losses, accuracies } = fit(model, data, { steps: 20, alpha: 1e-4, lr: (k) => 1.0 - (0.9 * k) / 100 });
 * console.log(accuracies[19], losses[19] < losses[0]); // 1 true
 * ```
 */
export function fit(
  model: TrainableModel,
  data: Dataset,
  options?: TrainerOptions & { steps?: number },
): FitResult {
  const { steps = 100, ...rest } = checkOptions(options, [...TRAINER_OPTIONS, 'steps'], 'fit');
  if (typeof steps !== 'number')
    throw new TypeError(`fit: steps must be a non-negative integer, got ${describeInput(steps)}`);
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`fit: steps must be a non-negative integer, got ${steps}`);
  const trainer = new Trainer(model, data, rest as TrainerOptions);
  const losses: number[] = [];
  const accuracies: (number | null)[] = [];
  for (let k = 0; k < steps; k++) {
    const { loss, accuracy } = trainer.step();
    losses.push(loss);
    accuracies.push(accuracy);
  }
  return { losses, accuracies, engine: trainer.engine };
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
