import { Value, collectNewValues, tracedDataError, tracing } from '../value.js';
import type { Tape, TapeNode } from './tape.js';
import { freshMarks } from '../graph.js';
import { TraceError } from '../trace-error.js';
import { describe } from '../errors.js';

/** The parameters of a program: found while tracing, in order of first use. */
export class ParameterSet {
  readonly values: Value[] = [];
  private readonly index = new Map<Value, number>();

  has(v: Value): boolean {
    return this.index.has(v);
  }

  add(v: Value): number {
    let i = this.index.get(v);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(v);
      this.index.set(v, i);
    }
    return i;
  }

  /** Forgets the parameters found after the first `count` (those of a trace that failed). */
  truncate(count: number): void {
    for (const v of this.values.splice(count)) this.index.delete(v);
  }
}

/**
 * Runs `fn` once on `count` symbolic inputs and records the graph it builds.
 *
 * Leaves made inside `fn` are constants; leaves captured from outside are parameters (added
 * to `params`). Parameters found before are symbolic while `fn` runs, so reading their `.data`
 * throws at once; a parameter found by this trace is only known once an op uses it, so reading
 * its `.data` (or that of anything computed from parameters alone) is found afterwards and
 * throws the same error: control flow that depends on data cannot be compiled, as in JAX.
 */
export function trace(fn: (inputs: Value[]) => Value[], count: number, params: ParameterSet): Tape {
  if (tracing()) {
    throw new TraceError(
      'compile: cannot trace a function while another is being traced (a compile, or the first run ' +
        "of a program's batch size, inside a traced function or options.reduce); do it before or after",
    );
  }
  const known = params.values.length;
  try {
    return traceOnce(fn, count, params);
  } catch (e) {
    // A failed trace leaves the program's parameters as they were.
    params.truncate(known);
    throw e;
  }
}

function traceOnce(fn: (inputs: Value[]) => Value[], count: number, params: ParameterSet): Tape {
  const inputs = Array.from({ length: count }, (_, i) => {
    const x = new Value(0, `input ${i}`);
    x._symbolic = true;
    return x;
  });
  const created: Value[] = [];
  const read = new Set<Value>();
  const marked = params.values.filter((p) => !p._symbolic);
  let outputs: Value[];
  for (let j = 0; j < marked.length; j++) marked[j]!._symbolic = true;
  collectNewValues(created, read);
  try {
    // A copy: the tape finds each input by its place in this array, whatever fn does to its own.
    outputs = fn(inputs.slice());
  } finally {
    collectNewValues(null);
    for (let j = 0; j < marked.length; j++) marked[j]!._symbolic = false;
  }
  for (let i = 0; i < outputs.length; i++) {
    const o: unknown = outputs[i];
    if (!(o instanceof Value)) {
      throw new TraceError(
        `compile: the traced function must return Values, got ${describe(o)} at output ${i}`,
      );
    }
  }
  // Fresh marks (see Marks): one for the Values made here, then one per place on the tape.
  const made = freshMarks(1);
  const capacity = 3 * created.length + inputs.length + outputs.length;
  const marks: Marks = { made, placed: freshMarks(capacity) };
  for (let j = 0; j < created.length; j++) created[j]!._mark = made;
  const tape = record(inputs, outputs, created, marks, params);
  for (const v of read) {
    if (dependsOnParameter(v, tape, marks, params)) throw tracedDataError(v);
    if (!madeHere(v, tape, marks)) throw capturedDataError(v);
  }
  return tape;
}

/**
 * A Value made outside the traced function whose `.data` it read without using the Value in an
 * op: the number would be fixed into the program, and a later change to it silently ignored
 * where eager mode reads it again every call.
 */
function capturedDataError(v: Value): TraceError {
  return new TraceError(
    `compile: the traced function reads .data of a Value made outside it (${v.toString()}): ` +
      'its number would be fixed into the program, and a later change to it ignored; use the Value ' +
      'itself in an op (x.mul(k) rather than x.mul(k.data)), which makes it a parameter, or pass a plain number',
  );
}

