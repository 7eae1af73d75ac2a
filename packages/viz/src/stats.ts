import { topologicalOrder, type Value } from '@mg/engine';

/** Counts of a computation graph, as drawn by micrograd's `draw_dot`. */
export interface GraphStats {
  /** Values in the graph (one record node each). */
  values: number;
  /** Values made by an op (each gets its own op node). */
  ops: number;
  /** Edges: one per operand of each op, plus one op -> result edge per op. */
  edges: number;
}

/** Counts the value nodes, op nodes and edges of the graph under `root`. */
export function graphStats(root: Value): GraphStats {
  let values = 0;
  let ops = 0;
  let edges = 0;
  for (const v of topologicalOrder(root)) {
    values++;
    if (v.op !== '') {
      ops++;
      edges += v.children.length + 1;
    }
  }
  return { values, ops, edges };
}
