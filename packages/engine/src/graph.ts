import type { Value } from './value.js';
import { PRIMITIVES } from './ops.js';
import { checkValue, describe, numberText } from './errors.js';

// Each walk gets a fresh mark, so "visited" is one integer compare, not a Set lookup.
let walks = 0;

/**
 * @internal `count` marks no Value has yet, the returned one and those after it: for a walk
 * over Values (`Value._mark`).
 */
export function freshMarks(count: number): number {
  const first = walks + 1;
  walks += count;
  return first;
}

/**
 * Every value `root` depends on, children before parents, in the order micrograd's recursive
 * `build_topo` produces (operands visited left to right) but with an explicit stack, so the
 * depth of the graph is only limited by memory.
 */
export function topologicalOrder(root: Value): Value[] {
  checkValue(root, 'topologicalOrder: root');
  const mark = freshMarks(1);
  const order: Value[] = [];
  const stack: Value[] = [root];
  const next: number[] = [0];
  root._mark = mark;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const v = stack[top]!;
    const i = next[top]!;
    const child = i === 0 ? v._a : i === 1 ? v._b : null;
    if (child !== null) {
      next[top] = i + 1;
      if (child._mark !== mark) {
        child._mark = mark;
        stack.push(child);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(v);
    }
  }
  return order;
}

// The gradients a backward pass found on entry, so a pass that fails part way can put every one
// back. Reused across calls (a fresh array per step would be half a megabyte of garbage for the
// bench's graph), unless a graph is so large that keeping its buffer would hold memory for good.
let saved = new Float64Array(1024);
const KEEP_AT_MOST = 1 << 20;

/** Room for `n` saved gradients. */
function savedGrads(n: number): Float64Array {
  if (n <= saved.length) return saved;
  const grown = new Float64Array(Math.max(n, 2 * saved.length));
  if (grown.length <= KEEP_AT_MOST) saved = grown;
  return grown;
}

/** See {@link Value.backward}. All or nothing: when it throws, every `grad` is as it was. */
export function backward(root: Value): void {
  const order = topologicalOrder(root);
  const old = saveAndZero(order);
  root.grad += 1;
  try {
    propagateAll(order);
  } catch (error) {
    restore(order, old);
    throw error;
  }
}

// The passes over every node are small functions of their own. A long loop inside `backward`
// itself is compiled on the stack (on-stack replacement) before the code after it has ever run;
// V8 kept that code and left it at `root.grad` on every later call (its deoptimisation trace
// showed one per step).

/**
 * Saves every node's gradient and zeroes those of non-leaves (leaves accumulate). A leaf's
 * gradient that is not a finite number (a user set it: `grad` is a plain field) is refused
 * before anything changes: added to, `'0'` would become the string `'02'`.
 */
function saveAndZero(order: readonly Value[]): Float64Array {
  const n = order.length;
  const old = savedGrads(n);
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    const g = v.grad;
    old[i] = g;
    if (v.op !== '') v.grad = 0;
    else if (!(typeof g === 'number' && g - g === 0)) {
      restore(order, old, i);
      throw leafGradError(v, g);
    }
  }
  return old;
}

/** The error for a leaf whose `grad` a user set to something other than a finite number. */
export function leafGradError(v: Value, g: unknown, where = 'backward'): Error {
  const what = `${where}: the gradient of ${v.label === '' ? 'a leaf' : `leaf ${JSON.stringify(v.label)}`} (data ${numberText(v._data)})`;
  return typeof g === 'number' && !Number.isNaN(g)
    ? new RangeError(`${what} must be finite, got ${numberText(g)}; set grad to finite numbers only`)
    : new TypeError(`${what} must be a finite number, got ${describe(g)}; set grad to finite numbers only`);
}

/** Each node's contribution to its operands, last node first. */
function propagateAll(order: readonly Value[]): void {
  for (let i = order.length - 1; i >= 0; i--) propagate(order[i]!);
}

/** Every node's gradient (of the first `count`) as {@link saveAndZero} found it. */
function restore(order: readonly Value[], old: Float64Array, count = order.length): void {
  for (let i = 0; i < count; i++) order[i]!.grad = old[i]!;
}

/**
 * d root / d leaf for each of `leaves`, which must be fresh leaves (gradient 0): a backward pass
 * that then puts every `grad` of the graph back as it was, so Values the graph captured from
 * elsewhere (a model's parameters) keep theirs.
 */
export function gradientsOf(root: Value, leaves: readonly Value[]): number[] {
  const order = topologicalOrder(root);
  const before = order.map((v) => v.grad);
  try {
    backward(root);
    return leaves.map((leaf) => leaf.grad);
  } finally {
    for (let i = 0; i < order.length; i++) order[i]!.grad = before[i]!;
  }
}

/** Adds this node's contribution to its operands' gradients: local derivative times `grad`. */
function propagate(v: Value): void {
  const g = v.grad;
  const y = v._data;
  const a = v._a!;
  switch (v.op) {
    case '':
      return;
    case 'add': {
      const b = v._b!;
      a.grad += PRIMITIVES.add.da() * g;
      b.grad += PRIMITIVES.add.db() * g;
      check(v, b);
      return;
    }
    case 'mul': {
      const b = v._b!;
      a.grad += PRIMITIVES.mul.da(a._data, b._data) * g;
      b.grad += PRIMITIVES.mul.db(a._data) * g;
      check(v, b);
      return;
    }
    case 'pow':
      a.grad += PRIMITIVES.pow.da(a._data, 0, v.arg) * g;
      break;
    case 'exp':
      a.grad += PRIMITIVES.exp.da(a._data, 0, 0, y) * g;
      break;
    case 'log':
      a.grad += PRIMITIVES.log.da(a._data) * g;
      break;
    case 'tanh':
      a.grad += PRIMITIVES.tanh.da(a._data, 0, 0, y) * g;
      break;
    case 'relu':
      a.grad += PRIMITIVES.relu.da(a._data, 0, 0, y) * g;
      break;
    case 'sigmoid':
      a.grad += PRIMITIVES.sigmoid.da(a._data, 0, 0, y) * g;
      break;
  }
  check(v, a);
}

function check(v: Value, operand: Value): void {
  const a = v._a!;
  if (a.grad - a.grad === 0 && operand.grad - operand.grad === 0) return;
  const at = v.children.map((c) => numberText(c._data)).join(', ');
  const k = v.op === 'pow' ? ` with exponent ${numberText(v.arg)}` : '';
  throw new RangeError(
    `backward: gradient through ${v.op}(${at})${k} is not finite (incoming gradient ${v.grad})`,
  );
}

/** See {@link Value.zeroGrad}. */
export function zeroGrad(root: Value): void {
  for (const v of topologicalOrder(root)) v.grad = 0;
}
