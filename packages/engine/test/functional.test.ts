import { describe, expect, it } from 'vitest';
import { Value, add, div, dot, mul, sub, sum, topologicalOrder, valueAndGrad } from '../src/index.js';
import { ParameterSet, trace } from '../src/compile/trace.js';
import { findChains } from '../src/compile/fuse.js';
import { expectRelativelyClose } from './close.js';

/** The graph as a list of ops (leaves by their data), in topological order: its shape. */
const shape = (root: Value) =>
  topologicalOrder(root).map((v) => (v.op === '' ? v.data : `${v.op}${v.op === 'pow' ? v.arg : ''}`));

describe('valueAndGrad', () => {
  it("gives micrograd's sanity check: y(-4) = -20, dy/dx = 46", () => {
    const f = valueAndGrad((x) => {
      const z = mul(2, x).add(2).add(x);
      const q = z.relu().add(z.mul(x));
      const h = z.mul(z).relu();
      return h.add(q).add(q.mul(x));
    });

    const result = f(-4);

    expect(result).toEqual({ value: -20, grads: [46] });
  });

  it("gives micrograd's test_more_ops values, written with micrograd's reflected operators (checked with PyTorch, float64)", () => {
    const f = valueAndGrad((a, b) => {
      let c = a.add(b);
      let d = a.mul(b).add(b.pow(3));
      c = c.add(c.add(1));
      c = c.add(add(1, c).add(a.neg())); // c += 1 + c + (-a)
      d = d.add(d.mul(2).add(b.add(a).relu()));
      d = d.add(mul(3, d).add(b.sub(a).relu())); // d += 3 * d + (b - a).relu()
      const e = c.sub(d);
      const g = e.pow(2);
      return g.div(2.0).add(div(10.0, g)); // g / 2.0 + 10.0 / g
    });

    const { value, grads } = f(-4, 2);

    expectRelativelyClose(value, 24.70408163265306);
    expectRelativelyClose(grads[0]!, 138.83381924198252);
    expectRelativelyClose(grads[1]!, 645.5772594752186);
  });

  it('changes no grad anywhere: not the captured parameters, not the ones it made', () => {
    const w = new Value(-0.5);
    w.grad = 7;
    const f = valueAndGrad((x) => x.mul(w).tanh());

    const first = f(2);
    const second = f(2);

    expect(first).toEqual(second);
    expect(first.grads[0]).toBe(-0.5 * (1 - Math.tanh(-1) ** 2));
    expect(w.grad).toBe(7);
  });

  it('gives 0 for an argument the result does not depend on, and 1 when it returns an argument', () => {
    const ignoreSecond = valueAndGrad((x) => x.exp());
    const identity = valueAndGrad((_x, y) => y);

    expect(ignoreSecond(0, 5)).toEqual({ value: 1, grads: [1, 0] });
    expect(identity(3, 4)).toEqual({ value: 4, grads: [0, 1] });
  });
});

describe('sub, div, add, mul', () => {
  it('match PyTorch on one expression using each of them and sum and dot', () => {
    // PyTorch, float64: x, y, w = 0.75, -1.5, 2.5
    // s = (1 - y) * (1 / x) + (x + y + x*y) + (w + x*y + y*3.0); out = s.tanh(); out.backward()
    const f = valueAndGrad((x, y, w) => {
      const s = sub(1, y)
        .mul(div(1, x))
        .add(sum([x, y, x.mul(y)]))
        .add(dot([x, y], [y, 3], w));
      return s.tanh();
    });

    const { value, grads } = f(0.75, -1.5, 2.5);

    expectRelativelyClose(value, -0.9311096086675777);
    expectRelativelyClose(grads[0]!, -0.8573360006134214);
    expectRelativelyClose(grads[1]!, 0.554312069362126);
    expectRelativelyClose(grads[2]!, 0.13303489664691023);
  });

  it("build micrograd's reflected forms: 1 - y is (y * -1) + 1, 1 / x is (x ** -1) * 1", () => {
    const y = new Value(0.25);
    const x = new Value(4);

    const difference = sub(1, y);
    const quotient = div(1, x);
    difference.backward();
    quotient.backward();

    expect(shape(difference)).toEqual([0.25, -1, 'mul', 1, 'add']);
    expect(shape(quotient)).toEqual([4, 'pow-1', 1, 'mul']);
    expect([difference.data, y.grad, quotient.data, x.grad]).toEqual([0.75, -1, 0.25, -0.0625]);
  });

  it('are the methods when the first operand is a Value', () => {
    const a = new Value(6);

    expect([add(a, 2), sub(a, 2), mul(a, 2), div(a, 2)].map(shape)).toEqual(
      [a.add(2), a.sub(2), a.mul(2), a.div(2)].map(shape),
    );
  });
});