/**
 * How {@link record} tells the Values the traced function made from those it captured, and
 * finds each one's place on the tape, with no set or map lookup per node: marks no other Value
 * has. `_mark` is `made` for a Value made here and not placed yet, and `placed + k` for the
 * Value at place `k` (there are fewer places than marks after `placed`: a tape holds the
 * Values made here and at most two operands of each, plus inputs and outputs).
 */
interface Marks {
  readonly made: number;
  readonly placed: number;
}

/** Whether the traced function made `u` (an op or a constant of its tape, or a Value it left unused). */
function madeHere(u: Value, tape: Tape, marks: Marks): boolean {
  if (u._mark === marks.made) return true;
  const place = u._mark - marks.placed;
  const kind = place >= 0 ? tape.nodes[place]?.kind : undefined;
  return kind === 'op' || kind === 'const';
}

/** Whether `v` is a parameter or was computed inside the traced function from one. */
function dependsOnParameter(v: Value, tape: Tape, marks: Marks, params: ParameterSet): boolean {
  const stack = [v];
  const seen = new Set(stack);
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (params.has(u)) return true;
    if (!madeHere(u, tape, marks)) continue;
    for (const child of [u._a, u._b]) {
      if (child === null) continue;
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return false;
}

/** The tape of the graph from `outputs` (and of the other ops `fn` made), as eager mode orders it. */
function record(
  inputs: Value[],
  outputs: Value[],
  created: readonly Value[],
  marks: Marks,
  params: ParameterSet,
): Tape {
  const inputIndex = new Map(inputs.map((x, i) => [x, i]));
  const nodes: TapeNode[] = [];
  const { made, placed: first } = marks;
  const placed = (v: Value): boolean => v._mark >= first;
  const place = (v: Value): void => {
    let node: TapeNode;
    if (v._mark === made) {
      if (v.op === '') {
        node = { kind: 'const', value: v._data };
      } else {
        const a = v._a!._mark - first;
        const b = v._b === null ? -1 : v._b._mark - first;
        node = { kind: 'op', op: v.op, a, b, arg: v.arg };
      }
    } else {
      const input = inputIndex.get(v);
      if (input !== undefined) {
        node = { kind: 'input', index: input };
      } else if (v.op !== '') {
        throw new TraceError(
          `compile: the traced function uses ${v.toString()}, the result of ${v.op} computed outside it; ` +
            'compute it inside the function, or capture only leaf Values (parameters)',
        );
      } else {
        node = { kind: 'param', index: params.add(v) };
      }
    }
    v._mark = first + nodes.length;
    nodes.push(node);
  };

  // Post-order walk from each output, operands left to right: micrograd's (and eager mode's)
  // topological order, which fixes the order gradients are added in. It stops at leaves and at
  // values made outside the function. Iterative, like graph.ts's walks; on an acyclic graph a
  // Value not placed yet is never on the stack already (it would be its own ancestor).
  // Then from every other op made inside the function, in the order it was made: eager mode
  // computes (and checks) values that no output uses, so compiled mode does too.
  // (Inputs are made before `created` starts collecting, so they are leaves here.)
  const stack: Value[] = [];
  const next: number[] = [];
  const walk = (root: Value): void => {
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const v = stack[top]!;
      const i = next[top]!;
      const child = v._mark !== made ? null : i === 0 ? v._a : i === 1 ? v._b : null;
      if (child !== null) {
        next[top] = i + 1;
        if (!placed(child)) {
          stack.push(child);
          next.push(0);
        }
      } else {
        stack.pop();
        next.pop();
        place(v);
      }
    }
  };
  for (let j = 0; j < outputs.length; j++) if (!placed(outputs[j]!)) walk(outputs[j]!);
  const unused: number[] = [];
  for (let j = 0; j < created.length; j++) {
    const v = created[j]!;
    if (v.op === '' || v._mark !== made) continue;
    walk(v);
    unused.push(v._mark - first);
  }
  let ops = 0;
  for (let j = 0; j < created.length; j++) if (created[j]!.op !== '') ops++;
  const order = new Int32Array(ops);
  for (let j = 0, o = 0; j < created.length; j++) {
    const v = created[j]!;
    if (v.op !== '') order[o++] = v._mark - first;
  }
  return { nodes, outputs: outputs.map((o) => o._mark - first), unused, made: order };
}
