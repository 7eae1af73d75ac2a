import { numberText } from '../errors.js';
import { PRIMITIVES, outsideDomain } from '../ops.js';
import { OPS, apply, derivative } from './reduction.js';
import type { Tape } from './tape.js';

/** What {@link reference} computed: the loss, and every parameter's gradient after the run. */
export interface ReferenceResult {
  readonly loss: number;
  readonly grads: Float64Array;
}

/**
 * Eager mode, one scalar at a time, on the graph of a whole batch: every sample's tape joined
 * to the reduction's, ordered and back-propagated exactly as `Value.backward` would do it, and
 * checked after every operation. Slow and exact by construction: compiled mode's oracle for
 * diagnosing a non-finite number (it throws a RangeError naming the op, its operands and the
 * sample) and its fallback for reductions the batch-major schedule does not cover.
 *
 * @param X - the samples' inputs, row after row
 * @param P - the parameters' values; `grads` starts from `G`, their current gradients
 * @param upTo - where to stop: after the samples' outputs, the loss, or the gradients
 */
export function reference(
  sample: Tape,
  reduction: Tape,
  count: number,
  X: ArrayLike<number>,
  P: ArrayLike<number>,
  G: ArrayLike<number>,
  upTo: 'outputs' | 'loss' | 'gradients' = 'gradients',
): ReferenceResult {
  const ns = sample.nodes.length;
  const m = sample.outputs.length;
  const inputs = count === 0 ? 0 : X.length / count;
  const np = P.length;
  const rbase = count * ns;
  const pbase = rbase + reduction.nodes.length;
  const total = pbase + np;
  const { code, A, B, K, V, grad, seen, order, stack, next } = arrays(total, count);
  for (let p = 0; p < np; p++) V[pbase + p] = P[p]!;

  // Node ids: sample i's node k is i * ns + k, the reduction's node q is rbase + q, parameter p
  // is pbase + p. A reduction input is the sample output it stands for, as in eager mode.
  const where = (id: number): string =>
    id < rbase ? `sample ${Math.floor(id / ns)}, node ${id % ns}` : `the reduction, node ${id - rbase}`;
  const idOf = (tape: Tape, k: number, base: number): number => {
    const n = tape.nodes[k]!;
    if (n.kind === 'param') return pbase + n.index;
    if (n.kind === 'input' && tape === reduction) {
      const k = sample.outputs[n.index % m]!;
      const out = sample.nodes[k]!;
      return out.kind === 'param' ? pbase + out.index : Math.floor(n.index / m) * ns + k;
    }
    return base + k;
  };
  // Leaves first, then the ops in the order the traced function made them (eager mode's order,
  // so the first op to fail is the one eager mode names), else in the tape's order.
  const build = (tape: Tape, base: number, x: number) => {
    const { nodes } = tape;
    for (let k = 0; k < nodes.length; k++) {
      const n = nodes[k]!;
      if (n.kind === 'const') V[base + k] = n.value;
      else if (n.kind === 'input' && tape === sample) V[base + k] = X[x + n.index]!;
    }
    const made = tape.made;
    const count = made === undefined ? nodes.length : made.length;
    for (let j = 0; j < count; j++) {
      const k = made === undefined ? j : made[j]!;
      const n = nodes[k]!;
      if (n.kind !== 'op') continue;
      const id = base + k;
      code[id] = OPS.indexOf(n.op);
      A[id] = idOf(tape, n.a, base);
      B[id] = n.b >= 0 ? idOf(tape, n.b, base) : -1;
      K[id] = n.arg;
      const y = apply(code[id], V[A[id]]!, B[id] >= 0 ? V[B[id]]! : 0, n.arg);
      if (!(y - y === 0)) fail('the result', id);
      V[id] = y;
    }
  };
  const fail = (what: 'the result' | 'the gradient', id: number): never => {
    const op = OPS[code[id]!]!;
    const a = V[A[id]!]!;
    const operands = [a, ...(PRIMITIVES[op].arity === 2 ? [V[B[id]!]!] : [])].map(numberText).join(', ');
    const k = op === 'pow' ? ` with exponent ${numberText(K[id]!)}` : '';
    const domain = what === 'the result' ? outsideDomain(op, a, K[id]!) : null;
    const why = domain === null ? '' : `: ${domain}`;
    throw new RangeError(`compile: ${what} of ${op}(${operands})${k} is not finite (${where(id)})${why}`);
  };

  for (let i = 0; i < count; i++) build(sample, i * ns, i * inputs);
  if (upTo === 'outputs') return { loss: NaN, grads: Float64Array.from(G) };
  build(reduction, rbase, 0);
  const root = idOf(reduction, reduction.outputs[0]!, rbase);
  if (upTo === 'loss') return { loss: V[root]!, grads: Float64Array.from(G) };

  // micrograd's build_topo from the loss, with an explicit stack (see graph.ts).
  // (In typed arrays, each node at most once: JavaScript arrays this long would end the process.)
  let ordered = 0;
  let depth = 1;
  stack[0] = root;
  next[0] = 0;
  seen[root] = 1;
  while (depth > 0) {
    const top = depth - 1;
    const id = stack[top]!;
    const i = next[top]!;
    const child = code[id]! < 0 ? -1 : i === 0 ? A[id]! : i === 1 ? B[id]! : -1;
    if (child >= 0) {
      next[top] = i + 1;
      if (seen[child] === 0) {
        seen[child] = 1;
        stack[depth] = child;
        next[depth] = 0;
        depth++;
      }
    } else {
      depth--;
      order[ordered++] = id;
    }
  }
  for (let p = 0; p < np; p++) grad[pbase + p] = G[p]!;
  // As Value.backward refuses a leaf of the graph whose gradient a user set to NaN or an infinity.
  for (let j = 0; j < ordered; j++) {
    const id = order[j]!;
    const g = grad[id]!;
    if (id < pbase || g - g === 0) continue;
    const what = `compile: the gradient of parameter ${id - pbase} (data ${numberText(V[id]!)}) must be finite, got ${numberText(g)}; set grad to finite numbers only`;
    throw Number.isNaN(g) ? new TypeError(what) : new RangeError(what);
  }
  grad[root] = grad[root]! + 1;
  for (let j = ordered - 1; j >= 0; j--) {
    const id = order[j]!;
    const c = code[id]!;
    if (c < 0) continue;
    const g = grad[id]!;
    const a = A[id]!;
    const b = B[id]!;
    const av = V[a]!;
    const bv = b >= 0 ? V[b]! : 0;
    grad[a] = grad[a]! + derivative(c, av, bv, K[id]!, V[id]!, false) * g;
    if (b >= 0) grad[b] = grad[b]! + derivative(c, av, bv, K[id]!, V[id]!, true) * g;
    if (!(grad[a] - grad[a] === 0) || (b >= 0 && !(grad[b]! - grad[b]! === 0))) fail('the gradient', id);
  }
  return { loss: V[root]!, grads: grad.slice(pbase) };
}

/** Bytes a node takes in {@link reference}'s arrays. */
const NODE_BYTES = 1 + 4 + 4 + 8 + 8 + 8 + 1 + 4 + 4 + 1;

/**
 * The replay's arrays for `total` nodes; a host that cannot give them is a RangeError saying how
 * much was asked (for `count` samples), not the end of the process.
 */
function arrays(total: number, count: number) {
  try {
    return {
      code: new Int8Array(total).fill(-1),
      A: new Int32Array(total).fill(-1),
      B: new Int32Array(total).fill(-1),
      K: new Float64Array(total),
      V: new Float64Array(total),
      grad: new Float64Array(total),
      seen: new Uint8Array(total),
      order: new Int32Array(total),
      stack: new Int32Array(total),
      next: new Uint8Array(total),
    };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const megabytes = Math.ceil((total * NODE_BYTES) / 2 ** 20);
    throw new RangeError(
      `compile: replaying ${count} samples one scalar at a time (${total} nodes) takes ${megabytes} MB, more than this host gives (${e.message}); run smaller batches`,
      { cause: e },
    );
  }
}
