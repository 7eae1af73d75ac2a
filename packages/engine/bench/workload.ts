// micrograd's demo workload (demo.ipynb), built with engine ops only: an MLP 2-16-16-1 on 100
// two-moons points with an SVM hinge loss and L2 regularisation, in micrograd's operand order.
// Shared by every benchmark case so eager and compiled rows measure the same graph.
import { Value } from '../src/index.js';

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two interleaved half circles with Gaussian noise, like sklearn's `make_moons`; labels ±1. */
export function twoMoons(n: number, noise: number, rand: () => number): { xs: number[][]; ys: number[] } {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const half = Math.floor(n / 2);
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const outer = i < half;
    const t = (Math.PI * (outer ? i : i - half)) / ((outer ? half : n - half) - 1);
    const [x, y] = outer ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    xs.push([x + noise * gauss(), y + noise * gauss()]);
    ys.push(outer ? -1 : 1);
  }
  return { xs, ys };
}

interface Neuron {
  w: Value[];
  b: Value;
}

/** micrograd's `MLP(nin, nouts)`: weights uniform in [-1, 1], biases 0, ReLU except the last layer. */
export class BenchMLP {
  readonly layers: Neuron[][];

  constructor(nin: number, nouts: number[], rand: () => number) {
    const sizes = [nin, ...nouts];
    this.layers = nouts.map((nout, l) =>
      Array.from({ length: nout }, () => ({
        w: Array.from({ length: sizes[l]! }, () => new Value(rand() * 2 - 1)),
        b: new Value(0),
      })),
    );
  }

  parameters(): Value[] {
    return this.layers.flatMap((layer) => layer.flatMap((n) => [...n.w, n.b]));
  }

  /** `sum((wi*xi for wi, xi in zip(w, x)), b)`, then ReLU on hidden layers. */
  forward(x: readonly (Value | number)[]): Value[] {
    let h = x;
    this.layers.forEach((layer, l) => {
      const last = l === this.layers.length - 1;
      h = layer.map(({ w, b }) => {
        let act = b;
        for (let i = 0; i < w.length; i++) act = act.add(w[i]!.mul(h[i]!));
        return last ? act : act.relu();
      });
    });
    return h as Value[];
  }
}

/** Python's `sum(xs)`: starts from 0, so the first node is `xs[0] + 0` (via `__radd__`). */
export function pySum(xs: readonly Value[]): Value {
  let s = xs[0]!.add(0);
  for (let i = 1; i < xs.length; i++) s = s.add(xs[i]!);
  return s;
}

export interface Workload {
  model: BenchMLP;
  parameters: Value[];
  xs: number[][];
  ys: number[];
}

/** The demo's model and data: `MLP(2, [16, 16, 1])` and 100 moons with noise 0.1. */
export function createWorkload(seed = 1337): Workload {
  const rand = seeded(seed);
  const model = new BenchMLP(2, [16, 16, 1], rand);
  const { xs, ys } = twoMoons(100, 0.1, rand);
  return { model, parameters: model.parameters(), xs, ys };
}

/**
 * micrograd's `loss()`: `sum(relu(1 + -y*score)) * (1/n) + 1e-4 * sum(p*p)`, each Python
 * expression turned into the engine calls Python would make (`1 + v` is `v.__radd__(1)`, etc.).
 */
export function hingeLoss({ model, parameters, xs, ys }: Workload): Value {
  const losses = xs.map((row, i) => {
    const score = model.forward(row.map((x) => new Value(x)))[0]!;
    return score.mul(-ys[i]!).add(1).relu();
  });
  const dataLoss = pySum(losses).mul(1 / losses.length);
  const regLoss = pySum(parameters.map((p) => p.mul(p))).mul(1e-4);
  return dataLoss.add(regLoss);
}

/** micrograd's update: `p.data -= learning_rate * p.grad`, the rate decaying over 100 steps. */
export function sgdUpdate(parameters: readonly Value[], step: number): void {
  const learningRate = 1.0 - (0.9 * step) / 100;
  for (const p of parameters) p.data -= learningRate * p.grad;
}
