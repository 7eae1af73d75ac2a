import { checkOptions, checkValue, topologicalOrder, type Op, type Value } from '@mg/engine';
import { breadthFirst, checkMaxNodes } from './traverse.js';

/** The size and shape of a computation graph, as {@link toDot} draws it. A plain object. */
export interface GraphStats {
  /** Values in the graph: one record node each. */
  values: number;
  /** Values made by no op: inputs, parameters and constants. */
  leaves: number;
  /** Values made by an op: one op node each. */
  ops: number;
  /** Edges drawn: one from each operand to its op (two for `a + a`) and one from each op to its result. */
  edges: number;
  /** Ops on the longest path from a leaf to the root: 0 for a leaf, 1 for `a + b`. */
  depth: number;
  /** How many times each op occurs, keyed by the engine's op name (`add`, `mul`, `pow`, ...), in the order first met from the leaves. */
  opHistogram: Partial<Record<Exclude<Op, ''>, number>>;
}

/** Options of {@link graphStats}. */
export interface GraphStatsOptions {
  /**
   * Refuse a graph with more nodes (values plus ops) than this, as {@link toDot} does: the walk
   * stops as soon as it has found more, so asking whether a huge graph fits is cheap. Default
   * `Infinity`: count any graph.
   */
  maxNodes?: number;
}

const OPTION_KEYS = ['maxNodes'] as const;

/**
 * Counts the value nodes, op nodes and edges of the graph under `root`, its depth and how often each op occurs.
 * Iterative, so any depth is fine.
 *
 * @param root - the value whose graph to measure
 * @param options - a cap on the size of the graph to count
 * @returns a plain object; `values + ops` is the number of nodes {@link toDot} draws
 * @throws TypeError when `root` is not a Value or an option is unknown; RangeError for a bad
 *   `maxNodes`, or when the graph has more nodes than it
 *
 * @example
 * ```ts
 * const a = new Value(2);
 * console.log(JSON.stringify(graphStats(a.mul(a).add(1))));
 * // {"values":4,"leaves":2,"ops":2,"edges":6,"depth":2,"opHistogram":{"mul":1,"add":1}}
 * ```
 */
export function graphStats(root: Value, options?: GraphStatsOptions): GraphStats {
  checkValue(root, 'graphStats: root');
  const { maxNodes = Infinity } = checkOptions(options, OPTION_KEYS, 'graphStats');
  checkMaxNodes(maxNodes, 1, 'graphStats');
  if (maxNodes !== Infinity && !breadthFirst(root, maxNodes).fits) {
    throw new RangeError(
      `graphStats: the graph has more than maxNodes (${maxNodes}) nodes (values plus ops)`,
    );
  }
  const stats: GraphStats = { values: 0, leaves: 0, ops: 0, edges: 0, depth: 0, opHistogram: {} };
  const depth = new Map<Value, number>();
  const depthOf = (v: Value): number => {
    const d = depth.get(v);
    // A topological order puts every child before its parents.
    if (d === undefined)
      throw new Error(`mg internal error: ${String(v)} reached before its depth was known`);
    return d;
  };
  for (const v of topologicalOrder(root)) {
    stats.values++;
    if (v.op === '') {
      stats.leaves++;
      depth.set(v, 0);
      continue;
    }
    stats.ops++;
    stats.edges += v.children.length + 1;
    stats.opHistogram[v.op] = (stats.opHistogram[v.op] ?? 0) + 1;
    let d = 0;
    for (const child of v.children) d = Math.max(d, depthOf(child));
    depth.set(v, d + 1);
  }
  stats.depth = depthOf(root);
  return stats;
}
