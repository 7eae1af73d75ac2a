// What the page draws of the model, computed in the worker: the decision regions, every hidden
// neuron's output over the input plane, and the weights.
import { compile, type Program, type Value } from '@mg/engine';
import type { MLP } from '@mg/nn';
import { boundaryGrid, type Grid } from '../../core/index.js';
import type { GridShape, Report } from '../protocol.js';
import type { Backend, Run } from './run.js';

// Region cells across the plot, and cells across each neuron's small picture.
const REGION_ACROSS = 96;
const NEURON_ACROSS = 28;

export function shape(grid: Grid): GridShape {
  const { xMin, xMax, yMin, yMax, nx, ny } = grid;
  return { xMin, xMax, yMin, yMax, nx, ny };
}

/** Scores on the region grid and every hidden neuron's output on a coarser one, for a run. */
export class Views {
  readonly grid: Grid;
  readonly neuronGrid: Grid;
  private readonly scorer: Program;
  private readonly neurons: Program | null;
  readonly hiddenCount: number;

  constructor(
    private readonly run: Run,
    backend: Backend,
  ) {
    const { model } = run;
    this.grid = boundaryGrid(run.train.X, REGION_ACROSS);
    this.neuronGrid = boundaryGrid(run.train.X, NEURON_ACROSS);
    this.scorer = compile((p) => model.forward(p), { inputs: 2, backend });
    this.hiddenCount = model.layers.slice(0, -1).reduce((n, layer) => n + layer.nout, 0);
    this.neurons =
      this.hiddenCount === 0 ? null : compile((p) => hiddenOutputs(model, p), { inputs: 2, backend });
  }

  /** Where compiled programs run on this host: `'wasm'` or `'interpreter'`. */
  get backend(): string {
    return this.scorer.backend;
  }

  /**
   * The model's score at each `(x, y)` pair, as the compiled program computes it (the numbers of
   * a graph of Values).
   *
   * @throws RangeError when one is not a finite number
   */
  predict(points: Float64Array): Float64Array {
    return this.scorer.predict(points);
  }

  /** The model's score at each `(x, y)` pair. */
  scores(points: Float64Array): Float32Array {
    return Float32Array.from(finite(this.scorer.predict(points)));
  }

  /**
   * The pictures of run number `run`.
   *
   * @throws Error saying which output is not a finite number, when the weights give one that is not
   */
  report(run: number): Extract<Report, { type: 'view' }> {
    try {
      let neurons: Float32Array = new Float32Array(0);
      if (this.neurons !== null) {
        neurons = transpose(finite(this.neurons.predict(this.neuronGrid.points)), this.hiddenCount);
      }
      return {
        type: 'view',
        run,
        row: this.run.current,
        scores: this.scores(this.grid.points),
        pointScores: this.scores(this.run.train.X),
        testScores: this.run.testScores(),
        neurons,
        weights: weights(this.run.model),
        grads: this.run.gradients.slice(),
      };
    } catch (error) {
      throw new Error(
        `the model's outputs are not finite numbers over the plot (${error instanceof Error ? error.message : String(error)})`,
        { cause: error },
      );
    }
  }
}

/** `values`, checked: every one a finite number. */
function finite(values: Float64Array): Float64Array {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`output ${bad} is ${values[bad]}`);
  return values;
}

/** Every hidden neuron's output for one input, layer by layer. */
function hiddenOutputs(model: MLP, input: Value[]): Value[] {
  const all: Value[] = [];
  let x: Value[] = input;
  for (const layer of model.layers.slice(0, -1)) {
    x = layer.forward(x);
    all.push(...x);
  }
  return all;
}

/** Sample-major outputs (`m` per sample) to output-major: each neuron's picture in one run. */
function transpose(outputs: Float64Array, m: number): Float32Array {
  const n = outputs.length / m;
  const out = new Float32Array(outputs.length);
  outputs.forEach((v, k) => {
    out[(k % m) * n + Math.floor(k / m)] = v;
  });
  return out;
}

function weights(model: MLP): Float32Array {
  const all: number[] = [];
  for (const layer of model.layers)
    for (const neuron of layer.neurons) for (const w of neuron.w) all.push(w.data);
  return Float32Array.from(all);
}
