import { describe, expect, it } from 'vitest';
import { gradcheck, Value } from '@mg/engine';
import {
  MLP,
  bceWithLogits,
  bceWithLogitsLoss,
  crossEntropyLoss,
  hinge,
  hingeLoss,
  l2,
  logSumExp,
  mean,
  mseLoss,
  softmaxCrossEntropy,
  sum,
} from '../src/index.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('hingeLoss', () => {
  it('reproduces micrograd demo.ipynb: data loss + L2, loss and gradients, over three SGD steps', () => {
    // Reference: micrograd's engine.py/nn.py and the notebook's loss() and update loop run in
    // CPython (with _prev kept in operand order, micrograd's order up to its set iteration).
    const model = new MLP(2, [16, 16, 1], { seed: 1337 });
    const X = [
      [0.5, -1.2],
      [2.0, 0.25],
      [-0.7, 0.9],
      [1.1, 1.3],
    ];
    const y = [1, -1, 1, -1];
    const params = model.parameters();
    const losses: number[] = [];
    let firstGrads: number[] = [];

    for (let k = 0; k < 3; k++) {
      const scores = X.map((x) => model.forward(x.map((v) => new Value(v)))[0]!);
      const total = hingeLoss(scores, y).add(l2(params, 1e-4));
      model.zeroGrad();
      total.backward();
      if (k === 0) firstGrads = [0, 1, 2, 48, 320, 336].map((i) => params[i]!.grad);
      const lr = 1.0 - (0.9 * k) / 100;
      for (const p of params) p.data -= lr * p.grad;
      losses.push(total.data);
    }

    expect(losses).toEqual([1.196155901643714, 2.9172347535419507, 0.011453714244850815]);
    expect(firstGrads).toEqual([
      -0.5011224497111051, -0.5355598257398396, -0.20311082931216998, 0.102619772908566, 0.25109901937436396,
      0,
    ]);
  });

  it('builds each term as (1 + -y*score).relu() and the mean as (sum + 0) * (1/n)', () => {
    const s = [new Value(2), new Value(0.5)];

    const loss = hingeLoss(s, [1, -1]);

    expect(loss.data).toBe(0.75);
    expect(loss.op).toBe('mul');
    expect(loss.children[1]!.data).toBe(0.5);
    expect(hinge(new Value(0.25), 1).data).toBe(0.75);
    expect(hinge(new Value(0.25), new Value(1)).data).toBe(0.75);
  });

  it('passes gradcheck', () => {
    const r = gradcheck(([a, b, c]) => hingeLoss([a!, b!, c!], [1, -1, 1]), [0.3, 0.2, -0.4]);

    expect(r.ok).toBe(true);
  });
});

describe('mseLoss', () => {
  it('averages squared errors over samples and outputs', () => {
    expect(mseLoss([new Value(3), new Value(0)], [1, 1]).data).toBe(2.5);
    expect(
      mseLoss(
        [
          [new Value(3), new Value(0)],
          [new Value(1), new Value(1)],
        ],
        [
          [1, 1],
          [1, 3],
        ],
      ).data,
    ).toBe(9 / 4);
  });

  it('passes gradcheck', () => {
    const r = gradcheck(([a, b, c]) => mseLoss([a!, b!], [c!, 0.5]), [0.3, -1.7, 2.2]);

    expect(r.ok).toBe(true);
  });

  it('refuses mismatched shapes', () => {
    expect(() => mseLoss([new Value(1)], [1, 2])).toThrow('mseLoss: 1 predictions but 2 targets');
    expect(() => mseLoss([[new Value(1)]], [1])).toThrow(TypeError);
  });
});

describe('bceWithLogits', () => {
  it('equals -(y log σ(z) + (1 - y) log(1 - σ(z))) for moderate logits', () => {
    for (const [z, y] of [
      [0.7, 1],
      [0.7, 0],
      [-2.3, 1],
      [-2.3, 0],
      [0, 1],
    ] as const) {
      const expected = -(y * Math.log(sigmoid(z)) + (1 - y) * Math.log(1 - sigmoid(z)));

      expect(bceWithLogits(new Value(z), y).data).toBeCloseTo(expected, 14);
    }
  });

  it('stays finite and exact for logits whose sigmoid rounds to 0 or 1', () => {
    expect(bceWithLogits(new Value(-1000), 1).data).toBe(1000);
    expect(bceWithLogits(new Value(1000), 0).data).toBe(1000);
    expect(bceWithLogits(new Value(1000), 1).data).toBe(0);
    // log(1 + e^-40) is 4.2e-18; without log1p it rounds to 0, an absolute error below 1e-17.
    expect(bceWithLogits(new Value(-40), 0).data).toBeCloseTo(Math.exp(-40), 17);
  });

  it('has gradient σ(z) - y, also at z = 0 where ReLU has a kink', () => {
    for (const z of [0, 1.5, -800]) {
      const x = new Value(z);

      bceWithLogits(x, 1).backward();

      expect(x.grad).toBeCloseTo(sigmoid(z) - 1, 15);
    }
  });

  it('passes gradcheck, labels included', () => {
    const r = gradcheck(([a, b, y]) => bceWithLogitsLoss([a!, b!], [y!, 0]), [0.4, -1.3, 0.8]);

    expect(r.ok).toBe(true);
  });
});

