/* eslint-disable @typescript-eslint/no-implied-eval -- generating code is this module's purpose; see literal() and the tape's no-strings guarantee */
import { PRIMITIVES } from '../ops.js';
import type { Kernel, SampleHandoff } from './kernel.js';
import { findChains, type Chain } from './fuse.js';
import type { Tape } from './tape.js';

type Forward = (
  X: Float64Array,
  xo: number,
  P: Float64Array,
  V: Float64Array,
  vo: number,
  O: Float64Array,
  oo: number,
  C: Int32Array,
) => void;
type Backward = (
  V: Float64Array,
  vo: number,
  P: Float64Array,
  G: Float64Array,
  S: Float64Array,
  so: number,
  GX: Float64Array | null,
  sample: ((i: number) => void) | null,
  C: Int32Array,
  GS: Float64Array,
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
 * Generates JavaScript for a tape: each node a local variable computed with the same
 * expression as in ops.ts, in the same order. With `loops`, dot-product chains (fuse.ts)
 * become loops over index arrays: small code that V8 optimises within a few runs; without,
 * everything is straight-line: about four times faster once optimised, but V8 needs some
 * 200 ms to optimise a 640-node kernel (tiers.ts uses both). The source holds only op
 * expressions, numbers and indices: never a label or any other user string.
 */
export function generateKernel(
  tape: Tape,
  P: Float64Array,
  G: Float64Array,
  handoff: SampleHandoff | null,
  options: { loops: boolean } = { loops: true },
): Kernel & { readonly source: string } {
  const { nodes, needsGrad } = tape;
  const { add, mul } = PRIMITIVES;

  // A chain becomes a loop when each side of its products is all parameters or all computed
  // nodes (a neuron: weights times inputs); other chains stay unrolled.
  const isNode = (k: number) => nodes[k]!.kind === 'op' || nodes[k]!.kind === 'input';
  const side = (ks: number[]): 'param' | 'node' | null =>
    ks.every((k) => nodes[k]!.kind === 'param') ? 'param' : ks.every(isNode) ? 'node' : null;
  const loops: { chain: Chain; us: number[]; vs: number[]; uSide: 'param' | 'node'; vSide: 'param' | 'node' }[] = [];
  const absorbed = new Set<number>();
  for (const chain of options.loops ? findChains(tape).values() : []) {
    const us = chain.muls.map((m) => (nodes[m] as { a: number }).a);
    const vs = chain.muls.map((m) => (nodes[m] as { b: number }).b);
    const uSide = side(us);
    const vSide = side(vs);
    if (uSide === null || vSide === null || chain.muls.length < 2) continue;
    loops.push({ chain, us, vs, uSide, vSide });
    for (const k of [...chain.muls, ...chain.adds]) if (k !== chain.top) absorbed.add(k);
  }
  const loopAt = new Map(loops.map((l) => [l.chain.top, l]));

  // V keeps the values the backward pass and the loops read; GS the gradients the loops add
  // into. Everything else lives in locals.
  const slot = new Map<number, number>();
  const keep = (k: number) => {
    if (isNode(k) && !slot.has(k)) slot.set(k, slot.size);
  };
  const inArray = new Set<number>();
  nodes.forEach((n, k) => {
    const loop = loopAt.get(k);
    if (loop !== undefined) {
      for (const x of [...loop.us, ...loop.vs]) {
        keep(x);
        if (isNode(x)) inArray.add(x);
      }
      if (isNode(loop.chain.c)) {
        keep(loop.chain.c);
        inArray.add(loop.chain.c);
      }
    }
    if (n.kind !== 'op' || absorbed.has(k) || loop !== undefined || !needsGrad[k]) return;
    const uses = PRIMITIVES[n.op].js;
    const derivatives = 'db' in uses ? `${uses.da} ${uses.db}` : uses.da;
    if (/\ba\b/.test(derivatives)) keep(n.a);
    if (/\bb\b/.test(derivatives)) keep(n.b);
    if (/\by\b/.test(derivatives)) keep(k);
  });
  for (const k of inArray) keep(k);

  // Index arrays of the loops: for each loop, its u indices then its v indices (parameter
  // indices or V slots).
  const indices: number[] = [];
  const loopOffset = new Map<number, number>();
  for (const { chain, us, vs } of loops) {
    loopOffset.set(chain.top, indices.length);
    const at = (k: number) => (nodes[k]!.kind === 'param' ? (nodes[k] as { index: number }).index : slot.get(k)!);
    indices.push(...us.map(at), ...vs.map(at));
  }
  const C = Int32Array.from(indices);
  const GS = new Float64Array(Math.max(1, slot.size));

  const value = (k: number): string => {
    const n = nodes[k]!;
    return n.kind === 'const' ? literal(n.value) : n.kind === 'param' ? `P[${n.index}]` : `v${k}`;
  };
  const forward: string[] = [];
  nodes.forEach((n, k) => {
    if (absorbed.has(k)) return;
    const loop = loopAt.get(k);
    if (loop !== undefined) {
      const L = loop.us.length;
      const o = loopOffset.get(k)!;
      const u = loop.uSide === 'param' ? `P[C[${o} + j]]` : `V[vo + C[${o} + j]]`;
      const v = loop.vSide === 'param' ? `P[C[${o + L} + j]]` : `V[vo + C[${o + L} + j]]`;
      const term = fill(mul.js.forward, u, v, '', '');
      forward.push(`let v${k} = ${value(loop.chain.c)};`);
      forward.push(`for (let j = 0; j < ${L}; j++) v${k} = ${fill(add.js.forward, `v${k}`, `(${term})`, '', '')};`);
    } else if (n.kind === 'input') forward.push(`const v${k} = X[xo + ${n.index}];`);
    else if (n.kind === 'op') {
      forward.push(`const v${k} = ${fill(PRIMITIVES[n.op].js.forward, value(n.a), n.b >= 0 ? value(n.b) : '', literal(n.arg), '')};`);
    }
    const s = slot.get(k);
    if (s !== undefined) forward.push(`V[vo + ${s}] = v${k};`);
  });
  forward.push(...tape.outputs.map((k, j) => `O[oo + ${j}] = ${value(k)};`));

  // Backward: values come back from V. A gradient is a local declared at its first
  // contribution (as `0 + c`, which is what eager mode computes from its zeroed grad), or a
  // GS entry when a loop adds into it; parameters' gradients go straight to G.
  const stored = (k: number): string => {
    const n = nodes[k]!;
    return n.kind === 'const' ? literal(n.value) : n.kind === 'param' ? `P[${n.index}]` : `V[vo + ${slot.get(k)!}]`;
  };
  const declared = new Set<number>();
  const backward: string[] = ['GS.fill(0);'];
  const contribute = (k: number, term: string) => {
    const n = nodes[k]!;
    if (!needsGrad[k]) return;
    if (n.kind === 'param') backward.push(`G[${n.index}] += ${term};`);
    else if (inArray.has(k)) backward.push(`GS[${slot.get(k)!}] += ${term};`);
    else if (declared.has(k)) backward.push(`g${k} += ${term};`);
    else {
      declared.add(k);
      backward.push(`let g${k} = 0 + ${term};`);
    }
  };
  const grad = (k: number) => (inArray.has(k) ? `GS[${slot.get(k)!}]` : declared.has(k) ? `g${k}` : '0');
  tape.outputs.forEach((k, j) => {
    contribute(k, `S[so + ${j}]`);
  });
  const groups = handoff === null ? null : sampleHandoffs(tape, handoff.perSample);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k]!;
    const loop = loopAt.get(k);
    if (loop !== undefined && needsGrad[k]) {
      // Eager's steps, last term first (see the interpreter's chain for the reasoning).
      const L = loop.us.length;
      const o = loopOffset.get(k)!;
      const u = loop.uSide === 'param' ? `P[C[${o} + j]]` : `V[vo + C[${o} + j]]`;
      const v = loop.vSide === 'param' ? `P[C[${o + L} + j]]` : `V[vo + C[${o + L} + j]]`;
      const gu = loop.uSide === 'param' ? `G[C[${o} + j]]` : `GS[C[${o} + j]]`;
      const gv = loop.vSide === 'param' ? `G[C[${o + L} + j]]` : `GS[C[${o + L} + j]]`;
      const wantU = loop.us.some((x) => needsGrad[x]);
      const wantV = loop.vs.some((x) => needsGrad[x]);
      const body = [
        `const gm = 0 + (${add.js.db}) * gs${k};`,
        `if (j === 0) { gc${k} = (${add.js.da}) * gs${k}; } else { gs${k} = 0 + (${add.js.da}) * gs${k}; }`,
        wantU ? `${gu} += (${fill(mul.js.da, u, v, '', '')}) * gm;` : '',
        wantV ? `${gv} += (${fill(mul.js.db, u, v, '', '')}) * gm;` : '',
      ];
      backward.push(`let gs${k} = ${grad(k)}; let gc${k} = 0;`);
      backward.push(`for (let j = ${L - 1}; j >= 0; j--) { ${body.filter((line) => line !== '').join(' ')} }`);
      contribute(loop.chain.c, `gc${k}`);
    } else if (n.kind === 'op' && !absorbed.has(k) && needsGrad[k] && (declared.has(k) || inArray.has(k))) {
      const spec = PRIMITIVES[n.op];
      const a = stored(n.a);
      const b = n.b >= 0 ? stored(n.b) : '';
      const y = stored(k);
      const g = grad(k);
      contribute(n.a, `(${fill(spec.js.da, a, b, literal(n.arg), y)}) * ${g}`);
      if ('db' in spec.js) contribute(n.b, `(${fill(spec.js.db, a, b, literal(n.arg), y)}) * ${g}`);
    }
    const handoffAt = groups?.get(k);
    if (handoffAt !== undefined) {
      for (const [j, member] of handoffAt.members) {
        backward.push(`GX[${j}] = ${member === -1 ? '0' : grad(member)};`);
      }
      backward.push(`sample(${handoffAt.sample});`);
    }
  }

  const fwd = new Function('X', 'xo', 'P', 'V', 'vo', 'O', 'oo', 'C', `'use strict';\n${forward.join('\n')}`) as Forward;
  const bwd = new Function(
    'V', 'vo', 'P', 'G', 'S', 'so', 'GX', 'sample', 'C', 'GS',
    `'use strict';\n${backward.join('\n')}`,
  ) as Backward;
  return {
    source: `${fwd.toString()}\n${bwd.toString()}`,
    size: slot.size,
    forward: (X, xo, V, vo, O, oo) => {
      fwd(X, xo, P, V, vo, O, oo, C);
    },
    backward: (V, vo, S, so, GX, sample) => {
      bwd(V, vo, P, G, S, so, GX, sample, C, GS);
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
