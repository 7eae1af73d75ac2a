// The training loop, off the main thread so the page stays responsive while it runs.
import { compile, topologicalOrder, Value, type Program } from '@mg/engine';
import { MLP, Trainer } from '@mg/nn';
import { toDot, toSvg } from '@mg/viz';
import { boundaryGrid, makeDataset, neuronGraph, type Dataset, type Grid } from '../core/index.js';
import { learningRate, type Config } from './config.js';
import type { Command, GraphKind, Report, StepRow } from './protocol.js';

interface WorkerScope {
  postMessage(message: Report, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Command>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const GRID_ACROSS = 96;
const SLICE_MS = 40;
// Graphviz lays out a few hundred nodes in about a tenth of a second; past that the whole-network
// picture becomes the viz package's summary of the nodes nearest the loss.
const MAX_GRAPH_NODES = 240;
const GRAPH_EVERY_MS = 400;

class Session {
  readonly data: Dataset;
  readonly model: MLP;
  readonly trainer: Trainer;
  readonly grid: Grid;
  readonly scorer: Program;
  readonly rows: StepRow[] = [];
  selected: { point: number; kind: GraphKind } | null = null;
  lastGraph = 0;

  constructor(
    readonly config: Config,
    forbidEval: boolean,
  ) {
    const backend = forbidEval ? 'interpreter' : 'auto';
    const { dataset, samples, noise, seed, hidden, activation, alpha, engine } = config;
    this.data = makeDataset(dataset, { samples, noise, seed });
    this.model = new MLP(2, [...hidden, 1], { seed, activation });
    labelParameters(this.model);
    const n = this.data.y.length;
    const x = Array.from({ length: n }, (_, i) => [this.data.X[2 * i]!, this.data.X[2 * i + 1]!]);
    const y = Array.from(this.data.y, (c) => 2 * c - 1);
    this.trainer = new Trainer(this.model, { x, y }, { alpha, engine, backend, lr: (k) => learningRate(config, k) });
    this.grid = boundaryGrid(this.data.X, GRID_ACROSS);
    this.scorer = compile((p) => this.model.forward(p), { inputs: 2, backend });
  }

  get done(): boolean {
    return this.rows.length >= this.config.steps;
  }

  step(): StepRow {
    const t0 = performance.now();
    const info = this.trainer.step();
    const row = { step: info.step, loss: info.loss, accuracy: info.accuracy ?? 0, lr: info.lr, ms: performance.now() - t0 };
    this.rows.push(row);
    return row;
  }

  scores(points: Float64Array): Float32Array {
    this.scorer.evaluate(points);
    return Float32Array.from(this.scorer.outputs);
  }
}

let session: Session | null = null;
let playing = false;
let timer: ReturnType<typeof setTimeout> | undefined;

function post(report: Report, transfer: Transferable[] = []): void {
  scope.postMessage(report, transfer);
}

/** Names every weight after its place (`w2.3.1`: layer 2, neuron 3, input 1) so graphs read. */
function labelParameters(model: MLP): void {
  model.layers.forEach((layer, l) => {
    layer.neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, k) => {
        w.label = `w${l + 1}.${j + 1}.${k + 1}`;
      });
      neuron.b.label = `b${l + 1}.${j + 1}`;
    });
  });
}

function report(s: Session, rows: StepRow[]): void {
  const scores = s.scores(s.grid.points);
  const pointScores = s.scores(s.data.X);
  post({ type: 'steps', rows, scores, pointScores, done: s.done }, [scores.buffer, pointScores.buffer]);
}

function run(): void {
  const s = session;
  if (s === null || !playing) return;
  const rows: StepRow[] = [];
  const start = performance.now();
  while (!s.done && performance.now() - start < SLICE_MS) rows.push(s.step());
  if (s.done) playing = false;
  report(s, rows);
  graphLater(s, !playing);
  if (playing) timer = setTimeout(run, 0);
}

/** The chosen point's graph: the first hidden neuron, or the whole network with that point's loss. */
function graphRoot(s: Session, point: number, kind: GraphKind): Value {
  const xy: [number, number] = [s.data.X[2 * point]!, s.data.X[2 * point + 1]!];
  if (kind === 'neuron') return neuronGraph(s.model, xy);
  const inputs = xy.map((v, i) => new Value(v, { label: `x${i + 1}` }));
  const score = s.model.forward(inputs)[0]!;
  score.label = 'score';
  const yi = 2 * s.data.y[point]! - 1;
  const loss = score.mul(-yi).add(1).relu();
  loss.label = `loss (y = ${yi})`;
  s.model.zeroGrad();
  loss.backward();
  return loss;
}

function graphLater(s: Session, force: boolean): void {
  drawGraph(s, force).catch((error: unknown) => {
    post({ type: 'error', message: `graph: ${error instanceof Error ? error.message : String(error)}` });
  });
}

async function drawGraph(s: Session, force: boolean): Promise<void> {
  const chosen = s.selected;
  if (chosen === null || (!force && performance.now() - s.lastGraph < GRAPH_EVERY_MS)) return;
  s.lastGraph = performance.now();
  const root = graphRoot(s, chosen.point, chosen.kind);
  const nodes = topologicalOrder(root).reduce((count, v) => count + (v.op === '' ? 1 : 2), 0);
  const title = chosen.kind === 'neuron' ? `first hidden neuron at point ${chosen.point}, step ${s.rows.length}` : `network and loss at point ${chosen.point}, step ${s.rows.length}`;
  const dot = toDot(root, { rankdir: 'LR', title, maxNodes: MAX_GRAPH_NODES, overflow: 'summary', highlight: 'grad' });
  // The trainer zeroes gradients before each backward; zeroing here too keeps them meaningful between steps.
  if (chosen.kind === 'network') s.model.zeroGrad();
  const svg = await toSvg(dot);
  if (session === s) post({ type: 'graph', point: chosen.point, kind: chosen.kind, svg, nodes, capped: nodes > MAX_GRAPH_NODES });
}

function handle(command: Command): void {
  switch (command.type) {
    case 'reset': {
      playing = false;
      clearTimeout(timer);
      const s = new Session(command.config, command.forbidEval);
      const selected = session?.selected ?? null;
      session = s;
      const scores = s.scores(s.grid.points);
      const { xMin, xMax, yMin, yMax, nx, ny } = s.grid;
      post({ type: 'ready', X: s.data.X, y: s.data.y, grid: { xMin, xMax, yMin, yMax, nx, ny }, scores, backend: s.scorer.backend, parameters: s.model.parameters().length });
      report(s, []);
      if (selected !== null && selected.point < s.data.y.length) {
        s.selected = selected;
        graphLater(s, true);
      }
      return;
    }
    case 'play':
      if (session !== null && !session.done && !playing) {
        playing = true;
        run();
      }
      return;
    case 'pause':
      playing = false;
      clearTimeout(timer);
      if (session !== null) graphLater(session, true);
      return;
    case 'step':
      if (session !== null && !session.done && !playing) {
        report(session, [session.step()]);
        graphLater(session, true);
      }
      return;
    case 'graph':
      if (session === null) return;
      session.selected = command.point === null ? null : { point: command.point, kind: command.kind };
      graphLater(session, true);
      return;
  }
}

scope.onmessage = (event) => {
  try {
    handle(event.data);
  } catch (error) {
    playing = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