describe('sum', () => {
  it("is micrograd's sum(xs): ((x0 + 0) + x1) + x2, Python's start of 0 included", () => {
    const xs = [new Value(1), new Value(2), new Value(3)];

    const s = sum(xs);
    s.backward();

    expect(shape(s)).toEqual([1, 0, 'add', 2, 'add', 3, 'add']);
    expect([s.data, ...xs.map((x) => x.grad)]).toEqual([6, 1, 1, 1]);
  });

  it('starts from a Value start, as a neuron starts from its bias', () => {
    const b = new Value(0.5);
    const xs = [new Value(1), new Value(2)];

    const s = sum(xs, b);

    expect(s.children[0]!.children).toEqual([b, xs[0]]);
    expect(shape(s)).toEqual([0.5, 1, 'add', 2, 'add']);
  });

  it('adds numbers before the first Value as numbers, as Python does', () => {
    const x = new Value(0.5);

    const s = sum([1, 2, x, 4]); // ((0 + 1 + 2) + x) + 4 = (x + 3) + 4

    expect(shape(s)).toEqual([0.5, 3, 'add', 4, 'add']);
    expect(s.data).toBe(7.5);
  });

  it('gives start when there is nothing to add, and a constant for numbers only', () => {
    const b = new Value(2);

    expect(sum([], b)).toBe(b);
    expect([sum([1, 2]).data, sum([1, 2]).op]).toEqual([3, '']);
  });
});

describe('dot', () => {
  it("builds a neuron's chain ((b + w0*x0) + w1*x1) + ..., node for node", () => {
    const w = [new Value(2), new Value(-3), new Value(0.5)];
    const x = [new Value(1.5), new Value(0.25), new Value(-2)];
    const b = new Value(1);

    const y = dot(w, x, b);
    const byHand = b.add(w[0]!.mul(x[0]!)).add(w[1]!.mul(x[1]!)).add(w[2]!.mul(x[2]!));

    expect(shape(y)).toEqual(shape(byHand));
    expect(y.children[0]!.children[0]!.children[0]).toBe(b);
    expect(y.data).toBe(byHand.data);
  });

  it('without a bias starts from the first product: (w0*x0 + w1*x1) + w2*x2', () => {
    const y = dot([1, 2, 3], [new Value(4), new Value(5), new Value(6)]);

    expect(shape(y)).toEqual([4, 1, 'mul', 5, 2, 'mul', 'add', 6, 3, 'mul', 'add']);
    expect(y.data).toBe(32);
  });

  it('multiplies two numbers as numbers, as Python does, so constant terms add no node', () => {
    const w = new Value(-3);
    const b = new Value(1);

    const y = dot([2, w, 0.5], [4, 5, 6], b);
    y.backward();

    // Python: sum((wi * xi for ...), b) is ((b + 8) + w*5) + 3.
    expect(shape(y)).toEqual([1, 8, 'add', -3, 5, 'mul', 'add', 3, 'add']);
    expect([y.data, w.grad, b.grad]).toEqual([-3, 5, 1]);
    // Without a bias, a number first: Python's number + Value is the Value plus the number.
    expect(shape(dot([2, w], [4, 5]))).toEqual([-3, 5, 'mul', 8, 'add']);
    expect(dot([2, 3], [4, 5]).data).toBe(23);
    expect(dot([2, 3], [4, 5]).op).toBe('');
  });

  it('refuses a product or sum of numbers that overflows, naming the term', () => {
    expect(() => dot([1e200, 1], [1e200, 2])).toThrow(
      /^dot: result is Infinity for 1e\+200 \* 1e\+200 at term 0 \(values must stay finite\)$/,
    );
    expect(() => dot([1e308, 1e308], [1, 1])).toThrow(
      /^dot: result is Infinity for 1e\+308 \+ 1e\+308 at term 1 \(values must stay finite\)$/,
    );
    expect(() => dot([1, 'x' as never], [1, 2])).toThrow(
      /^dot: ws\[1\] must be a Value or a finite number, got /,
    );
  });

  it('is the chain compiled mode fuses into one instruction', () => {
    const w = [0.1, -0.2, 0.3, 0.4].map((v) => new Value(v));
    const b = new Value(0.5);
    const params = new ParameterSet();

    const tape = trace((x) => [dot(w, x, b).tanh()], 4, params);

    expect([...findChains(tape).values()].map((c) => c.muls.length)).toEqual([4]);
  });
});
