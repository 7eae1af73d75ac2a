// What the graph panel says about the graph it shows: which point, and why gradients flow or not.
import type { PointLoss, Report } from './protocol.js';

/** A graph as the worker reports it. */
export type GraphReport = Extract<Report, { type: 'graph' }>;

/**
 * The note beside a graph: the point and the graph's size; why every gradient is 0 when none
 * flows (an inactive neuron, or a point classified with margin, whose hinge loss is 0), and what
 * to pick instead; else what the colours show.
 *
 * @param where - the point's `(x, y)`
 */
export function graphNote(report: GraphReport, where: readonly [number, number]): string {
  return [pointSentence(report, where), ...whyGradients(report)].join(' ');
}

/** `Point 7 at (0.871, -0.423), 1627 nodes: ...` */
function pointSentence(report: GraphReport, where: readonly [number, number]): string {
  const [x, y] = where;
  const text = `Point ${report.point} at (${x.toFixed(3)}, ${y.toFixed(3)}), ${report.nodes} nodes`;
  return report.capped
    ? `${text}: the nodes nearest the loss are drawn, the dashed node stands for the rest.`
    : `${text}.`;
}

/** The sentences on the gradients: why they are all 0, or what their colours mean. */
function whyGradients(report: GraphReport): string[] {
  if (report.hinge !== null) return hingeSentences(report.hinge);
  if (!report.active)
    return [
      "The neuron is inactive here (its sum is negative, so ReLU outputs 0 and passes no gradient): every grad but out's own is 0.",
    ];
  return [colourKey("the neuron's output")];
}

/** The whole network's point: its loss, and whether gradient flows back from it. */
function hingeSentences(hinge: PointLoss): string[] {
  const { y, score, loss } = hinge;
  const given = `Label y = ${y > 0 ? '+1' : '-1'}, score ${fmt(score)}: y*score = ${fmt(y * score)}`;
  if (loss > 0)
    return [
      `${given} < 1, inside the margin, so the loss relu(1 - y*score) is ${fmt(loss)} and gradient flows back.`,
      colourKey('the loss'),
    ];
  return [
    `${given} ≥ 1: the point is classified with margin, so its hinge loss relu(1 - y*score) is 0 and no gradient flows back (every grad but the loss's own is 0).`,
    pickInstead(hinge),
  ];
}

/** Where to click to see gradients, or that no point would show any now. */
function pickInstead({ inside, points }: PointLoss): string {
  if (inside === 0)
    return 'No training point is inside the margin now: every hinge loss is 0 (any training loss left is the L2 term, not drawn here).';
  const count = Number.isNaN(inside) ? '' : `; ${inside} of the ${points} training points are`;
  return `Pick a point inside the margin (y*score < 1: near the boundary or misclassified${count}) to see gradients.`;
}

/** What the fills mean, from `root` (the graph's result) back to the weights. */
function colourKey(root: string): string {
  return `Filled boxes trace the gradient from ${root} back to the weights: blue positive, red negative, stronger the larger, white none.`;
}

/** A number as the graph writes it: 4 digits after the point. */
function fmt(x: number): string {
  return x.toFixed(4);
}
