import { describe, expect, it } from 'vitest';
import { thrownBy } from '@mg/test-utils';
import { divergedMessage } from '../src/cli/train-command.js';
import { makeDataset } from '../src/core/datasets.js';
import { EXPLOSION, isNotFiniteError, lossDiverged } from '../src/core/divergence.js';
import { Diverged, Training } from '../src/core/train.js';
import { DEFAULTS } from '../src/web/config.js';
import { Divergence, Run } from '../src/web/worker/run.js';

const moons = makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 });

/** Steps a Training until it throws (at most 100 steps). */
function divergence(hidden: number[], steps = 100): Diverged {
  const training = new Training(moons, { seed: 1337, hidden, steps, engine: 'compiled' });
  return thrownBy(() => {
    for (let k = 0; k < 100; k++) training.step();
  }) as Diverged;
}

describe('lossDiverged', () => {
  it('bounds the loss at 1000 times the first (or 1), and refuses what is not finite', () => {
    expect(EXPLOSION).toBe(1e3);
    expect([lossDiverged(0.9, 0.9), lossDiverged(1000, 0.9), lossDiverged(1000.1, 0.9)]).toEqual([
      false,
      false,
      true,
    ]);
    expect([lossDiverged(7e3, 7.06), lossDiverged(7.1e3, 7.06)]).toEqual([false, true]);
    expect([lossDiverged(NaN, 1), lossDiverged(Infinity, 1), lossDiverged(1, NaN)]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("recognises @mg/engine's and @mg/nn's errors for numbers that stopped being finite", () => {
    expect(
      isNotFiniteError(new RangeError('compile: the result of mul(4.45e+208, 1e+200) is not finite')),
    ).toBe(true);
    expect(isNotFiniteError(new TypeError('toSvg: could not load'))).toBe(false);
  });
});

describe('Training', () => {
  it('throws Diverged, with the step it measured, when the loss passes the bound', () => {
    const error = divergence([32, 32, 32], 5);

    expect(error).toBeInstanceOf(Diverged);
    expect(error.step).toBe(3);
    expect(error.record).toEqual({
      step: 3,
      loss: 15478.01171661564,
      accuracy: 0.5,
      learningRate: 1 - (0.9 * 3) / 5,
    });
    expect(error.firstLoss).toBe(7.062008248496762);
    expect(error.previousLoss).toBe(91.82519171112517);
    expect(error.message).toBe(
      "diverged at step 3: loss 15478.01171661564 is over 1000 times the first step's 7.062008248496762",
    );
  });

  it('throws Diverged, with no record, when a number in the step stops being finite', () => {
    // Step 0's gradients are about 1e300, so are the weights after it: step 1's products overflow.
    const huge = { X: Float64Array.from([1e300, 1e300, -1e300, 1e300]), y: Uint8Array.from([0, 1]) };
    const training = new Training(huge, { seed: 1, hidden: [4, 4], steps: 10, engine: 'compiled' });
    const first = training.step();

    const error = thrownBy(() => training.step()) as Diverged;

    expect(error).toBeInstanceOf(Diverged);
    expect([error.step, error.record, error.learningRate]).toEqual([1, null, 1 - 0.9 / 10]);
    expect([error.firstLoss, error.previousLoss]).toEqual([first.loss, first.loss]);
    expect(error.detail).toMatch(/is not finite/);
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it('stops at the step where the web page stops the same run', () => {
    for (const hidden of [
      [32, 32, 32],
      [64, 64, 64, 64],
    ]) {
      const page = new Run({ ...DEFAULTS, hidden, engine: 'compiled' }, 'interpreter');
      const stopped = thrownBy(() => {
        for (let k = 0; k < 100; k++) page.step();
      }) as Divergence;

      expect(stopped).toBeInstanceOf(Divergence);
      expect(divergence(hidden).step).toBe(stopped.step);
    }
  });
});

describe("the CLI's message", () => {
  const options = { hidden: [64, 64, 64, 64], steps: 100 };
  const advice =
    "; nothing was written. Try fewer or smaller hidden layers, such as the notebook's --hidden 16,16 (the learning rate is the notebook's schedule, which no flag changes)";

  it('says where, what loss, which flags and what to change', () => {
    const error = new Diverged(
      1,
      { step: 1, loss: 2678734.86, accuracy: 0.5, learningRate: 0.991 },
      42.6,
      42.6,
      0.991,
    );

    expect(divergedMessage(error, options)).toBe(
      "diverged at step 1: loss 2680000, over 1000 times the first step's 42.6, with --hidden 64,64,64,64 and --steps 100 " +
        `(learning rate 1 - 0.9*k/100 = 0.991)${advice}`,
    );
  });

  it('quotes the error when a number stopped being finite, with the last loss before it', () => {
    const cause = new RangeError(
      'compile: the result of mul(4.45e+208, …) is not finite (sample 0, node 1952)',
    );
    const error = new Diverged(5, null, 42.6, 1.8661e63, 0.955, cause);

    expect(divergedMessage(error, options)).toBe(
      'diverged at step 5: a number stopped being finite (compile: the result of mul(4.45e+208, …) is not finite (sample 0, node 1952)), ' +
        `after loss 1.87e+63 at step 4, with --hidden 64,64,64,64 and --steps 100 (learning rate 1 - 0.9*k/100 = 0.955)${advice}`,
    );
  });
});
