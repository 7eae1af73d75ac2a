// Small models and data built with engine ops only, in micrograd's operand order, shared by
// the compiled-mode tests: each exists once as an eager graph and once as a traced function.
import { Value } from '../src/index.js';
import { pySum } from '@mg/test-utils';

export { pySum };

/** A tiny deterministic generator (tests must not use Math.random). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

/** An MLP as micrograd builds it: per neuron `((b + w0*x0) + w1*x1) + ...`, then the activation. */
export class TinyMLP {
  readonly layers: { w: Value[][]; b: Value[]; act: Activation }[];

  constructor(sizes: number[], acts: Activation[], seed: number) {
    const rand = lcg(seed);
    this.layers = acts.map((act, l) => ({
      w: Array.from({ length: sizes[l + 1]! }, () =>
        Array.from({ length: sizes[l]! }, () => new Value(rand() * 2 - 1)),
      ),
      b: Array.from({ length: sizes[l + 1]! }, () => new Value(rand() * 0.2 - 0.1)),
      act,
    }));
  }

  parameters(): Value[] {
    return this.layers.flatMap((l) => [...l.w.flatMap((row, i) => [...row, l.b[i]!])]);
  }

  forward(x: (Value | number)[]): Value[] {
    let h: (Value | number)[] = x;
    for (const { w, b, act } of this.layers) {
      h = w.map((row, i) => {
        let s = b[i]!;
        row.forEach((wi, j) => (s = s.add(wi.mul(h[j]!))));
        return act === 'linear' ? s : s[act]();
      });
    }
    return h as Value[];
  }
}

/** `count` points of two interleaved half circles with labels ±1 (deterministic). */
export function moons(count: number, seed: number): { x: [number, number]; y: number }[] {
  const rand = lcg(seed);
  return Array.from({ length: count }, (_, i) => {
    const t = Math.PI * rand();
    const outer = i % 2 === 0;
    const x: [number, number] = outer
      ? [Math.cos(t) + 0.1 * (rand() - 0.5), Math.sin(t) + 0.1 * (rand() - 0.5)]
      : [1 - Math.cos(t) + 0.1 * (rand() - 0.5), 0.5 - Math.sin(t) + 0.1 * (rand() - 0.5)];
    return { x, y: outer ? -1 : 1 };
  });
}
