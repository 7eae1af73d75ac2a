import { describe, expect, it } from 'vitest';
import { thrownBy } from '@mg/test-utils';
import { DEFAULTS, type Config } from '../src/web/config.js';
import { makeDataset } from '../src/core/datasets.js';
import { Training } from '../src/core/train.js';
import { Divergence, Run, divergenceMessage, testSet } from '../src/web/worker/run.js';

const config = (changes: Partial<Config> = {}): Config => ({
  ...DEFAULTS,
  hidden: [...DEFAULTS.hidden],
  ...changes,
});

describe('the web page run', () => {
  it("measures the weights it starts with: step 0 is the notebook's first loss, before any step", () => {
    const run = new Run(config(), 'interpreter');

    const row = run.current;

    expect(run.completed).toBe(0);
    expect([row.step, row.loss, row.accuracy]).toEqual([0, 0.8958441028683222, 0.5]);
    expect(row.lr).toBeNaN();
    expect(run.test.y.length).toBe(50);
    expect(row.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(row.testLoss)).toBe(true);
  });

  it("gives step k the loss of the weights after k steps, the notebook's step k to the bit, in both engines", () => {
    for (const engine of ['eager', 'compiled'] as const) {
      const run = new Run(config({ engine }), 'interpreter');
      const notebook = new Training(makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 }), {
        seed: 1337,
        hidden: [16, 16],
        steps: 100,
        engine,
      });
      const expected = Array.from({ length: 6 }, () => notebook.step());

      const rows = [run.current, ...Array.from({ length: 5 }, () => run.step())];

      expect(rows.map((r) => [r.step, r.loss, r.accuracy])).toEqual(
        expected.map((r) => [r.step, r.loss, r.accuracy]),
      );
      // Step 3 as the notebook prints it: what the page shows after three presses of Step.
      expect([rows[3]?.loss, rows[3]?.accuracy]).toEqual([0.7705641260584202, 0.82]);
      // Step k's rate is the one of the update that made it: the schedule's k - 1.
      expect(rows.slice(1).map((r) => r.lr)).toEqual(expected.slice(0, 5).map((r) => r.learningRate));
      expect(run.current).toBe(rows[5]);
    }
  });

  it('applies a new learning rate and optimizer at the next step and keeps counting steps', () => {
    const run = new Run(config({ decay: false, lr: 0.1 }), 'interpreter');
    run.step();
    run.step();

    run.update({ ...run.settings, lr: 0.05, optimizer: 'adam', alpha: 0 });
    const row = run.step();

    expect(row.step).toBe(3);
    expect(row.lr).toBe(0.05);
    expect(run.completed).toBe(3);
  });

  it('stops at the step limit and goes on for another run of steps after extend()', () => {
    const run = new Run(config({ steps: 2 }), 'interpreter');
    run.step();
    run.step();
    expect(run.done).toBe(true);

    run.extend();

    expect(run.done).toBe(false);
    expect(run.limit).toBe(4);
    // Past the schedule's end the rate stays at its last value, lr × 0.1.
    expect(run.step().lr).toBeCloseTo(0.1, 15);
  });

  it('throws a Divergence naming the step, the weights it keeps and a lower rate when a deep network blows up', () => {
    const run = new Run(config({ hidden: [64, 64, 64, 64], lr: 10, engine: 'compiled' }), 'interpreter');

    const error = thrownBy(() => {
      for (let k = 0; k < 20; k++) run.step();
    }) as Divergence;

    expect(error).toBeInstanceOf(Divergence);
    expect(error.at).toBe(error.step - 1);
    expect(run.completed).toBe(error.at);
    expect(error.message).toMatch(
      new RegExp(
        `^Training diverged at step ${error.step}: .+\\. The run keeps (the weights it started with|step ${error.at}'s weights.*): lower the learning rate \\(try 0\\.00\\d+\\)`,
      ),
    );
  });

  it('keeps the weights before a divergence, with their row, takes no step at the same rate, and trains on at a lower one', () => {
    const run = new Run(config({ hidden: [32, 32, 32], lr: 10 }), 'interpreter');
    const weights = (): number[] => run.model.parameters().map((p) => p.data);
    // history[k]: the weights after k steps.
    const history: number[][] = [weights()];
    const rows = [run.current];

    const error = thrownBy(() => {
      for (let k = 0; k < 20; k++) {
        rows.push(run.step());
        history.push(weights());
      }
    }) as Divergence;
    const kept = run.current;
    const again = thrownBy(() => run.step()) as Divergence;
    const held = weights();
    const afterAgain = run.completed;
    run.update({ ...run.settings, lr: 0.01 });
    const row = run.step();

    expect(error).toBeInstanceOf(Divergence);
    expect(error.at).toBe(rows.length - 1);
    expect(held).toEqual(history[error.at]);
    // The run's row is the one of the weights it keeps: what the page's cards show.
    expect(kept).toBe(rows[error.at]);
    expect(again.message).toBe(error.message);
    expect(afterAgain).toBe(error.at);
    // The count goes on from the kept weights, and so does the schedule.
    expect(row.step).toBe(error.at + 1);
    expect(row.loss).toBeLessThan(10 * (rows[0]?.loss ?? NaN));
  });

  it('says to start over when the weights it keeps are already worse than at the start', () => {
    const first = { step: 0, loss: 0.9, accuracy: 0.5, testLoss: NaN, testAccuracy: NaN, lr: NaN };
    const what = "the loss reached 15500, over 1000 times step 0's 0.9";

    expect(divergenceMessage(2, what, { ...first, step: 1, loss: 0.7 }, 0.9, 0.1)).toBe(
      `Training diverged at step 2: ${what}. The run keeps step 1's weights (loss 0.7): lower the learning rate (try 0.1) to train on from there, or press Reset to start over.`,
    );
    expect(divergenceMessage(2, what, { ...first, step: 1, loss: 45.21 }, 0.9, 0.1)).toBe(
      `Training diverged at step 2: ${what}. The run keeps step 1's weights, but their loss 45.21 is already above step 0's 0.9: lower the learning rate (try 0.1) and press Reset to start over.`,
    );
    expect(divergenceMessage(1, what, first, 0.9, 0.1)).toBe(
      `Training diverged at step 1: ${what}. The run keeps the weights it started with: lower the learning rate (try 0.1) and train again.`,
    );
  });

  it('adds the same L2 term to the held-out loss as to the training loss, so the two compare', () => {
    const plain = new Run(config({ alpha: 0 }), 'interpreter').current;
    const withL2 = new Run(config({ alpha: 0.1 }), 'interpreter').current;

    expect(withL2.loss - plain.loss).toBeGreaterThan(1);
    expect(withL2.testLoss - plain.testLoss).toBeCloseTo(withL2.loss - plain.loss, 10);
  });

  it('draws held-out points from the next seed, as many as the test percentage asks', () => {
    const test = testSet(config({ samples: 100, test: 30 }));

    expect(test.y.length).toBe(30);
    expect(testSet(config({ test: 0 })).y.length).toBe(0);
  });
});
