import { PRIMITIVES } from '../ops.js';
import type { Kernel, SampleHandoff } from './kernel.js';
import type { Tape } from './tape.js';

type Forward = (X: Float64Array, xo: number, P: Float64Array, O: Float64Array, oo: number) => void;
type Backward = (
  X: Float64Array,
  xo: number,
  P: Float64Array,
  G: Float64Array,
  S: Float64Array,
  so: number,
  GX: Float64Array | null,
  sample: ((i: number) => void) | null,
) => void;

/**
 * Whether this environment lets us make functions from source: a page whose
 * Content-Security-Policy lacks `unsafe-eval` does not.
 */
export function canGenerateCode(): boolean {
  try {
    return (new Function('return 1') as () => number)() === 1;
  } catch {
    return false;
  }
}

/**
 * A number as JavaScript source that evaluates to exactly the same double (`-0` included):
 * `String` prints the shortest decimal that round-trips.
 */
export function literal(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`compile: cannot emit the non-finite constant ${x}`);
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${String(x)})` : String(x);
}

/**
 * Generates straight-line JavaScript for a tape: every node a local variable, every
 * operation the same expression as in ops.ts, in the same order. The source holds only
 * op expressions, numbers and indices: never a label or any other user string.
 */
export function generateKernel(
  tape: Tape,
  P: Float64Array,
  G: Float64Array,
  handoff: SampleHandoff | null,
): Kernel {
  const { nodes, needsGrad } = tape;
  const value = (k: number): string => {
    const n = nodes[k]!;
    return n.kind === 'const' ? literal(n.value) : `v${k}`;
  };
  const fill = (template: string, n: { a: number; b: number; arg: number }, k: number): string =>
    template.replace(/\b[abky]\b/g, (id) =>
      id === 'a' ? value(n.a) : id === 'b' ? value(n.b) : id === 'k' ? literal(n.arg) : value(k),
    );

  const forward: string[] = [];
  nodes.forEach((n, k) => {
    if (n.kind === 'input') forward.push(`const v${k} = X[xo + ${n.index}];`);
    else if (n.kind === 'param') forward.push(`const v${k} = P[${n.index}];`);
    else if (n.kind === 'op') forward.push(`const v${k} = ${fill(PRIMITIVES[n.op].js.forward, n, k)};`);
  });
  const store = tape.outputs.map((k, j) => `O[oo + ${j}] = ${value(k)};`);

  // Gradient targets: a local per op node (and per input when a reduction hands gradients
  // back), the program's buffer for parameters; constants and plain inputs receive nothing.
  const grad = (k: number): string | null => {
    const n = nodes[k]!;
    if (!needsGrad[k]) return null;
    if (n.kind === 'param') return `G[${n.index}]`;
    return `g${k}`;
  };
  const locals = nodes.flatMap((n, k) => (needsGrad[k] && n.kind !== 'param' ? [`g${k} = 0`] : []));
  const backward: string[] = locals.length > 0 ? [`let ${locals.join(', ')};`] : [];
  tape.outputs.forEach((k, j) => {
    const g = grad(k);
    if (g !== null) backward.push(`${g} += S[so + ${j}];`);
  });
  const groups = handoff === null ? null : sampleHandoffs(tape, handoff.perSample);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k]!;
    if (n.kind === 'op' && needsGrad[k]) {
      const spec = PRIMITIVES[n.op];
      const ga = grad(n.a);
      if (ga !== null) backward.push(`${ga} += (${fill(spec.js.da, n, k)}) * g${k};`);
      if ('db' in spec.js) {
        const gb = grad(n.b);
        if (gb !== null) backward.push(`${gb} += (${fill(spec.js.db, n, k)}) * g${k};`);
      }
    }
    const handoffAt = groups?.get(k);
    if (handoffAt !== undefined) {
      for (const [j, member] of handoffAt.members) {
        backward.push(`GX[${j}] = ${member === -1 ? '0' : `g${member}`};`);
      }
      backward.push(`sample(${handoffAt.sample});`);
    }
  }

  const fwd = new Function('X', 'xo', 'P', 'O', 'oo', `'use strict';\n${forward.join('\n')}\n${store.join('\n')}`) as Forward;
  const bwd = new Function(
    'X',
    'xo',
    'P',
    'G',
    'S',
    'so',
    'GX',
    'sample',
    `'use strict';\n${forward.join('\n')}\n${backward.join('\n')}`,
  ) as Backward;
  return {
    forward: (X, xo, O, oo) => {
      fwd(X, xo, P, O, oo);
    },
    backward: (X, xo, S, so, GX, sample) => {
      bwd(X, xo, P, G, S, so, GX, sample);
    },
  };
}

/**
 * For a reduction: at which node eager mode would back-propagate each sample. That is the
 * sample's first output in topological order: by then every use of every output of the
 * sample has added its gradient. Members are (reduction input, node or -1 if unused).
 */
export function sampleHandoffs(
  tape: Tape,
  perSample: number,
): Map<number, { sample: number; members: [number, number][] }> {
  const first = new Map<number, number>();
  const nodeOf = new Map<number, number>();
  tape.nodes.forEach((n, k) => {
    if (n.kind !== 'input') return;
    nodeOf.set(n.index, k);
    const sample = Math.floor(n.index / perSample);
    if (!first.has(sample)) first.set(sample, k);
  });
  const at = new Map<number, { sample: number; members: [number, number][] }>();
  for (const [sample, k] of first) {
    const members: [number, number][] = [];
    for (let j = sample * perSample; j < (sample + 1) * perSample; j++) members.push([j, nodeOf.get(j) ?? -1]);
    at.set(k, { sample, members });
  }
  return at;
}
