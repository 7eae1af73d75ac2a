/* eslint-disable @typescript-eslint/no-implied-eval -- generating code is this module's purpose; see literal() and the tape's no-strings guarantee */
import { PRIMITIVES } from '../ops.js';
import { sampleHandoffs, type Kernel, type SampleHandoff } from './kernel.js';
import { findChains } from './fuse.js';
import type { Tape } from './tape.js';

type Forward = (
  X: Float64Array,
  xo: number,
  V: Float64Array,
  vo: number,
  O: Float64Array,
  oo: number,
) => void;
type Backward = (
  V: Float64Array,
  vo: number,
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

/** Substitutes operands for the identifiers a, b, k, y of an ops.ts expression. */
function fill(template: string, a: string, b: string, k: string, y: string): string {
  return template.replace(/\b[abky]\b/g, (id) => (id === 'a' ? a : id === 'b' ? b : id === 'k' ? k : y));
}

/**
 * Generates straight-line JavaScript for a tape: each node a local variable computed with the
 * same expression as in ops.ts, in the same order. Once V8 has optimised it, nothing is
 * faster; optimising a 640-node kernel takes V8 a few hundred milliseconds, which is why the
 * program starts on the interpreter (tiers.ts). The source holds only op expressions, numbers
 * and indices: never a label or any other user string.
 */
export function generateKernel(
  tape: Tape,
  G: Float64Array,
  handoff: SampleHandoff | null,
): Kernel & { readonly source: string } {
  const { nodes, needsGrad } = tape;

  const slot = valueSlots(tape);

  const value = (k: number): string => {
    const n = nodes[k]!;
    return n.kind === 'const' ? literal(n.value) : n.kind === 'param' ? `V[${n.index}]` : `v${k}`;
  };
  const forward: string[] = [];
  nodes.forEach((n, k) => {
    if (n.kind === 'input') forward.push(`const v${k} = X[xo + ${n.index}];`);
    else if (n.kind === 'op') {
      forward.push(`const v${k} = ${fill(PRIMITIVES[n.op].js.forward, value(n.a), n.b >= 0 ? value(n.b) : '', literal(n.arg), '')};`);
    }
    const s = slot.get(k);
    if (s !== undefined) forward.push(`V[vo + ${s}] = v${k};`);
  });
  forward.push(...tape.outputs.map((k, j) => `O[oo + ${j}] = ${value(k)};`));

  // Backward: values come back from V. A gradient is a local declared at its first
  // contribution (as `0 + c`, which is what eager mode computes from its zeroed grad), so no
  // local lives longer than it must; parameters' gradients go straight to G.
  const stored = (k: number): string => {
    const n = nodes[k]!;
    return n.kind === 'const' ? literal(n.value) : n.kind === 'param' ? `V[${n.index}]` : `V[vo + ${slot.get(k)!}]`;
  };
  const declared = new Set<number>();
  const backward: string[] = [];
  const contribute = (k: number, term: string) => {
    const n = nodes[k]!;
    if (!needsGrad[k]) return;
    if (n.kind === 'param') backward.push(`G[${n.index}] += ${term};`);
    else if (declared.has(k)) backward.push(`g${k} += ${term};`);
    else {
      declared.add(k);
      backward.push(`let g${k} = 0 + ${term};`);
    }
  };
  const grad = (k: number) => (declared.has(k) ? `g${k}` : '0');
  // A derivative of exactly 1 times g is g, bit for bit (-0 included): less code for V8.
  const times = (derivative: string, g: string) => (derivative === '1' ? g : `(${derivative}) * ${g}`);
  tape.outputs.forEach((k, j) => {
    contribute(k, `S[so + ${j}]`);
  });
  // In a dot-product chain (fuse.ts) every inner sum and every product has the gradient
  // `0 + g`, g being the chain's: one local instead of two per term, and half the code.
  const chains = findChains(tape);
  const absorbed = new Set<number>();
  for (const chain of chains.values()) {
    for (const k of [...chain.muls, ...chain.adds]) if (k !== chain.top) absorbed.add(k);
  }
  const groups = handoff === null ? null : sampleHandoffs(tape, handoff.perSample);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k]!;
    const chain = chains.get(k);
    if (chain !== undefined && needsGrad[k] && declared.has(k)) {
      // Eager's contributions, in eager's order: last term first, c just before the first.
      const last = chain.muls.length - 1;
      const inner = last > 0 ? `gz${k}` : `g${k}`;
      if (last > 0) backward.push(`const gz${k} = 0 + ${times(PRIMITIVES.add.js.db, `g${k}`)};`);
      for (let j = last; j >= 0; j--) {
        const mul = nodes[chain.muls[j]!] as { a: number; b: number; arg: number };
        const gm = j === last && last === 0 ? `(0 + ${times(PRIMITIVES.add.js.db, `g${k}`)})` : `gz${k}`;
        if (j === 0) contribute(chain.c, times(PRIMITIVES.add.js.da, inner));
        const [u, v] = [stored(mul.a), stored(mul.b)];
        contribute(mul.a, times(fill(PRIMITIVES.mul.js.da, u, v, '', ''), gm));
        contribute(mul.b, times(fill(PRIMITIVES.mul.js.db, u, v, '', ''), gm));
      }
    } else if (n.kind === 'op' && needsGrad[k] && declared.has(k) && !absorbed.has(k)) {
      const spec = PRIMITIVES[n.op];
      const a = stored(n.a);
      const b = n.b >= 0 ? stored(n.b) : '';
      const y = stored(k);
      contribute(n.a, times(fill(spec.js.da, a, b, literal(n.arg), y), `g${k}`));
      if ('db' in spec.js) contribute(n.b, times(fill(spec.js.db, a, b, literal(n.arg), y), `g${k}`));
    }
    const handoffAt = groups?.get(k);
    if (handoffAt !== undefined) {
      for (const [j, member] of handoffAt.members) {
        backward.push(`GX[${j}] = ${member === -1 ? '0' : grad(member)};`);
      }
      backward.push(`sample(${handoffAt.sample});`);
    }
  }

  const fwd = new Function('X', 'xo', 'V', 'vo', 'O', 'oo', `'use strict';\n${forward.join('\n')}`) as Forward;
  const bwd = new Function('V', 'vo', 'G', 'S', 'so', 'GX', 'sample', `'use strict';\n${backward.join('\n')}`) as Backward;
  return {
    source: `${fwd.toString()}\n${bwd.toString()}`,
    size: slot.size,
    forward: (X, xo, V, vo, O, oo) => {
      fwd(X, xo, V, vo, O, oo);
    },
    backward: (V, vo, S, so, GX, sample) => {
      bwd(V, vo, G, S, so, GX, sample);
    },
  };
}

/**
 * Where generated code keeps each value the backward pass reads, in a sample's slice of V.
 * Only those are kept (a few per neuron: most nodes are sums, whose derivatives need no
 * value), so a slice stays small and in cache.
 */
export function valueSlots(tape: Tape): Map<number, number> {
  const { nodes, needsGrad } = tape;
  const slot = new Map<number, number>();
  const keep = (k: number) => {
    const n = nodes[k]!;
    if ((n.kind === 'op' || n.kind === 'input') && !slot.has(k)) slot.set(k, slot.size);
  };
  nodes.forEach((n, k) => {
    if (n.kind !== 'op' || !needsGrad[k]) return;
    const uses = PRIMITIVES[n.op].js;
    const derivatives = 'db' in uses ? `${uses.da} ${uses.db}` : uses.da;
    if (/\ba\b/.test(derivatives)) keep(n.a);
    if (/\bb\b/.test(derivatives)) keep(n.b);
    if (/\by\b/.test(derivatives)) keep(k);
  });
  return slot;
}
