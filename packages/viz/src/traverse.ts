import { describeInput, type Value } from '@mg/engine';

/**
 * Throws unless `maxNodes` is an integer of at least `least`, or Infinity: a TypeError for a
 * non-number, else a RangeError. `where` names the function for the message.
 */
export function checkMaxNodes(maxNodes: unknown, least: number, where: string): asserts maxNodes is number {
  if (!(
    typeof maxNodes === 'number' &&
    (Number.isInteger(maxNodes) || maxNodes === Infinity) &&
    maxNodes >= least
  )) {
    throw new (typeof maxNodes === 'number' ? RangeError : TypeError)(
      `${where}: maxNodes must be an integer of at least ${least} (or Infinity), got ${describeInput(maxNodes)}`,
    );
  }
}

/** The values under `root` in breadth-first order from it (operands left to right), and each one's position. */
export interface Visit {
  order: Value[];
  index: Map<Value, number>;
  /** True when the whole graph was walked and fits in `maxNodes`; otherwise `order` is only its start. */
  fits: boolean;
}

/** The nodes a drawing spends on a value: its record, and the node of the op that made it. */
export function nodesOf(v: Value): number {
  return v.op === '' ? 1 : 2;
}

/**
 * Breadth-first from the root, with a queue rather than recursion: ids then read outwards from the
 * output, and any prefix of the order is a connected piece around the root, which is what the
 * summary of a graph too large to draw shows. Stops as soon as the values found need more than
 * `maxNodes` nodes, so refusing a graph of millions of values costs as little as drawing
 * `maxNodes` of them.
 */
export function breadthFirst(root: Value, maxNodes = Infinity): Visit {
  const order: Value[] = [root];
  const index = new Map<Value, number>([[root, 0]]);
  let nodes = nodesOf(root);
  // The loop also visits the nodes it appends.
  for (const v of order) {
    if (nodes > maxNodes) return { order, index, fits: false };
    for (const child of v.children) {
      if (!index.has(child)) {
        index.set(child, order.length);
        order.push(child);
        nodes += nodesOf(child);
      }
    }
  }
  return { order, index, fits: nodes <= maxNodes };
}
