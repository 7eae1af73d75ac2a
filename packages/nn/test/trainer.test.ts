import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { Adam, Layer, MLP, PythonRandom, Trainer, fit, mseLoss } from '../src/index.js';
import type { StepInfo } from '../src/index.js';

/** Points in [-2, 2]² labelled by which side of a line they fall, at least 0.3 away from it. */
function separable(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new PythonRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  while (x.length < n) {
    const p = [rng.uniform(-2, 2), rng.uniform(-2, 2)];
    const side = p[0]! + 0.5 * p[1]! - 0.2;
    if (Math.abs(side) < 0.3) continue;
    x.push(p);
    y.push(side > 0 ? 1 : -1);
  }
  return { x, y };
}

/** Three blobs around the corners of a triangle, labelled 0, 1, 2. */
function blobs(perClass: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new PythonRandom(seed);
  const centres = [
    [0, 1.5],
    [-1.5, -1],
    [1.5, -1],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++) {
    centres.forEach(([cx, cy], c) => {
      x.push([cx! + rng.uniform(-0.6, 0.6), cy! + rng.uniform(-0.6, 0.6)]);
      y.push(c);
    });
  }
  return { x, y };
}

const schedule = (k: number) => 1.0 - (0.9 * k) / 100;

describe('Trainer', () => {
  it("reproduces micrograd demo.ipynb's loop (loss, then zero_grad, backward, lr, update) in eager mode", () => {
    // Same reference as the hinge loss test: micrograd run in CPython on these four samples.
    const model = new MLP(2, [16, 16, 1], { seed: 1337 });
    const data = {
      x: [
        [0.5, -1.2],
        [2.0, 0.25],
        [-0.7, 0.9],
        [1.1, 1.3],
      ],
      y: [1, -1, 1, -1],
    };

    const { losses, accuracies } = fit(model, data, { steps: 3, alpha: 1e-4, lr: schedule, engine: 'eager' });

    expect(losses).toEqual([1.196155901643714, 2.9172347535419507, 0.011453714244850815]);
    expect(accuracies).toEqual([0.5, 0.5, 1]);
  });

  it('reaches 100% accuracy on a separable toy set in 100 full-batch steps', () => {
    const model = new MLP(2, [8, 8, 1], { seed: 1337 });
    const data = separable(40, 7);

    const { losses, accuracies } = fit(model, data, { steps: 100, alpha: 1e-4, lr: schedule });

    expect(accuracies[99]).toBe(1);
    expect(losses[99]!).toBeLessThan(losses[0]! / 10);
  });

  const cases = [
    [
      'hinge, full batch',
      () => ({ data: separable(24, 1), nouts: [8, 1], options: { alpha: 1e-4, lr: schedule } }),
    ],
    [
      'hinge, mini-batches of 8',
      () => ({
        data: separable(24, 2),
        nouts: [8, 1],
        options: { alpha: 1e-4, lr: 0.2, batchSize: 8, seed: 5 },
      }),
    ],
    [
      'binary cross-entropy with Adam',
      () => {
        const d = separable(20, 3);
        return {
          data: { x: d.x, y: d.y.map((v) => (v > 0 ? 1 : 0)) },
          nouts: [6, 1],
          options: { loss: 'bce' as const },
        };
      },
    ],
    [
      'softmax cross-entropy, three classes',
      () => ({
        data: blobs(6, 4),
        nouts: [8, 3],
        options: { loss: 'cross-entropy' as const, lr: 0.1, alpha: 1e-3 },
      }),
    ],
    [
      'mean squared error, two outputs',
      () => {
        const d = separable(12, 6);
        return {
          data: { x: d.x, y: d.x.map(([a, b]) => [a! * b!, a! - b!]) },
          nouts: [6, 2],
          options: { loss: 'mse' as const, lr: 0.02 },
        };
      },
    ],
  ] as const;

  for (const [name, make] of cases) {
    it(`gives the same trajectory, bit for bit, eager and compiled (${name})`, () => {
      const run = (engine: 'eager' | 'compiled', backend: 'auto' | 'interpreter' = 'auto') => {
        const { data, nouts, options } = make();
        const model = new MLP(2, nouts, { seed: 1337 });
        const optimizer =
          'loss' in options && options.loss === 'bce'
            ? new Adam(model.parameters(), { lr: 0.05 })
            : undefined;
        const result = fit(model, data, {
          steps: 30,
          ...options,
          ...(optimizer ? { optimizer } : {}),
          engine,
          backend,
        });
        return { ...result, weights: model.parameters().map((p) => p.data) };
      };

      const eager = run('eager');
      const js = run('compiled', 'auto');
      const interpreted = run('compiled', 'interpreter');

      expect(js.engine).toBe('compiled');
      expect(js.losses).toEqual(eager.losses);
      expect(js.accuracies).toEqual(eager.accuracies);
      expect(js.weights).toEqual(eager.weights);
      expect(interpreted.losses).toEqual(eager.losses);
      expect(interpreted.weights).toEqual(eager.weights);
      expect(eager.losses[29]!).toBeLessThan(eager.losses[0]!);
    });
  }

  it('reports every step through onStep, with the learning rate used', () => {
    const seen: StepInfo[] = [];
    const model = new MLP(2, [4, 1], { seed: 1 });

    fit(model, separable(10, 1), { steps: 3, lr: schedule, onStep: (info) => seen.push(info) });

    expect(seen.map((s) => s.step)).toEqual([0, 1, 2]);
    expect(seen.map((s) => s.lr)).toEqual([1, 0.991, 0.982]);
    expect(seen.every((s) => s.batchSize === 10 && s.accuracy !== null)).toBe(true);
  });

  it('trains on the batches a custom sampler picks', () => {
    const data = {
      x: [
        [1, 0],
        [0, 1],
        [-1, 0],
        [0, -1],
      ],
      y: [1, 1, -1, -1],
    };
    const picked: number[][] = [];
    const model = new MLP(2, [3, 1], { seed: 2 });
    const trainer = new Trainer(model, data, {
      batchSize: 2,
      sample: (step) => {
        const b = step % 2 === 0 ? [0, 2] : [1, 3];
        picked.push(b);
        return b;
      },
    });

    const first = trainer.step();
    trainer.step();

    expect(picked).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(first.batchSize).toBe(2);
    expect(trainer.steps).toBe(2);
  });

  it('falls back to eager mode under engine "auto" when the model cannot be traced', () => {
    const model = new MLP(2, [3, 1], { seed: 2 });
    const data = separable(8, 9);
    const reference = fit(new MLP(2, [3, 1], { seed: 2 }), data, { steps: 3, engine: 'eager' });
    // A model whose forward pass branches on data, which compile cannot trace.
    const forward = model.forward.bind(model);
    model.forward = (x: readonly (Value | number)[]) => {
      const out = forward(x);
      return out[0]!.data > 100 ? [out[0]!.mul(2)] : out;
    };

    const result = fit(model, data, { steps: 3 });

    expect(result.engine).toBe('eager');
    expect(result.losses).toEqual(reference.losses);
  });
});

