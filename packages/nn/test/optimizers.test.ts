import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { Adam, AdamW, MLP, SGD, hingeLoss, l2 } from '../src/index.js';

/** Runs `steps` steps on one parameter starting at `x0`, with the given gradient each step. */
function trajectory(make: (p: Value[]) => SGD | Adam, x0: number, grads: number[]): number[] {
  const p = new Value(x0);
  const opt = make([p]);
  return grads.map((g) => {
    opt.zeroGrad();
    p.grad = g;
    opt.step();
    return p.data;
  });
}

describe('SGD', () => {
  it("is micrograd's p.data -= lr * p.grad with the defaults", () => {
    const p = new Value(0.3);
    const opt = new SGD([p], { lr: 0.7 });
    p.grad = -0.11;

    opt.step();

    expect(p.data).toBe(0.3 - 0.7 * -0.11);
  });

  it("follows PyTorch's momentum rule: b = g, then b = μb + g", () => {
    // by hand, θ0 = 1, γ = 0.1, μ = 0.9, g = 1: b = 1, 1.9, 2.71; θ = 0.9, 0.71, 0.439
    const xs = trajectory((p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), 1, [1, 1, 1]);

    [0.9, 0.71, 0.439].forEach((x, i) => {
      expect(xs[i]).toBeCloseTo(x, 15);
    });
  });

  it('applies dampening, weight decay and Nesterov momentum', () => {
    // dampening 0.5: b = 1, then 0.9 + 0.5 = 1.4; θ = 0.9, 0.76
    const damped = trajectory((p) => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5 }), 1, [1, 1]);
    // λ = 0.5: g = 1 + 0.5 * 1 = 1.5; θ = 1 - 0.15 = 0.85
    const decayed = trajectory((p) => new SGD(p, { lr: 0.1, weightDecay: 0.5 }), 1, [1]);
    // Nesterov: b = 1, g = 1 + 0.9 = 1.9, θ = 0.81; b = 1.9, g = 1 + 1.71 = 2.71, θ = 0.539
    const nesterov = trajectory((p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), 1, [1, 1]);

    [0.9, 0.76].forEach((x, i) => {
      expect(damped[i]).toBeCloseTo(x, 15);
    });
    expect(decayed[0]).toBeCloseTo(0.85, 15);
    [0.81, 0.539].forEach((x, i) => {
      expect(nesterov[i]).toBeCloseTo(x, 15);
    });
  });

  it('uses the learning rate set between steps', () => {
    const p = new Value(1);
    const opt = new SGD([p], { lr: 1 });
    p.grad = 1;

    opt.lr = 0.25;
    opt.step();

    expect(p.data).toBe(0.75);
  });

  it('keeps its list of parameters as given: the list cannot grow under it', () => {
    const ps = [new Value(1), new Value(2)];
    const opt = new SGD(ps, { lr: 0.1 });
    ps.push(new Value(3));

    expect(() => (opt.params as Value[]).push(new Value(4))).toThrow(TypeError);
    ps.forEach((p) => (p.grad = 1));
    opt.step();

    expect(ps.map((p) => p.data)).toEqual([0.9, 1.9, 3]);
    expect(opt.params.length).toBe(2);
  });
});