describe('softmaxCrossEntropy', () => {
  it('is -log softmax(z)[class], and the same for a one-hot row', () => {
    const z = [0.3, -1.2, 2.0].map((v) => new Value(v));

    // math.log(sum(math.exp(v - 2.0) for v in z)) + 2.0 - z[1] in CPython
    expect(softmaxCrossEntropy(z, 1).data).toBeCloseTo(3.401671244952791, 14);
    expect(softmaxCrossEntropy(z, [0, 1, 0]).data).toBe(softmaxCrossEntropy(z, 1).data);
  });

  it('stays finite for large logits', () => {
    expect(logSumExp([new Value(1000), new Value(1000)]).data).toBe(1000 + Math.log(2));
    expect(crossEntropyLoss([[new Value(800), new Value(-800)]], [1]).data).toBe(1600);
  });

  it("matches PyTorch's F.cross_entropy (float64) where the logits are large: log s - (z_t - m)", () => {
    // (m + log s) - z_t kept log 2 to six digits at logits of 1e10.
    expect(crossEntropyLoss([[new Value(1e10), new Value(1e10)]], [0]).data).toBe(0.6931471805599453);
    expect(softmaxCrossEntropy([new Value(-1e6), new Value(-1e6 - 1)], 0).data).toBe(0.31326168751822286);
    // F.cross_entropy(torch.tensor([[0.3, -1.2, 2.5]], dtype=torch.float64), ...): loss and gradient
    const z = [0.3, -1.2, 2.5].map((v) => new Value(v));
    const byIndex = crossEntropyLoss([z], [1]);
    byIndex.backward();
    expect(byIndex.data).toBe(3.827096582800486);
    expect(z[1]!.grad).toBe(-0.9782272607059141);
    const soft = crossEntropyLoss([[0.3, -1.2, 2.5].map((v) => new Value(v))], [[0.2, 0.5, 0.3]]);
    expect(soft.data).toBe(2.417096582800486);
  });

  it('takes probabilities rounded to float32, as PyTorch does, and still refuses a row that is not a distribution', () => {
    // F.cross_entropy(z, torch.tensor([[0.1, 0.2, 0.7]]).double()): the targets sum to 0.9999999925494194
    const targets = Array.from(Float32Array.from([0.1, 0.2, 0.7]));
    const z = [1, 2, 3].map((v) => new Value(v));

    expect(crossEntropyLoss([z], [targets]).data).toBe(0.8076059673679439);
    expect(() => crossEntropyLoss([z], [[0.1, 0.2, 0.69]])).toThrow(
      /^crossEntropyLoss: targets\[0\] must hold probabilities that sum to 1, got \[0\.1, 0\.2, 0\.69\] \(sum 0\.99\)$/,
    );
  });

  it('refuses what is not a row of Values, naming it', () => {
    const v = new Value(1);
    expect(() => crossEntropyLoss([v, v] as unknown as Value[][], [0, 1])).toThrow(
      /^crossEntropyLoss: logits\[0\] must be an array of Values \(one row of class scores per sample\), got Value\(data=1, grad=0\)$/,
    );
    expect(() => softmaxCrossEntropy(v as unknown as Value[], 0)).toThrow(
      /^softmaxCrossEntropy: logits must be an array of Values, got Value/,
    );
    expect(() => logSumExp([v, 2] as unknown as Value[])).toThrow(
      /^logSumExp: logits\[1\] must be a Value, got 2/,
    );
    expect(() => hingeLoss([0.5, -2] as unknown as Value[], [1, -1])).toThrow(
      /^hingeLoss: scores\[0\] must be a Value, got 0\.5/,
    );
    expect(() => mseLoss([0.5] as unknown as Value[], [1])).toThrow(
      /^mseLoss: predictions\[0\] must be a Value/,
    );
    expect(() => mseLoss([v], [NaN])).toThrow(
      /^mseLoss: targets\[0\] must be a Value or a finite number, got NaN/,
    );
    expect(() => mseLoss([v], [NaN])).toThrow(RangeError);
    expect(() => mseLoss([v], ['1' as unknown as number])).toThrow(TypeError);
    expect(() => l2([1, 2] as unknown as Value[], 1e-4)).toThrow(
      /^l2: parameters\[0\] must be a Value, got 1/,
    );
    const ys: number[] = [1];
    ys.length = 2;
    expect(() => hingeLoss([v, v], ys)).toThrow(
      /^hingeLoss: ys\[1\] must be a label, -1 or \+1, got undefined$/,
    );
  });

  it('passes gradcheck with several classes, for indices and probability rows', () => {
    const byIndex = gradcheck(
      ([a, b, c, d, e, f]) =>
        crossEntropyLoss(
          [
            [a!, b!, c!],
            [d!, e!, f!],
          ],
          [2, 0],
        ),
      [0.3, -1.2, 2.0, 0.1, 0.1, -0.5],
    );
    const byRow = gradcheck(
      ([a, b, c, p]) => softmaxCrossEntropy([a!, b!, c!], [p!, 0.5, 0.2]),
      [1.0, 1.0, -3.0, 0.3],
    );

    expect(byIndex.ok).toBe(true);
    expect(byRow.ok).toBe(true);
  });
});

describe('l2', () => {
  it('is alpha * sum(p * p), micrograd style', () => {
    expect(l2([new Value(3), new Value(4)], 1e-4).data).toBe(25 * 1e-4);
  });

  it('passes gradcheck', () => {
    const r = gradcheck(([a, b]) => l2([a!, b!], 0.5), [0.7, -2.1]);

    expect(r.ok).toBe(true);
  });
});

describe('sum and mean', () => {
  it('add from 0 first, as Python sum does, and refuse empty input', () => {
    const s = sum([new Value(1), new Value(2)]);

    expect(s.data).toBe(3);
    expect(s.children[0]!.children[1]!.data).toBe(0);
    expect(mean([new Value(1), new Value(2)]).data).toBe(1.5);
    expect(() => mean([])).toThrow(RangeError);
  });
});
