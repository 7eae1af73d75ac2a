import { topologicalOrder } from '@mg/engine';
import { describe, expect, it } from 'vitest';
import {
  bigSum,
  compileDemoLoss,
  demoBatch,
  demoLoss,
  demoWorkload,
  EngineMLP,
  expressionExample,
  median,
  neuronExample,
  pySum,
  seeded,
  tanhExample,
  twoMoons,
} from '../src/index.js';

describe('lecture examples', () => {
  it("give the lecture's neuron o = 0.7071 and its gradients", () => {
    const { root, values } = neuronExample();

    expect(root.data).toBeCloseTo(Math.SQRT1_2, 15);
    const grads = [values.x1?.grad, values.w1?.grad, values.x2?.grad, values.w2?.grad];
    [-1.5, 1, 0.5, 0].forEach((expected, i) => {
      expect(grads[i]).toBeCloseTo(expected, 12);
    });
  });

  it("give L = (a*b + c) * f = -8 and the lecture's gradients", () => {
    const { root, values } = expressionExample();

    expect(root.data).toBe(-8);
    expect(Object.fromEntries(Object.entries(values).map(([label, v]) => [label, v.grad]))).toEqual({
      a: 6,
      b: -4,
      c: -2,
      f: 4,
      e: -2,
      d: -2,
      L: 1,
    });
  });

  it('give b = tanh(x + y) * x and label every value', () => {
    const { root, values } = tanhExample();

    expect(root.data).toBe(Math.tanh(5) * 2);
    expect(Object.values(values).map((v) => v.label)).toEqual(['x', 'y', 'z', 'a', 'b']);
  });
});

describe('bigSum', () => {
  it('adds n + 1 labelled leaves with n adds', () => {
    const root = bigSum(10);

    const order = topologicalOrder(root);

    expect(root.data).toBe(55);
    expect(order.length).toBe(21);
    expect(order.filter((v) => v.op === '').map((v) => v.label)).toEqual(
      Array.from({ length: 11 }, (_, i) => `x${i}`),
    );
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two, without reordering its input', () => {
    const xs = [5, 1, 3];

    expect([median(xs), median([4, 1, 3, 2]), median([])]).toEqual([3, 2.5, NaN]);
    expect(xs).toEqual([5, 1, 3]);
  });
});

describe('demo workload', () => {
  it("has the notebook's shapes: 337 parameters, 100 points, 50 of each label", () => {
    const { parameters, xs, ys } = demoWorkload();

    expect([
      parameters.length,
      xs.length,
      ys.filter((y) => y === 1).length,
      ys.filter((y) => y === -1).length,
    ]).toEqual([337, 100, 50, 50]);
  });

  it("builds micrograd's demo graph, node for node", () => {
    const nodes = topologicalOrder(demoLoss(demoWorkload())).length;

    const perPoint = 2 + 80 + 528 + 32 + 5 + 1; // inputs, layer 1, layer 2, output, hinge, its sum
    const dataLoss = 100 * perPoint + 1 + 2; // + sum's starting 0, * (1 / n) and its constant
    const regLoss = 337 + 338 + 2; // p*p, their sum with its 0, * 1e-4 and its constant
    expect(nodes).toBe(dataLoss + regLoss + 337 + 1); // + the parameters, + the final add
  });

  it('is the same for the same seed and differs for another', () => {
    expect(demoWorkload({ seed: 7 }).xs).toEqual(demoWorkload({ seed: 7 }).xs);
    expect(demoWorkload({ seed: 8 }).xs).not.toEqual(demoWorkload({ seed: 7 }).xs);
  });
});

describe('compileDemoLoss', () => {
  it.each(['wasm', 'interpreter'] as const)(
    '%s: gives demoLoss and its gradients to the bit on demoBatch',
    (backend) => {
      const workload = demoWorkload({ hidden: [4, 4], samples: 10 });
      const eager = demoLoss(workload);
      eager.backward();
      const grads = workload.parameters.map((p) => p.grad);
      for (const p of workload.parameters) p.grad = 0;

      const loss = compileDemoLoss(workload.model, { backend }).run(demoBatch(workload));

      expect(workload.parameters).toHaveLength(2 * 4 + 4 + 4 * 4 + 4 + 4 + 1);
      expect(loss).toBe(eager.data);
      expect(workload.parameters.map((p) => p.grad)).toEqual(grads);
    },
  );
});

describe('EngineMLP', () => {
  it("computes b + w0*x0 + w1*x1 per neuron, micrograd's order, then each layer's activation", () => {
    const model = new EngineMLP(2, [1], { rand: seeded(1), activations: ['tanh'], biasScale: 0.1 });
    const [w0, w1, b] = model.parameters();

    const [out] = model.forward([0.5, -2]);

    expect(out?.data).toBe(Math.tanh(b!.data + w0!.data * 0.5 + w1!.data * -2));
    expect(b?.data).not.toBe(0);
    expect(Math.abs(b?.data ?? 1)).toBeLessThanOrEqual(0.1);
  });
});

describe('twoMoons and pySum', () => {
  it('draws the outer moon with label -1 and the inner with +1', () => {
    const { xs, ys } = twoMoons(4, 0, seeded(1));

    expect(ys).toEqual([-1, -1, 1, 1]);
    expect(xs[0]?.map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 0]);
    expect(xs[3]?.map((v) => Math.round(v * 1e12) / 1e12)).toEqual([2, 0.5]);
  });

  it("starts Python's sum from 0", () => {
    const s = pySum(demoWorkload().parameters.slice(0, 2));

    expect(topologicalOrder(s).filter((v) => v.op === 'add').length).toBe(2);
  });
});
