import { describe, expect, it } from 'vitest';
import { thrownBy } from '@mg/test-utils';
import { DEFAULTS, type Config } from '../src/web/config.js';
import { Divergence, Run, testSet } from '../src/web/worker/run.js';

const config = (changes: Partial<Config> = {}): Config => ({
  ...DEFAULTS,
  hidden: [...DEFAULTS.hidden],
  ...changes,
});

describe('the web page run', () => {
  it("takes the notebook's first step, with the held-out points measured before it", () => {
    const run = new Run(config(), 'interpreter');

    const row = run.step();

    expect(row.loss).toBe(0.8958441028683222);
    expect(row.accuracy).toBe(0.5);
    expect(row.lr).toBe(1);
    expect(run.test.y.length).toBe(50);
    expect(row.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(row.testLoss)).toBe(true);
  });

  it('applies a new learning rate and optimizer at the next step and keeps counting steps', () => {
    const run = new Run(config({ decay: false, lr: 0.1 }), 'interpreter');
    run.step();
    run.step();

    run.update({ ...run.settings, lr: 0.05, optimizer: 'adam', alpha: 0 });
    const row = run.step();

    expect(row.step).toBe(2);
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

  it('throws a Divergence naming the step and a lower rate when a deep network blows up', () => {
    const run = new Run(config({ hidden: [64, 64, 64, 64], lr: 10, engine: 'compiled' }), 'interpreter');

    const error = thrownBy(() => {
      for (let k = 0; k < 20; k++) run.step();
    });

    expect(error).toBeInstanceOf(Divergence);
    expect((error as Divergence).message).toMatch(
      /^diverged at step \d+ - lower the learning rate \(try 0\.00\d+\) to train on from the weights before step \d+$/,
    );
  });

  it('puts the weights back after a divergence, takes no step at the same rate, and trains on at a lower one', () => {
    const run = new Run(config({ hidden: [32, 32, 32], lr: 10 }), 'interpreter');
    const weights = (): number[] => run.model.parameters().map((p) => p.data);
    // history[k]: the weights step k started from.
    const history: number[][] = [];
    const losses: number[] = [];

    const error = thrownBy(() => {
      for (let k = 0; k < 20; k++) {
        history.push(weights());
        losses.push(run.step().loss);
      }
    }) as Divergence;
    const completed = run.completed;
    const again = thrownBy(() => run.step()) as Divergence;
    const held = weights();
    const afterAgain = run.completed;
    run.update({ ...run.settings, lr: 0.01 });
    const row = run.step();

    expect(error).toBeInstanceOf(Divergence);
    expect(error.restoredTo).not.toBeNull();
    // history[k - 1] holds the weights step k started from.
    expect(held).toEqual(history[error.restoredTo!]);
    expect(again.message).toBe(error.message);
    expect(afterAgain).toBe(completed);
    expect(row.loss).toBeLessThan(10 * losses[0]!);
  });

  it('adds the same L2 term to the held-out loss as to the training loss, so the two compare', () => {
    const plain = new Run(config({ alpha: 0 }), 'interpreter').step();
    const withL2 = new Run(config({ alpha: 0.1 }), 'interpreter').step();

    expect(withL2.loss - plain.loss).toBeGreaterThan(1);
    expect(withL2.testLoss - plain.testLoss).toBeCloseTo(withL2.loss - plain.loss, 10);
  });

  it('draws held-out points from the next seed, as many as the test percentage asks', () => {
    const test = testSet(config({ samples: 100, test: 30 }));

    expect(test.y.length).toBe(30);
    expect(testSet(config({ test: 0 })).y.length).toBe(0);
  });
});
