import { Value } from '@mg/engine';

/** Names a value for the drawing and returns it, like micrograd's `e = a*b; e.label = 'e'`. */
export function named(v: Value, label: string): Value {
  v.label = label;
  return v;
}

/** Lecture 1: `x = 2, y = 3; z = x + y; a = tanh(z); b = a * x`, then `b.backward()`. */
export function tanhExample() {
  const x = new Value(2, { label: 'x' });
  const y = new Value(3, { label: 'y' });
  const z = named(x.add(y), 'z');
  const a = named(z.tanh(), 'a');
  const b = named(a.mul(x), 'b');
  b.backward();
  return { root: b, values: { x, y, z, a, b } };
}

/** Lecture 1's neuron: `n = x1*w1 + x2*w2 + b; o = tanh(n)`, then `o.backward()`. */
export function neuronExample() {
  const x1 = new Value(2, { label: 'x1' });
  const x2 = new Value(0, { label: 'x2' });
  const w1 = new Value(-3, { label: 'w1' });
  const w2 = new Value(1, { label: 'w2' });
  const b = new Value(6.8813735870195432, { label: 'b' });
  const x1w1 = named(x1.mul(w1), 'x1*w1');
  const x2w2 = named(x2.mul(w2), 'x2*w2');
  const x1w1x2w2 = named(x1w1.add(x2w2), 'x1*w1 + x2*w2');
  const n = named(x1w1x2w2.add(b), 'n');
  const o = named(n.tanh(), 'o');
  o.backward();
  return { root: o, values: { x1, x2, w1, w2, b, x1w1, x2w2, x1w1x2w2, n, o } };
}

/** Lecture 1: `e = a*b; d = e + c; L = d*f`, then `L.backward()`. */
export function lossExample() {
  const a = new Value(2, { label: 'a' });
  const b = new Value(-3, { label: 'b' });
  const c = new Value(10, { label: 'c' });
  const f = new Value(-2, { label: 'f' });
  const e = named(a.mul(b), 'e');
  const d = named(e.add(c), 'd');
  const L = named(d.mul(f), 'L');
  L.backward();
  return { root: L, values: { a, b, c, f, e, d, L } };
}

export const seeds = [
  ['x, y, z = x + y, a = tanh(z), b = a * x', tanhExample],
  ['the neuron o = tanh(x1*w1 + x2*w2 + b)', neuronExample],
  ['L = (a*b + c) * f', lossExample],
] as const;
