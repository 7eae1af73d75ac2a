import type { Value } from '@mg/engine';

/** The values under `root` in breadth-first order from it (operands left to right), and each one's position. */
export interface Visit {
  order: Value[];
  index: Map<Value, number>;
}

/**
 * Breadth-first from the root, with a queue rather than recursion: ids then read outwards from the
 * output, and any prefix of the order is a connected piece around the root, which is what the
 * summary of a graph too large to draw shows.
 */
export function breadthFirst(root: Value): Visit {
  const order: Value[] = [root];
  const index = new Map<Value, number>([[root, 0]]);
  for (let i = 0; i < order.length; i++) {
    for (const child of order[i]!.children) {
      if (!index.has(child)) {
        index.set(child, order.length);
        order.push(child);
      }
    }
  }
  return { order, index };
}
