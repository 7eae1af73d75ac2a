import { beforeAll, describe, expect, it } from 'vitest';
import { makeDataset } from '../src/core/datasets.js';
import type { Engine } from '@mg/nn';
import { Training, type StepRecord } from '../src/core/train.js';

// micrograd's demo.ipynb prints these before each update.
const NOTEBOOK = {
  0: [0.8958441028683222, 0.5],
  1: [1.7235905336972022, 0.81],
  40: [0.06016009895234464, 1],
  99: [0.010978370135492717, 1],
} as const;

function notebookRun(engine: Engine): StepRecord[] {
  const data = makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 });
  const training = new Training(data, { seed: 1337, hidden: [16, 16], steps: 100, engine });
  return Array.from({ length: 100 }, () => training.step());
}

describe('Training', () => {
  const runs: Record<Engine, StepRecord[]> = { eager: [], compiled: [] };
  beforeAll(() => {
    runs.eager = notebookRun('eager');
    runs.compiled = notebookRun('compiled');
  }, 60_000);

  it.each(['eager', 'compiled'] as const)('reproduces the notebook losses and accuracies (%s)', (engine) => {
    const records = runs[engine];

    for (const [step, [loss, accuracy]] of Object.entries(NOTEBOOK)) {
      const record = records[Number(step)]!;
      expect(Math.abs(record.loss - loss) / loss, `step ${step}: ${record.loss}`).toBeLessThan(1e-12);
      expect(record.accuracy).toBe(accuracy);
    }
    expect(records.findIndex((r) => r.accuracy === 1)).toBe(40);
  });

  it('gives bit-identical trajectories in both engines', () => {
    expect(runs.compiled.map((r) => r.loss)).toEqual(runs.eager.map((r) => r.loss));
  });

  it("decays the learning rate as the notebook's 1.0 - 0.9*k/100", () => {
    expect(runs.eager.map((r) => r.learningRate).slice(0, 3)).toEqual([
      1,
      1.0 - 0.9 / 100,
      1.0 - (0.9 * 2) / 100,
    ]);
  });

  it('scores points with the trained model, positive on the class-1 side', () => {
    const data = makeDataset('moons', { samples: 40, noise: 0.05, seed: 3 });
    const training = new Training(data, { seed: 1, hidden: [8], steps: 50, engine: 'compiled' });
    for (let k = 0; k < 50; k++) training.step();

    const scores = training.scores(data.X);
    const eager = training.model.forward([data.X[0]!, data.X[1]!])[0]!.data;

    expect(scores).toHaveLength(40);
    expect(scores[0]).toBe(eager);
    const agree = Array.from(scores).filter((s, i) => s > 0 === data.y[i]! > 0).length;
    expect(agree).toBeGreaterThanOrEqual(36);
  });

  it('throws RangeError quoting a bad engine or step count', () => {
    const data = makeDataset('moons', { samples: 10, noise: 0.1, seed: 1 });

    expect(() => new Training(data, { seed: 1, hidden: [4], steps: 10, engine: 'fast' as Engine })).toThrow(
      /engine .* "fast"/,
    );
    expect(() => new Training(data, { seed: 1, hidden: [4], steps: 0 })).toThrow(/steps .* got 0/);
  });
});