describe('Adam', () => {
  it('moves by lr / (1 + eps) per step under a constant gradient (m̂ = v̂ = 1)', () => {
    const xs = trajectory((p) => new Adam(p, { lr: 0.1 }), 1, [1, 1, 1]);

    [1 - 0.1 / (1 + 1e-8), 1 - 0.2 / (1 + 1e-8), 1 - 0.3 / (1 + 1e-8)].forEach((x, i) => {
      expect(xs[i]).toBeCloseTo(x, 14);
    });
  });

  it('follows the documented bias-corrected update for a changing gradient', () => {
    // by hand with γ = 0.01, β = (0.9, 0.999), g = 2, then -1:
    // t=1: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4, θ = 1 - 0.01 * 2 / (2 + 1e-8)
    // t=2: m = 0.18 - 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996,
    //      m̂ = 0.08 / 0.19, v̂ = 0.004996 / 0.001999, θ -= 0.01 * m̂ / (√v̂ + 1e-8)
    const xs = trajectory((p) => new Adam(p, { lr: 0.01 }), 1, [2, -1]);

    const x1 = 1 - (0.01 * 2) / (2 + 1e-8);
    const x2 = x1 - (0.01 * (0.08 / 0.19)) / (Math.sqrt(0.004996 / 0.001999) + 1e-8);
    expect(xs[0]).toBeCloseTo(x1, 15);
    expect(xs[1]).toBeCloseTo(x2, 15);
    expect(x1 - x2).toBeCloseTo(0.0026634, 6);
  });

  it('adds weight decay to the gradient (L2), and AMSGrad keeps the largest v', () => {
    // λ = 0.5, θ0 = 1, g = 1 -> 1.5 constant-sign step: m̂ = 1.5, v̂ = 2.25, step = γ·1.5/(1.5 + ε)
    const decayed = trajectory((p) => new Adam(p, { lr: 0.1, weightDecay: 0.5 }), 1, [1]);
    // AMSGrad, g = 2 then 0: t=2 uses v_max = 0.004 over v = 0.003996
    const ams = trajectory((p) => new Adam(p, { lr: 0.01, amsgrad: true }), 1, [2, 0]);

    expect(decayed[0]).toBeCloseTo(1 - (0.1 * 1.5) / (1.5 + 1e-8), 15);
    const x1 = 1 - (0.01 * 2) / (2 + 1e-8);
    expect(ams[1]).toBeCloseTo(x1 - (0.01 * (0.18 / 0.19)) / (Math.sqrt(0.004 / 0.001999) + 1e-8), 15);
  });

  it('leaves parameters and state unchanged when a step would not be finite', () => {
    const a = new Value(1);
    const b = new Value(1);
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = 1;
    b.grad = Number.POSITIVE_INFINITY;

    expect(() => {
      opt.step();
    }).toThrow(/^Adam.step: parameter 1 \(value 1, grad Infinity\) would make its value NaN/);
    b.grad = 1;
    opt.step();

    expect([a.data, b.data]).toEqual([1 - 0.1 / (1 + 1e-8), 1 - 0.1 / (1 + 1e-8)]);
    expect(opt.steps).toBe(1);
  });
});

describe('AdamW', () => {
  it('decays weights first, decoupled from the gradient, with default λ = 0.01', () => {
    // θ = 1 · (1 - 0.1 · 0.01) = 0.999, then the Adam step of 0.1 / (1 + ε)
    const xs = trajectory((p) => new AdamW(p, { lr: 0.1 }), 1, [1]);

    expect(xs[0]).toBeCloseTo(0.999 - 0.1 / (1 + 1e-8), 15);
    expect(new AdamW([new Value(1)]).weightDecay).toBe(0.01);
    expect(new Adam([new Value(1)]).weightDecay).toBe(0);
  });
});

describe('one optimizer step', () => {
  const X = [
    [1, 2],
    [-1, -1.5],
    [2, -0.5],
    [-2, 1],
  ];
  const y = [1, -1, 1, -1];
  const lossOf = (model: MLP) =>
    hingeLoss(
      X.map((x) => model.forward(x)[0]!),
      y,
    ).add(l2(model.parameters(), 1e-4));

  for (const [name, make] of [
    ['SGD', (m: MLP) => new SGD(m.parameters(), { lr: 0.05 })],
    ['SGD with momentum', (m: MLP) => new SGD(m.parameters(), { lr: 0.05, momentum: 0.9 })],
    ['Adam', (m: MLP) => new Adam(m.parameters(), { lr: 0.01 })],
    ['AdamW', (m: MLP) => new AdamW(m.parameters(), { lr: 0.01 })],
  ] as const) {
    it(`lowers the loss on a fixed tiny dataset (${name})`, () => {
      const model = new MLP(2, [8, 1], { seed: 3 });
      const opt = make(model);
      const before = lossOf(model);
      opt.zeroGrad();
      before.backward();

      opt.step();

      expect(lossOf(model).data).toBeLessThan(before.data);
    });
  }
});
