// The computation graph behind one point, as SVG: small enough for Graphviz to lay out quickly.
import type { Value } from '@mg/engine';
import { graphStats, toDot, toSvg } from '@mg/viz';
import { activePoint, at, firstNeuron, neuronGraph, pointAt } from '../../core/index.js';
import type { GraphKind, PointLoss, Report } from '../protocol.js';
import { networkGraph } from './network-graph.js';
import type { Run } from './run.js';

// Graphviz lays out a few hundred nodes in about a tenth of a second; past that the whole-network
// picture becomes the viz package's summary of the nodes nearest the loss.
const MAX_GRAPH_NODES = 240;

/**
 * The model's score at each `(x, y)` pair of a row-major array, as the worker's compiled program
 * computes them (the same numbers as a graph of Values); it throws when one is not finite.
 */
export type Scorer = (points: Float64Array) => Float64Array;

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

/** Training point `point`'s label as the hinge loss takes it: -1 or +1. */
function labelOf(run: Run, point: number): number {
  return 2 * at(run.train.y, point) - 1;
}

/** The hinge loss `relu(1 - y*score)` of a score, with the engine's operations in nn's order. */
function hingeOf(score: number, y: number): number {
  return Math.max(0, score * -y + 1);
}

/** The scores of `points`, or null when the weights give one that is not finite. */
function scoresOf(score: Scorer, points: Float64Array): Float64Array | null {
  try {
    return score(points);
  } catch {
    return null;
  }
}

/** Whether training point `i`, of score `s`, has a loss above 0: y*score < 1, inside the margin. */
function inside(run: Run, i: number, s: number): boolean {
  return hingeOf(s, labelOf(run, i)) > 0;
}

/**
 * The point the whole network's graph shows until the reader picks one: the first training point
 * with a loss above 0 (inside the hinge's margin, so gradient flows back from it) at which the
 * first hidden neuron is active too, else the first with a loss above 0; {@link activeIndex}
 * when every loss is 0.
 */
export function lossIndex(run: Run, score: Scorer): number {
  const scores = scoresOf(score, run.train.X);
  if (scores === null) return activeIndex(run);
  let first = -1;
  for (let i = 0; i < scores.length; i++) {
    if (!inside(run, i, at(scores, i))) continue;
    if (isActive(run, i)) return i;
    if (first < 0) first = i;
  }
  return first < 0 ? activeIndex(run) : first;
}

/**
 * The point a graph of `kind` shows until the reader picks one: where the first hidden neuron is
 * active ({@link activeIndex}) for the neuron, where the loss is above 0 ({@link lossIndex}) for
 * the whole network, so the graph shows gradients flowing.
 */
export function defaultIndex(run: Run, kind: GraphKind, score: Scorer): number {
  return kind === 'neuron' ? activeIndex(run) : lossIndex(run, score);
}

/**
 * Whether a graph of `kind` at training point `point` shows gradients flowing: the first hidden
 * neuron is active there (the neuron's graph), or the point's loss is above 0 (the network's).
 */
export function showsGradient(run: Run, point: number, kind: GraphKind, score: Scorer): boolean {
  if (kind === 'neuron') return isActive(run, point);
  const scores = scoresOf(score, Float64Array.from(pointAt(run.train.X, point)));
  return scores !== null && inside(run, point, at(scores, 0));
}

/** How many training points have a loss above 0 under the current weights; NaN if not finite. */
function countInside(run: Run, score: Scorer): number {
  const scores = scoresOf(score, run.train.X);
  if (scores === null) return NaN;
  let count = 0;
  for (let i = 0; i < scores.length; i++) if (inside(run, i, at(scores, i))) count++;
  return count;
}

/** The chosen point's graph: the first hidden neuron, or the whole network with that point's loss. */
function graphRoot(run: Run, point: number, kind: GraphKind): { root: Value; score: number } {
  const xy = pointAt(run.train.X, point);
  if (kind === 'neuron') return { root: neuronGraph(run.model, xy), score: NaN };
  return networkGraph(run.model, xy, labelOf(run, point));
}

/** What the graph's title says: which graph, at which point, at which step. */
function graphTitle(run: Run, point: number, kind: GraphKind): string {
  const which = kind === 'neuron' ? 'first hidden neuron' : 'network and loss';
  return `${which} at point ${point}, step ${run.completed}`;
}

/**
 * Draws the graph of `point` under the current weights.
 *
 * @param score - the worker's scorer, for how many points have a loss above 0
 */
export async function drawGraph(
  run: Run,
  point: number,
  kind: GraphKind,
  score: Scorer,
): Promise<Omit<Extract<Report, { type: 'graph' }>, 'run'>> {
  const { root, score: pointScore } = graphRoot(run, point, kind);
  const stats = graphStats(root);
  const nodes = stats.values + stats.ops;
  const dot = toDot(root, {
    rankdir: 'LR',
    title: graphTitle(run, point, kind),
    maxNodes: MAX_GRAPH_NODES,
    overflow: 'summary',
    highlight: 'grad',
  });
  // The trainer zeroes gradients before each backward; zeroing here too keeps them meaningful between steps.
  if (kind === 'network') run.model.zeroGrad();
  const hinge: PointLoss | null =
    kind === 'neuron'
      ? null
      : {
          y: labelOf(run, point),
          score: pointScore,
          loss: root.data,
          inside: countInside(run, score),
          points: run.train.y.length,
        };
  const svg = await toSvg(dot);
  return {
    type: 'graph',
    point,
    kind,
    svg,
    nodes,
    capped: nodes > MAX_GRAPH_NODES,
    active: isActive(run, point),
    hinge,
  };
}
