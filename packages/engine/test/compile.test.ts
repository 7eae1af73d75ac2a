import { describe, expect, it } from 'vitest';
import { Value, compile, type Backend } from '../src/index.js';
import { compileDemoLoss, totalLoss } from '@mg/test-utils';
import { TinyMLP, moons, pySum } from './compile-workloads.js';

const backends: Backend[] = ['wasm', 'interpreter'];

function grads(params: Value[]): number[] {
  return params.map((p) => p.grad);
}

describe('compile', () => {
  describe.each(backends)('the %s back end', (backend) => {
    it('reproduces eager mode bit for bit on the demo workload (MLP 2-16-16-1, hinge + L2)', () => {
      const data = moons(100, 7);
      const model = new TinyMLP([2, 16, 16, 1], ['relu', 'relu', 'linear'], 1337);
      const params = model.parameters();
      const eagerLosses = data.map(({ x, y }) => model.forward(x)[0]!.mul(-y).add(1).relu());
      const eager = totalLoss(eagerLosses, params, 1e-4);
      eager.backward();
      const eagerGrads = grads(params);
      for (const p of params) p.grad = 0;

      const program = compileDemoLoss(model, { backend });
      const loss = program.run(data.flatMap(({ x, y }) => [...x, y]));

      expect(program.backend).toBe(backend);
      expect(loss).toBe(eager.data);
      expect(grads(params)).toEqual(eagerGrads);
    });

    it.each([
      ['tanh', 'sigmoid'],
      ['sigmoid', 'tanh'],
    ] as const)('matches eager bit for bit for a %s/%s network with an MSE loss', (h, o) => {
      const model = new TinyMLP([3, 5, 2], [h, o], 11);
      const params = model.parameters();
      const rows = [
        [0.5, -1.2, 2.0, 0.1, 0.9],
        [-0.3, 0.8, -1.5, 0.7, -0.2],
        [1.1, 0.0, 0.4, -0.6, 0.3],
      ];
      const mse = (out: Value[], t: (Value | number)[]) => pySum(out.map((o, i) => o.sub(t[i]!).pow(2)));
      const eager = pySum(rows.map((r) => mse(model.forward(r.slice(0, 3)), r.slice(3)))).div(rows.length);
      eager.backward();
      const eagerGrads = grads(params);
      for (const p of params) p.grad = 0;

      const program = compile((x) => mse(model.forward(x.slice(0, 3)), x.slice(3)), {
        inputs: 5,
        reduce: (outs) => pySum(outs.map(([l]) => l!)).div(outs.length),
        backend,
      });
      const loss = program.run(rows.flat());

      expect(loss).toBe(eager.data);
      expect(grads(params)).toEqual(eagerGrads);
    });

    it('matches eager for exp, log and pow with a fractional exponent, and sums samples by default', () => {
      const w = new Value(0.7);
      const c = new Value(1.3);
      const f = (x: Value | number) => w.mul(x).exp().add(c).log().pow(1.5).add(c.pow(-2));
      const xs = [0.2, -0.4, 1.1];
      const total = xs.map(f).reduce((s, v) => s.add(v));
      total.backward();
      const expected = [w.grad, c.grad];
      w.grad = 0;
      c.grad = 0;

      const program = compile(([x]) => f(x!), { inputs: 1, backend });
      const loss = program.run(xs);

      expect(loss).toBe(total.data);
      expect([w.grad, c.grad]).toEqual(expected);
    });
  });

  describe.each(backends)('run(batch, { accumulate: false }), %s back end', (backend) => {
    const model = new TinyMLP([2, 6, 1], ['tanh', 'linear'], 21);
    const params = model.parameters();
    const data = moons(30, 4);
    const batch = data.flatMap(({ x, y }) => [...x, y]);

    /** The run's loss and gradients after zeroing every grad first (the reference), then after junk grads and a replacing run. */
    const bothWays = (program: ReturnType<typeof compile>, input: number[]) => {
      for (const p of params) p.grad = 0;
      const loss = program.run(input);
      const expected = grads(params);
      params.forEach((p, j) => (p.grad = [NaN, Infinity, -0, 1e300, 7][j % 5]!));
      const replaced = program.run(input, { accumulate: false });
      return { loss, expected, replaced, got: grads(params) };
    };

    it('sets each grad to the batch gradient, bit for bit as zeroing them first, whatever they held', () => {
      const program = compileDemoLoss(model, { backend });
      for (let step = 0; step < 3; step++) {
        const { loss, expected, replaced, got } = bothWays(program, batch);
        expect(Object.is(replaced, loss)).toBe(true);
        got.forEach((g, j) => {
          expect(Object.is(g, expected[j]), `grad ${j}: ${g} vs ${expected[j]}`).toBe(true);
        });
        for (const p of params) p.data -= 0.3 * p.grad;
      }
    });

    it('does so in the exact scalar replay too (a reduction reading an output another output is made from)', () => {
      const program = compile(
        (x) => {
          const s = model.forward(x.slice(0, 2))[0]!;
          return [s, s.tanh()];
        },
        { inputs: 3, backend, reduce: (outs) => pySum(outs.map(([s, t]) => s!.mul(t!))) },
      );
      const { loss, expected, replaced, got } = bothWays(program, batch);
      expect(Object.is(replaced, loss)).toBe(true);
      got.forEach((g, j) => {
        expect(Object.is(g, expected[j])).toBe(true);
      });
    });

    it('changes no grad when the run throws, and throws what a run after zeroing throws', () => {
      const program = compile(([x]) => params[0]!.mul(x!).log(), { inputs: 1, backend });
      params[0]!.data = 0.5;
      for (const p of params) p.grad = 0;
      const zeroed = (() => {
        try {
          program.run([1, -2]);
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(zeroed).toMatch(/log/);
      params.forEach((p, j) => (p.grad = j === 0 ? NaN : j));
      expect(() => program.run([1, -2], { accumulate: false })).toThrow(zeroed);
      params.forEach((p, j) => {
        expect(p.grad).toBe(j === 0 ? NaN : j);
      });
    });

    it('adds by default and with accumulate: true, and refuses a bad option naming it', () => {
      const program = compileDemoLoss(model, { backend });
      for (const p of params) p.grad = 0;
      program.run(batch);
      const once = grads(params);
      program.run(batch);
      const twice = grads(params);
      params.forEach((p, j) => (p.grad = once[j]!));
      program.run(batch, { accumulate: true });
      expect(grads(params)).toEqual(twice);
      expect(twice).not.toEqual(once);
      const before = grads(params);
      expect(() => program.run(batch, { accumulate: 'no' as unknown as boolean })).toThrow(
        new TypeError('Program.run: options.accumulate must be true or false, got "no"'),
      );
      expect(() => program.run(batch, { acumulate: false } as never)).toThrow(
        'Program.run: unknown option "acumulate" (did you mean "accumulate"?); the options are accumulate',
      );
      expect(grads(params)).toEqual(before);
      // A refused call leaves the next one free to run (and to add).
      program.run(batch);
    });
  });

  it('gives identical results with both back ends over several steps of training', () => {
    const run = (backend: Backend) => {
      const model = new TinyMLP([2, 8, 1], ['tanh', 'linear'], 5);
      const params = model.parameters();
      const data = moons(40, 3);
      const program = compileDemoLoss(model, { backend, alpha: 1e-3 });
      const batch = data.flatMap(({ x, y }) => [...x, y]);
      const losses: number[] = [];
      for (let k = 0; k < 20; k++) {
        for (const p of params) p.grad = 0;
        losses.push(program.run(batch));
        for (const p of params) p.data -= 0.5 * p.grad;
      }
      return { losses, weights: params.map((p) => p.data) };
    };

    expect(run('interpreter')).toEqual(run('wasm'));
  });
});

describe('Program.predict', () => {
  it.each(backends)(
    "%s: returns every sample's outputs, sample-major, equal to eager, and leaves gradients and outputs alone",
    (backend) => {
      const model = new TinyMLP([2, 4, 2], ['tanh', 'linear'], 3);
      const params = model.parameters();
      const program = compile((x) => model.forward(x), { inputs: 2, backend });
      const points = [0.5, -1, 2, 0.25, -0.75, 1.5];
      program.run([1, 1]);
      const grads = params.map((p) => p.grad);

      const out = program.predict(points);

      const eager = [0, 1, 2].flatMap((i) =>
        model.forward(points.slice(2 * i, 2 * i + 2)).map((o) => o.data),
      );
      expect(Array.from(out)).toEqual(eager);
      expect(params.map((p) => p.grad)).toEqual(grads);
      expect(program.outputs).toHaveLength(2);
    },
  );

  it('names the op and the sample when an output is not finite', () => {
    const w = new Value(1);
    const program = compile(([x]) => x!.mul(w).log(), { inputs: 1 });

    expect(() => program.predict([1, 2, -3])).toThrow(/log\(-3\) is not finite \(sample 2/);
  });
});
