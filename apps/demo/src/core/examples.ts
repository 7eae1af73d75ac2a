import { Value } from '@mg/engine';

/** One of the lecture's small worked examples, after `backward()`. */
export interface Example {
  /** A file-name-friendly name, e.g. `'neuron'`. */
  readonly name: string;
  /** What it computes, in one line. */
  readonly title: string;
  /** The final value, whose graph to draw. */
  readonly root: Value;
  /** The labelled values worth printing, in the order the lecture introduces them. */
  readonly values: readonly Value[];
}

/**
 * The seed examples of the micrograd lectures and the engine README's example, built
 * and back-propagated.
 *
 * @returns fresh graphs, one per example
 * @example
 * ```ts
 * const [first] = seedExamples();
 * first.root.data; // b = tanh(x + y) * x = 1.9999092042625951
 * ```
 */
export function seedExamples(): Example[] {
  return [xyzExample(), neuronExample(), expressionExample(), readmeExample()];
}

function labelled(data: number, label: string): Value {
  return new Value(data, { label });
}

function named<T extends Value>(v: T, label: string): T {
  v.label = label;
  return v;
}

function xyzExample(): Example {
  const x = labelled(2, 'x');
  const y = labelled(3, 'y');
  const z = named(x.add(y), 'z');
  const a = named(z.tanh(), 'a');
  const b = named(a.mul(x), 'b');
  b.backward();
  return {
    name: 'tanh-xy',
    title: 'x = 2, y = 3; z = x + y; a = tanh(z); b = a * x',
    root: b,
    values: [x, y, z, a, b],
  };
}

function neuronExample(): Example {
  const x1 = labelled(2, 'x1');
  const x2 = labelled(0, 'x2');
  const w1 = labelled(-3, 'w1');
  const w2 = labelled(1, 'w2');
  const b = labelled(6.8813735870195432, 'b');
  const x1w1 = named(x1.mul(w1), 'x1*w1');
  const x2w2 = named(x2.mul(w2), 'x2*w2');
  const sum = named(x1w1.add(x2w2), 'x1*w1 + x2*w2');
  const n = named(sum.add(b), 'n');
  const o = named(n.tanh(), 'o');
  o.backward();
  return { name: 'neuron', title: 'o = tanh(x1*w1 + x2*w2 + b)', root: o, values: [x1, x2, w1, w2, b, n, o] };
}

function expressionExample(): Example {
  const a = labelled(2, 'a');
  const b = labelled(-3, 'b');
  const c = labelled(10, 'c');
  const f = labelled(-2, 'f');
  const e = named(a.mul(b), 'e');
  const d = named(e.add(c), 'd');
  const L = named(d.mul(f), 'L');
  L.backward();
  return {
    name: 'expression',
    title: 'e = a * b; d = e + c; L = d * f',
    root: L,
    values: [a, b, c, e, d, f, L],
  };
}

/** The engine README's example (micrograd's README), its numbers checked against PyTorch. */
function readmeExample(): Example {
  const a = labelled(-4.0, 'a');
  const b = labelled(2.0, 'b');
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(new Value(1).add(c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2.0);
  g = named(g.add(new Value(10.0).div(f)), 'g');
  g.backward();
  return { name: 'readme', title: "the engine README's expression g(a, b)", root: g, values: [a, b, g] };
}
