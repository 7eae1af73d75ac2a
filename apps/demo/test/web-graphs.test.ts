import { describe, expect, it } from 'vitest';
import { topologicalOrder, type Value } from '@mg/engine';
import { hinge } from '@mg/nn';
import { pointAt } from '../src/core/index.js';
import { DEFAULTS, type Config } from '../src/web/config.js';
import { graphNote, type GraphReport } from '../src/web/graph-note.js';
import { actualCentre, startTop } from '../src/web/pan-zoom.js';
import type { PointLoss } from '../src/web/protocol.js';
import {
  activeIndex,
  defaultIndex,
  drawGraph,
  isActive,
  lossIndex,
  showsGradient,
  type Scorer,
} from '../src/web/worker/graphs.js';
import { networkGraph } from '../src/web/worker/network-graph.js';
import { Run } from '../src/web/worker/run.js';
import { Views } from '../src/web/worker/views.js';

const config = (changes: Partial<Config> = {}): Config => ({
  ...DEFAULTS,
  hidden: [...DEFAULTS.hidden],
  ...changes,
});

/** The run's scorer, as the worker makes it. */
function scorerOf(run: Run): Scorer {
  const views = new Views(run, 'interpreter');
  return (points) => views.predict(points);
}

/** Training point `i`'s hinge loss under the run's current weights, as nn computes it. */
function lossOf(run: Run, i: number): number {
  const score = run.model.forward(pointAt(run.train.X, i))[0]!;
  return hinge(score, 2 * run.train.y[i]! - 1).data;
}

const byLabel = (root: Value): Map<string, Value> => new Map(topologicalOrder(root).map((v) => [v.label, v]));

describe("the whole network's graph", () => {
  it('names every value, as the neuron view does: x1, w1.1.2, b1.1 + w1.1.1*x1, n1.1, h1.1, score, -y, 1', () => {
    const run = new Run(config({ hidden: [2] }), 'interpreter');

    const { root } = networkGraph(run.model, [0.5, -0.25], 1);

    expect([...byLabel(root).keys()].sort()).toEqual(
      [
        'x1',
        'x2',
        ...[1, 2].flatMap((j) => [
          `w1.${j}.1`,
          `w1.${j}.2`,
          `b1.${j}`,
          `w1.${j}.1*x1`,
          `w1.${j}.2*x2`,
          `b1.${j} + w1.${j}.1*x1`,
          `n1.${j}`,
          `h1.${j}`,
          `w2.1.${j}`,
          `w2.1.${j}*h1.${j}`,
        ]),
        'b2.1',
        'b2.1 + w2.1.1*h1.1',
        'score',
        '-y',
        '1',
        '-y*score',
        '1 - y*score',
        'loss (y = 1)',
      ].sort(),
    );
  });

  it('labels every value of the notebook network, running sums as b2.1 + … + w2.1.5*h1.5', () => {
    const run = new Run(config(), 'interpreter');

    const { root } = networkGraph(run.model, pointAt(run.train.X, 0), -1);

    const labels = topologicalOrder(root).map((v) => v.label);
    expect(labels.filter((l) => l === '')).toEqual([]);
    expect(labels).toContain('b2.1 + … + w2.1.5*h1.5');
    expect(labels).toContain('b3.1 + … + w3.1.15*h2.15');
    expect(labels).toContain('loss (y = -1)');
  });

  it("computes nn's numbers: the model's score, the hinge loss and its gradients, bit for bit", () => {
    const run = new Run(config(), 'interpreter');
    for (const i of [0, 1, 2, 3]) {
      const point = pointAt(run.train.X, i);
      const y = 2 * run.train.y[i]! - 1;
      run.model.zeroGrad();
      const expected = hinge(run.model.forward(point)[0]!, y);
      expected.backward();
      const grads = run.model.parameters().map((p) => p.grad);

      const { root, score } = networkGraph(run.model, point, y);

      expect(root.data).toBe(expected.data);
      expect(score).toBe(run.model.forward(point)[0]!.data);
      expect(run.model.parameters().map((p) => p.grad)).toEqual(grads);
      expect(byLabel(root).get('-y')!.data).toBe(-y);
    }
  });
});

