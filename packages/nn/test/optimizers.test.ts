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

describe('Adam and AdamW, bit for bit', () => {
  interface Config {
    lr: number;
    betas: [number, number];
    eps: number;
    weightDecay: number;
    amsgrad: boolean;
    decoupled: boolean;
  }

  /** PyTorch's documented update, one parameter at a time, written out plainly: the reference. */
  function reference(c: Config, x0: number[], grads: number[][], rates: number[]): number[][] {
    const [b1, b2] = c.betas;
    const x = [...x0];
    const m = x0.map(() => 0);
    const v = x0.map(() => 0);
    const vMax = x0.map(() => 0);
    return grads.map((row, k) => {
      const t = k + 1;
      const lr = rates[k]!;
      for (let i = 0; i < x.length; i++) {
        let g = row[i]!;
        let xi = x[i]!;
        if (c.weightDecay !== 0) {
          if (c.decoupled) xi = xi * (1 - lr * c.weightDecay);
          else g = g + c.weightDecay * xi;
        }
        m[i] = b1 * m[i]! + (1 - b1) * g;
        v[i] = b2 * v[i]! + (1 - b2) * g * g;
        let vHat = v[i]!;
        if (c.amsgrad) vHat = vMax[i] = Math.max(vMax[i]!, v[i]!);
        const denom = Math.sqrt(vHat) / Math.sqrt(1 - b2 ** t) + c.eps;
        x[i] = xi - (lr / (1 - b1 ** t)) * (m[i]! / denom);
      }
      return [...x];
    });
  }

  const configs: Config[] = [
    { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, decoupled: false },
    { lr: 0.003, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1, amsgrad: false, decoupled: false },
    { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, decoupled: false },
    { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, decoupled: true },
    { lr: 0.05, betas: [0.5, 0.9], eps: 1e-8, weightDecay: 0.2, amsgrad: true, decoupled: true },
  ];

  for (const c of configs) {
    it(`matches the documented update exactly (${c.decoupled ? 'AdamW' : 'Adam'}, weight decay ${c.weightDecay}${c.amsgrad ? ', AMSGrad' : ''})`, () => {
      const x0 = Array.from({ length: 37 }, (_, i) => Math.sin(i + 1) * (i % 5 === 0 ? 10 : 0.5));
      // Gradients of both signs and many scales, some 0; the learning rate changes at step 4.
      const grads = Array.from({ length: 8 }, (_, k) =>
        x0.map((_, i) => ((i + k) % 7 === 0 ? 0 : Math.cos(3 * i + k) * 10 ** ((i % 9) - 4))),
      );
      const rates = grads.map((_, k) => (k < 3 ? c.lr : c.lr / 3));
      const params = x0.map((x) => new Value(x));
      const options = {
        lr: c.lr,
        betas: c.betas,
        eps: c.eps,
        weightDecay: c.weightDecay,
        amsgrad: c.amsgrad,
      };
      const opt = c.decoupled ? new AdamW(params, options) : new Adam(params, options);
      const expected = reference(c, x0, grads, rates);

      grads.forEach((row, k) => {
        params.forEach((p, i) => (p.grad = row[i]!));
        opt.lr = rates[k]!;
        opt.step();
        const got = params.map((p) => p.data);
        const differ = got.flatMap((x, i) =>
          Object.is(x, expected[k]![i]) ? [] : [`step ${k + 1}, parameter ${i}: ${x} vs ${expected[k]![i]}`],
        );
        expect(differ).toEqual([]);
      });
    });
  }
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
