/**
 * Places `root` and every node below it not placed yet, depth first, operands left to right,
 * each after its operands: micrograd's (and eager mode's) topological order. Iterative, so a
 * graph of any depth is safe. The graph must be acyclic (Values and tapes are): then a node
 * not placed yet is never on the stack already (it would be its own ancestor), so no set of
 * nodes seen is needed.
 *
 * @param operand - a node's `i`-th operand, or undefined past the last (a leaf has none)
 * @param placed - whether a node is placed already (by this walk or an earlier one)
 * @param place - places a node: called once for each, its operands first
 */
export function postOrder<T>(
  root: T,
  operand: (node: T, i: number) => T | undefined,
  placed: (node: T) => boolean,
  place: (node: T) => void,
): void {
  const stack = [root];
  const next = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top]!;
    const i = next[top]!;
    const child = operand(node, i);
    if (child !== undefined) {
      next[top] = i + 1;
      if (!placed(child)) {
        stack.push(child);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      place(node);
    }
  }
}