describe('the point a graph shows until the reader picks one', () => {
  it('is one with a loss above 0 for the network, one where the first neuron is active too if any', () => {
    const run = new Run(config(), 'interpreter');
    const score = scorerOf(run);
    const points = Array.from(run.train.y, (_, i) => i);
    const first = (ok: (i: number) => boolean): number => points.find(ok) ?? -1;
    const both = (i: number): boolean => lossOf(run, i) > 0 && isActive(run, i);
    const lossOnly = (i: number): boolean => lossOf(run, i) > 0;

    // At step 0 some point has both; at step 30 no point with a loss has the first neuron active.
    expect(lossIndex(run, score)).toBe(first(both));
    for (let k = 0; k < 30; k++) run.step();
    expect(first(both)).toBe(-1);
    const point = lossIndex(run, score);

    expect(point).toBe(first(lossOnly));
    expect(point).toBeGreaterThanOrEqual(0);
    expect(defaultIndex(run, 'network', score)).toBe(point);
    expect(defaultIndex(run, 'neuron', score)).toBe(activeIndex(run));
  });

  it('says whether a graph shows gradients: the neuron active, or the loss above 0', () => {
    const run = new Run(config(), 'interpreter');
    const score = scorerOf(run);
    for (let k = 0; k < 30; k++) run.step();
    const n = run.train.y.length;

    const flowing = Array.from({ length: n }, (_, i) => showsGradient(run, i, 'network', score));

    expect(flowing).toEqual(Array.from({ length: n }, (_, i) => lossOf(run, i) > 0));
    expect(flowing).toContain(false);
    expect(Array.from({ length: n }, (_, i) => showsGradient(run, i, 'neuron', score))).toEqual(
      Array.from({ length: n }, (_, i) => isActive(run, i)),
    );
  });

  it("falls back to the neuron's point when every loss is 0, or the scores are not finite", () => {
    const run = new Run(config(), 'interpreter');
    for (let k = 0; k < 100; k++) run.step();

    expect(lossIndex(run, scorerOf(run))).toBe(activeIndex(run));
    expect(
      lossIndex(run, () => {
        throw new RangeError('not finite');
      }),
    ).toBe(activeIndex(run));
  });
});

describe('drawGraph', () => {
  it("reports the network's point loss and how many points are inside the margin", async () => {
    const run = new Run(config(), 'interpreter');
    const score = scorerOf(run);
    for (let k = 0; k < 30; k++) run.step();
    const n = run.train.y.length;
    const inside = Array.from({ length: n }, (_, i) => lossOf(run, i) > 0).filter(Boolean).length;
    const outside = Array.from({ length: n }, (_, i) => i).find((i) => lossOf(run, i) === 0)!;

    const report = await drawGraph(run, outside, 'network', score);

    expect(report.hinge).toEqual({
      y: 2 * run.train.y[outside]! - 1,
      score: run.model.forward(pointAt(run.train.X, outside))[0]!.data,
      loss: 0,
      inside,
      points: n,
    });
    // Graphviz writes '-' as &#45;.
    expect(report.svg).toContain('>1 &#45; y*score<');
    expect(report.svg).toContain('>&#45;y<');
    // Nothing is left on the model's parameters.
    expect(run.model.parameters().every((p) => p.grad === 0)).toBe(true);
    expect((await drawGraph(run, outside, 'neuron', score)).hinge).toBeNull();
  }, 30_000);
});

/** A graph report for the note, as the worker sends it. */
function report(changes: Partial<GraphReport>): GraphReport {
  return {
    type: 'graph',
    run: 1,
    point: 7,
    kind: 'network',
    svg: '',
    nodes: 1627,
    capped: true,
    active: true,
    hinge: null,
    ...changes,
  };
}