describe('Trainer.setOptions', () => {
  const data = separable(16, 11);
  const trajectory = (engine: 'eager' | 'compiled', change: (t: Trainer, k: number) => void) => {
    const model = new MLP(2, [6, 1], { seed: 21 });
    const trainer = new Trainer(model, data, { engine, lr: 0.3 });
    const infos: StepInfo[] = [];
    for (let k = 0; k < 12; k++) {
      change(trainer, k);
      infos.push(trainer.step());
    }
    return { infos, weights: model.parameters().map((p) => p.data), trainer };
  };

  it('a new learning rate applies from the next step: the same run as a schedule that changes there', () => {
    const live = trajectory('compiled', (t, k) => {
      if (k === 5) t.setOptions({ lr: 0.05 });
    });
    const model = new MLP(2, [6, 1], { seed: 21 });
    const scheduled = fit(model, data, { steps: 12, engine: 'compiled', lr: (k) => (k < 5 ? 0.3 : 0.05) });

    expect(live.infos.map((s) => s.loss)).toEqual(scheduled.losses);
    expect(live.infos.map((s) => s.lr)).toEqual([
      ...Array<number>(5).fill(0.3),
      ...Array<number>(7).fill(0.05),
    ]);
    expect(live.weights).toEqual(model.parameters().map((p) => p.data));
  });

  it('a new optimizer and L2 term keep the model and the step count, with the same numbers eager and compiled', () => {
    const change = (t: Trainer, k: number) => {
      if (k === 4) t.setOptions({ optimizer: new Adam(t.model.parameters(), { lr: 0.02 }), alpha: 1e-3 });
      if (k === 8) t.setOptions({ alpha: 0, lr: (step) => 0.01 * step });
    };

    const eager = trajectory('eager', change);
    const compiled = trajectory('compiled', change);

    expect(compiled.trainer.engine).toBe('compiled');
    expect(compiled.infos).toEqual(eager.infos);
    expect(compiled.weights).toEqual(eager.weights);
    expect(compiled.infos.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(compiled.infos.slice(4, 8).map((s) => s.lr)).toEqual([0.02, 0.02, 0.02, 0.02]);
    expect(compiled.infos.slice(8).map((s) => s.lr)).toEqual([0.08, 0.09, 0.1, 0.11]);
    expect(compiled.trainer.optimizer).toBeInstanceOf(Adam);
    expect(compiled.trainer.optimizer.steps).toBe(8);
    expect(compiled.trainer.steps).toBe(12);
  });

  it('adds the new L2 term to the loss of the next step', () => {
    const without = trajectory('compiled', () => undefined);
    const withL2 = trajectory('compiled', (t, k) => {
      if (k === 3) t.setOptions({ alpha: 0.5 });
    });
    const params = new MLP(2, [6, 1], { seed: 21 });
    fit(params, data, { steps: 3, engine: 'eager', lr: 0.3 });
    const penalty = 0.5 * params.parameters().reduce((s, p) => s + p.data * p.data, 0);

    expect(withL2.infos.slice(0, 3)).toEqual(without.infos.slice(0, 3));
    expect(withL2.infos[3]!.loss - without.infos[3]!.loss).toBeCloseTo(penalty, 12);
  });
});

describe('Trainer with a Layer', () => {
  it('trains a single linear layer on a regression target with the mean squared error mseLoss computes', () => {
    const layer = new Layer(2, 1, { activation: 'linear', seed: 3 });
    const x = [
      [1, 2],
      [2, -1],
      [-1, 0.5],
      [0, 1],
    ];
    const y = x.map(([a, b]) => 0.5 * a! - 2 * b! + 1);
    const before = mseLoss(
      x.map((row) => layer.forward(row)),
      y.map((t) => [t]),
    ).data;

    const { losses } = fit(layer, { x, y }, { loss: 'mse', steps: 200, lr: 0.05, engine: 'compiled' });

    expect(losses[0]).toBe(before);
    expect(losses[199]!).toBeLessThan(1e-6);
  });
});

describe('Trainer steps', () => {
  it('never rebuild the parameter list: model.parameters() is called once, by the constructor', () => {
    for (const engine of ['eager', 'compiled'] as const) {
      const model = new MLP(2, [4, 1], { seed: 5 });
      const parameters = model.parameters.bind(model);
      let calls = 0;
      model.parameters = () => {
        calls++;
        return parameters();
      };
      const trainer = new Trainer(model, separable(12, 3), { engine, alpha: 1e-4, batchSize: 4, seed: 2 });

      for (let k = 0; k < 5; k++) trainer.step();

      expect([engine, calls]).toEqual([engine, 1]);
    }
  });
});

describe('a model that lists a shared Value twice', () => {
  it('trains it once per step, the same eager and compiled', () => {
    const run = (engine: 'eager' | 'compiled') => {
      const inner = new MLP(2, [3, 1], { seed: 8 });
      const shared = inner.parameters()[0]!;
      const model = {
        nin: 2,
        nout: 1,
        forward: (x: readonly (Value | number)[]) => inner.forward(x),
        parameters: () => [shared, ...inner.parameters()],
      };
      const trainer = new Trainer(model, separable(10, 3), { engine, lr: 0.2, alpha: 1e-3 });
      const losses = [0, 1, 2, 3].map(() => trainer.step().loss);
      return { losses, weights: inner.parameters().map((p) => p.data) };
    };
    const eager = run('eager');
    expect(run('compiled')).toEqual(eager);
    const single = new MLP(2, [3, 1], { seed: 8 });
    const plain = new Trainer(single, separable(10, 3), { engine: 'eager', lr: 0.2, alpha: 1e-3 });
    expect([0, 1, 2, 3].map(() => plain.step().loss)).toEqual(eager.losses);
  });
});
