import { describe, expect, it } from 'vitest';
import { Value, topologicalOrder } from '../src/index.js';

describe('Value.backward', () => {
  it('adds gradients when a node is reused (b = a + a; c = b + b gives a.grad 4)', () => {
    const a = new Value(3);
    const b = a.add(a);
    const c = b.add(b);

    c.backward();

    expect([c.data, b.grad, a.grad]).toEqual([12, 2, 4]);
  });

  it('sums both paths of a diamond graph', () => {
    // d = (x * 2) * (x + 3): two paths from x to d, dd/dx = 2(x + 3) + 2x = 4x + 6.
    const x = new Value(1.5);
    const left = x.mul(2);
    const right = x.add(3);
    const d = left.mul(right);

    d.backward();

    expect([d.data, left.grad, right.grad, x.grad]).toEqual([13.5, 4.5, 3, 12]);
  });

  it('sums the gradient of a constant used many times', () => {
    const k = new Value(0.5);
    const xs = [1, 2, 3, 4].map((v) => new Value(v));
    const out = xs.reduce((s, x) => s.add(x.mul(k)), new Value(0));

    out.backward();

    expect(out.data).toBe(5);
    expect(k.grad).toBe(1 + 2 + 3 + 4);
    expect(xs.map((x) => x.grad)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('sets the root gradient to 1 and leaves values outside the graph untouched', () => {
    const x = new Value(2);
    const unrelated = new Value(7);
    const y = x.tanh();

    y.backward();

    expect([y.grad, unrelated.grad]).toEqual([1, 0]);
  });

  it('accumulates leaf gradients but never compounds interior ones when called twice', () => {
    // micrograd's backward, called twice, adds the interior gradients again and doubles every
    // path below them; here interior gradients are recomputed from zero, leaves add up like PyTorch.
    const a = new Value(2);
    const b = a.mul(3);
    const c = b.mul(b);
    c.backward();
    const once = { a: a.grad, b: b.grad, c: c.grad };

    c.backward();

    expect(once).toEqual({ a: 36, b: 12, c: 1 });
    expect({ a: a.grad, b: b.grad, c: c.grad }).toEqual({ a: 72, b: 12, c: 1 });
  });

  it('gives the single-pass gradients again after zeroGrad', () => {
    const a = new Value(-1.25);
    const w = new Value(0.5);
    const loss = a.mul(w).tanh().pow(2);
    loss.backward();
    const first = [a.grad, w.grad];
    loss.backward();

    loss.zeroGrad();
    loss.backward();

    expect([a.grad, w.grad]).toEqual(first);
  });
});

describe('Value.zeroGrad', () => {
  it('sets the grad of every value of the graph to 0, leaves and constants included', () => {
    const a = new Value(2);
    const b = new Value(-3);
    const out = a.mul(b).add(a.exp()).relu();
    out.backward();
    const nodes = topologicalOrder(out);
    const nonZeroBefore = nodes.filter((v) => v.grad !== 0).length;

    out.zeroGrad();

    expect([nodes.length, nonZeroBefore]).toEqual([6, 6]);
    expect(nodes.filter((v) => v.grad !== 0)).toEqual([]);
  });
});

describe('topologicalOrder', () => {
  it('lists every value once, operands left to right, children before parents', () => {
    const a = new Value(1, { label: 'a' });
    const b = new Value(2, { label: 'b' });
    const c = a.mul(b);
    c.label = 'c';
    const d = c.add(a);
    d.label = 'd';
    const e = d.mul(c);
    e.label = 'e';

    const order = topologicalOrder(e);

    expect(order.map((v) => v.label)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('orders a 1,000,000-op chain without overflowing the stack', () => {
    const x = new Value(0);
    let v = x;
    for (let i = 0; i < 1_000_000; i++) v = v.tanh();

    const order = topologicalOrder(v);

    expect(order).toHaveLength(1_000_001);
    expect([order[0], order[1_000_000]]).toEqual([x, v]);
  });
});

describe('deep graphs', () => {
  it('builds and back-propagates a 1,000,000-op chain without overflowing the stack', () => {
    const x = new Value(0.5);
    const one = new Value(1);
    let v = x;
    for (let i = 0; i < 1_000_000; i++) v = v.add(one);

    v.backward();

    expect(v.data).toBe(1_000_000.5);
    expect([x.grad, one.grad]).toEqual([1, 1_000_000]);
  });

  it('back-propagates through a 1,000,000-op chain of mixed ops', () => {
    // Each step is y = (x * 1 + 0) with alternating op kinds; the gradient stays exactly 1.
    const x = new Value(3);
    let v = x;
    for (let i = 0; i < 500_000; i++) v = v.mul(1).add(0);

    v.backward();

    expect([v.data, x.grad]).toEqual([3, 1]);
  });
});