const hingeOf = (changes: Partial<PointLoss>): PointLoss => ({
  y: 1,
  score: 0.25,
  loss: 0.75,
  inside: 12,
  points: 100,
  ...changes,
});

describe('graphNote', () => {
  const where: [number, number] = [0.8712, -0.4231];

  it('says a point inside the margin has a loss, and what the filled boxes show', () => {
    const note = graphNote(report({ hinge: hingeOf({}) }), where);

    expect(note).toBe(
      'Point 7 at (0.871, -0.423), 1627 nodes: the nodes nearest the loss are drawn, the dashed node stands for the rest. ' +
        'Label y = +1, score 0.2500: y*score = 0.2500 < 1, inside the margin, so the loss relu(1 - y*score) is 0.7500 and gradient flows back. ' +
        'Filled boxes trace the gradient from the loss back to the weights: blue positive, red negative, stronger the larger, white none.',
    );
  });

  it('says why a point classified with margin has no gradient, and what to pick instead', () => {
    const note = graphNote(report({ hinge: hingeOf({ y: -1, score: -1.5, loss: 0 }) }), where);

    expect(note).toContain(
      'Label y = -1, score -1.5000: y*score = 1.5000 ≥ 1: the point is classified with margin, so its hinge loss relu(1 - y*score) is 0 and no gradient flows back',
    );
    expect(note).toContain(
      'Pick a point inside the margin (y*score < 1: near the boundary or misclassified; 12 of the 100 training points are) to see gradients.',
    );
    expect(note).not.toContain('Filled boxes');
  });

  it('says when no point is inside the margin, and leaves out a count it does not know', () => {
    const none = graphNote(report({ hinge: hingeOf({ score: 2, loss: 0, inside: 0 }) }), where);
    const unknown = graphNote(report({ hinge: hingeOf({ score: 2, loss: 0, inside: NaN }) }), where);

    expect(none).toContain('No training point is inside the margin now: every hinge loss is 0');
    expect(none).not.toContain('Pick a point');
    expect(unknown).toContain('(y*score < 1: near the boundary or misclassified) to see gradients.');
  });

  it("explains an inactive neuron's zero gradients, and an active one's colours", () => {
    const inactive = graphNote(report({ kind: 'neuron', capped: false, nodes: 12, active: false }), where);
    const active = graphNote(report({ kind: 'neuron', capped: false, nodes: 12 }), where);

    expect(inactive).toBe(
      "Point 7 at (0.871, -0.423), 12 nodes. The neuron is inactive here (its sum is negative, so ReLU outputs 0 and passes no gradient): every grad but out's own is 0.",
    );
    expect(active).toContain("Filled boxes trace the gradient from the neuron's output back to the weights");
  });
});

describe('the graph view', () => {
  const boxes = [
    { x: 0, y: 0, width: 100, height: 20 },
    { x: 400, y: 300, width: 100, height: 20 },
  ];
  const home = { x: 900, y: 100, width: 100, height: 20 };

  it('puts the node nearest the middle in the middle at 1:1, never empty space', () => {
    expect(actualCentre([60, 10], boxes, home)).toEqual([50, 10]);
    expect(actualCentre([420, 250], boxes, home)).toEqual([450, 310]);
    // Far from everything: still the nearest node.
    expect(actualCentre([5000, 5000], boxes, home)).toEqual([450, 310]);
    expect(actualCentre([5000, 5000], [], home)).toEqual([950, 110]);
    expect(actualCentre([5, 6], [], null)).toEqual([5, 6]);
  });

  it("starts a tall graph on its result's height, without a gap above or below", () => {
    // Fits: centred.
    expect(startTop(400, 300, 150)).toBe(50);
    expect(startTop(400, 1000, null)).toBe(-300);
    // The result in the middle of the view...
    expect(startTop(400, 1000, 700)).toBe(-500);
    // ...unless that would leave a gap.
    expect(startTop(400, 1000, 950)).toBe(-600);
    expect(startTop(400, 1000, 50)).toBe(0);
  });
});
