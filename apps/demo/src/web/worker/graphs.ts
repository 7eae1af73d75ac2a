// The computation graph behind one point, as SVG: small enough for Graphviz to lay out quickly.
import { Value } from '@mg/engine';
import { hinge } from '@mg/nn';
import { graphStats, toDot, toSvg } from '@mg/viz';
import { activePoint, at, firstNeuron, neuronGraph, pointAt } from '../../core/index.js';
import type { GraphKind, Report } from '../protocol.js';
import type { Run } from './run.js';

// Graphviz lays out a few hundred nodes in about a tenth of a second; past that the whole-network
// picture becomes the viz package's summary of the nodes nearest the loss.
const MAX_GRAPH_NODES = 240;

/** The training point the CLI draws too: the first at which the first hidden neuron is active, else 0. */
export function activeIndex(run: Run): number {
  const { X } = run.train;
  const [x, y] = activePoint(run.model, X);
  for (let i = 0; 2 * i < X.length; i++) if (X[2 * i] === x && X[2 * i + 1] === y) return i;
  return 0;
}

/** Whether the first hidden neuron passes gradient at training point `point` (tanh and sigmoid always do). */
export function isActive(run: Run, point: number): boolean {
  const neuron = firstNeuron(run.model);
  const [x1, x2] = pointAt(run.train.X, point);
  const sum = neuron.b.data + at(neuron.w, 0).data * x1 + at(neuron.w, 1).data * x2;
  // Every activation the page offers passes gradient where its input is positive; only ReLU stops it below.
  return sum > 0 || neuron.activation !== 'relu';
}

/** The chosen point's graph: the first hidden neuron, or the whole network with that point's loss. */
function graphRoot(run: Run, point: number, kind: GraphKind): Value {
  const { X, y } = run.train;
  const xy = pointAt(X, point);
  if (kind === 'neuron') return neuronGraph(run.model, xy);
  const inputs = xy.map((v, i) => new Value(v, { label: `x${i + 1}` }));
  const score = at(run.model.forward(inputs), 0);
  score.label = 'score';
  const label = 2 * at(y, point) - 1;
  const loss = hinge(score, label);
  loss.label = `loss (y = ${label})`;
  run.model.zeroGrad();
  loss.backward();
  return loss;
}

/** Draws the graph of `point` under the current weights. */
export async function drawGraph(
  run: Run,
  point: number,
  kind: GraphKind,
): Promise<Omit<Extract<Report, { type: 'graph' }>, 'run'>> {
  const root = graphRoot(run, point, kind);
  const stats = graphStats(root);
  const nodes = stats.values + stats.ops;
  const step = run.completed;
  const title =
    kind === 'neuron'
      ? `first hidden neuron at point ${point}, step ${step}`
      : `network and loss at point ${point}, step ${step}`;
  const dot = toDot(root, {
    rankdir: 'LR',
    title,
    maxNodes: MAX_GRAPH_NODES,
    overflow: 'summary',
    highlight: 'grad',
  });
  // The trainer zeroes gradients before each backward; zeroing here too keeps them meaningful between steps.
  if (kind === 'network') run.model.zeroGrad();
  const svg = await toSvg(dot);
  return {
    type: 'graph',
    point,
    kind,
    svg,
    nodes,
    capped: nodes > MAX_GRAPH_NODES,
    active: isActive(run, point),
  };
}
