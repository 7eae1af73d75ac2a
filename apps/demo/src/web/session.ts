import { compile, Value, type Program } from '@mg/engine';
import { MLP } from '@mg/nn';
import { toDot } from '@mg/viz';
import { boundaryGrid, makeDataset, neuronGraph, type Dataset, type Grid } from '../core/index.js';
import type { Config } from './config.js';

/** Cells across the decision-region grid: fine enough to look smooth once the canvas blurs it. */
export const GRID_ACROSS = 72;

/**
 * The most nodes a drawn graph may have. Graphviz lays out a few hundred nodes in well under a
 * second; past that the viz package's summary draws the nodes nearest the output.
 */
export const GRAPH_CAP = 300;

/** What one step measured, before its update (what the notebook prints), and how long it took. */
export interface StepReport {
  step: number;
  loss: number;
  accuracy: number;
  learningRate: number;
  ms: number;
}

/** Which graph to draw for a chosen point. */
export type GraphKind = 'neuron' | 'network';

/**
 * micrograd's `demo.ipynb` training loop with the page's knobs: the architecture's activation,
 * the base learning rate and whether it decays. With the defaults it performs exactly the
 * operations of `Training` in `../core` (the notebook's), so the losses are the same numbers.
 * (`Training` fixes ReLU and `lr = 1 - 0.9 k / steps`, hence this copy.)
 */
export class Session {
  readonly data: Dataset;
  readonly grid: Grid;
  readonly model: MLP;
  /** The compiled back end in use (`'js'`, or `'interpreter'` where eval is forbidden); null until a compiled step runs. */
  backend: string | null = null;

  private readonly params: Value[];
  private k = 0;
  private program: Program | null = null;
  private scorer: Program | null = null;
  private readonly batch: Float64Array;

  constructor(readonly config: Readonly<Config>) {
    const { dataset, samples, noise, seed, hidden, activation } = config;
    this.data = makeDataset(dataset, { samples, noise, seed });
    this.grid = boundaryGrid(this.data.X, GRID_ACROSS);
    this.model = new MLP(2, [...hidden, 1], { seed, activation });
    this.params = this.model.parameters();
    const { X, y } = this.data;
    this.batch = new Float64Array(3 * y.length);
    for (let i = 0; i < y.length; i++) {
      this.batch[3 * i] = X[2 * i]!;
      this.batch[3 * i + 1] = X[2 * i + 1]!;
      this.batch[3 * i + 2] = -(2 * y[i]! - 1);
    }
  }

  /** How many steps have run. */
  get completed(): number {
    return this.k;
  }

  /** Whether the configured number of steps has run. */
  get done(): boolean {
    return this.k >= this.config.steps;
  }

  /** One step: forward over the full batch, zero the gradients, backward, update. */
  step(): StepReport {
    const t0 = performance.now();
    const { loss, correct } = this.config.engine === 'eager' ? this.eagerLossAndGrad() : this.compiledLossAndGrad();
    const k = this.k++;
    const { lr, decay, steps } = this.config;
    // The notebook's `1.0 - 0.9*k/100`; `lr *` is exact for its lr of 1.
    const learningRate = decay ? lr * (1.0 - (0.9 * k) / steps) : lr;
    for (const p of this.params) p.data -= learningRate * p.grad;
    const ms = performance.now() - t0;
    return { step: k, loss, accuracy: correct / this.data.y.length, learningRate, ms };
  }

  /** The model's score at every grid cell (positive: class 1). */
  scores(): Float64Array {
    const scorer = (this.scorer ??= compile((x) => this.model.forward(x), { inputs: 2, backend: 'auto' }));
    scorer.evaluate(this.grid.points);
    return scorer.outputs.slice();
  }

  /**
   * The graph, as DOT, of the first hidden neuron or of the whole network at one point, with
   * gradients of its output. Built from copies: the model's own gradients are left alone.
   */
  graph(kind: GraphKind, point: readonly [number, number]): { dot: string; title: string } {
    const at = `(${point[0].toFixed(3)}, ${point[1].toFixed(3)})`;
    const options = { highlight: 'grad', maxNodes: GRAPH_CAP, overflow: 'summary', precision: 4 } as const;
    if (kind === 'neuron' || this.model.layers.length === 1) {
      const out = neuronGraph(this.model, point);
      const title = this.model.layers.length === 1 ? `the output neuron at ${at}` : `first hidden neuron at ${at}`;
      return { dot: toDot(out, { ...options, title: `${title}, step ${this.k}` }), title };
    }
    const copy = MLP.fromJSON(this.model.toJSON());
    copy.layers.forEach((layer, l) =>
      layer.neurons.forEach((n, j) => {
        n.w.forEach((w, i) => (w.label = `w${l + 1}.${j + 1}.${i + 1}`));
        n.b.label = `b${l + 1}.${j + 1}`;
      }),
    );
    const x = point.map((v, i) => new Value(v, { label: `x${i + 1}` }));
    const score = copy.forward(x)[0]!;
    score.label = 'score';
    score.backward();
    const title = `network score at ${at}`;
    return { dot: toDot(score, { ...options, title: `${title}, step ${this.k}` }), title };
  }

  private eagerLossAndGrad(): { loss: number; correct: number } {
    const { X, y } = this.data;
    const n = y.length;
    let correct = 0;
    const losses: Value[] = [];
    for (let i = 0; i < n; i++) {
      const score = this.model.forward([X[2 * i]!, X[2 * i + 1]!])[0]!;
      const yi = 2 * y[i]! - 1;
      // micrograd builds `1 + -yi*score` as `score * -yi + 1`.
      losses.push(score.mul(-yi).add(1).relu());
      if (yi > 0 === score.data > 0) correct++;
    }
    const total = this.regularised(losses);
    this.model.zeroGrad();
    total.backward();
    return { loss: total.data, correct };
  }

  private compiledLossAndGrad(): { loss: number; correct: number } {
    const program = (this.program ??= compile(
      (x) => {
        const score = this.model.forward([x[0]!, x[1]!])[0]!;
        return [score, score.mul(x[2]!).add(1).relu()];
      },
      { inputs: 3, reduce: (outputs) => this.regularised(outputs.map((o) => o[1]!)), backend: 'auto' },
    ));
    this.backend = program.backend;
    this.model.zeroGrad();
    const loss = program.run(this.batch);
    const outputs = program.outputs;
    const { y } = this.data;
    let correct = 0;
    for (let i = 0; i < y.length; i++) if (y[i]! > 0 === outputs[2 * i]! > 0) correct++;
    return { loss, correct };
  }

  /** `sum(losses) * (1.0 / n) + alpha * sum(p*p)`, in the notebook's order of operations. */
  private regularised(losses: Value[]): Value {
    const dataLoss = losses.reduce((s, l) => s.add(l)).mul(1.0 / losses.length);
    const regLoss = this.params.map((p) => p.mul(p)).reduce((s, q) => s.add(q)).mul(this.config.alpha);
    return dataLoss.add(regLoss);
  }
}
