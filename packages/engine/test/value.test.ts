import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Value } from '../src/index.js';

describe('Value', () => {
  it('starts as a leaf with grad 0, an empty label and no children', () => {
    const v = new Value(2.5);

    expect([v.data, v.grad, v.label, v.op, v.children, v.arg]).toEqual([2.5, 0, '', '', [], 0]);
  });

  it('records the op, the operands in order and the exponent of pow', () => {
    const a = new Value(3);
    const b = new Value(4);

    const sum = a.add(b);
    const cube = a.pow(3);

    expect([sum.op, sum.children, sum.arg]).toEqual(['add', [a, b], 0]);
    expect([cube.op, cube.children, cube.arg, cube.data]).toEqual(['pow', [a], 3, 27]);
  });

  it('returns the same children array on every read, and one shared empty array for leaves', () => {
    const a = new Value(1);
    const b = new Value(2);
    const out = a.mul(b);

    const first = out.children;

    expect(out.children).toBe(first);
    expect(first).toEqual([a, b]);
    expect(a.children).toBe(b.children);
  });

  it('turns a number operand into a constant leaf', () => {
    const a = new Value(3);

    const out = a.mul(2);

    expect([out.children[1]?.op, out.children[1]?.data, out.data]).toEqual(['', 2, 6]);
  });

  it('accepts a new finite number through the data setter', () => {
    const v = new Value(1);

    v.data = -0.25;

    expect(v.data).toBe(-0.25);
  });
});

describe('Value.toString', () => {
  it("shows data and grad like micrograd's repr", () => {
    const v = new Value(-4);

    expect(String(v)).toBe('Value(data=-4, grad=0)');
  });

  it('shows the gradient after backward and the label when there is one', () => {
    const x = new Value(3, { label: 'x' });
    const y = x.mul(x);

    y.backward();

    expect(x.toString()).toBe('Value(data=3, grad=6, label="x")');
    expect(String(y)).toBe('Value(data=9, grad=1)');
  });

  it('keeps the sign of -0, as micrograd shows -0.0, in toString and in op messages', () => {
    const v = new Value(-0);
    v.grad = -0;

    expect(String(v)).toBe('Value(data=-0, grad=-0)');
    expect(() => v.log()).toThrow(/^log: argument must be positive, got -0$/);
    expect(() => new Value(1).div(new Value(-0))).toThrow(
      /^div: division by zero \(Value\(data=1, grad=0\) \/ Value\(data=-0, grad=0\)\)$/,
    );
  });

  it('is what console.log prints for a Value in Node', () => {
    const v = new Value(2, 'a');

    expect(inspect(v)).toBe('Value(data=2, grad=0, label="a")');
    expect(inspect([v])).toBe('[ Value(data=2, grad=0, label="a") ]');
  });
});

describe('new Value with a label', () => {
  it("takes the label as a string, as micrograd's label=, or as { label }", () => {
    const positional = new Value(2, 'a');
    const named = new Value(2, { label: 'a' });

    expect([positional.label, named.label, new Value(2).label]).toEqual(['a', 'a', '']);
  });

  it('lets the label be set to another string', () => {
    const v = new Value(1, 'v');

    v.label = 'w';

    expect(v.label).toBe('w');
  });
});

describe('Value.children', () => {
  it('is a frozen list: pushing onto it throws instead of listing an operand backward never sees', () => {
    const a = new Value(2);
    const y = a.mul(3);

    expect(Object.isFrozen(y.children)).toBe(true);
    expect(() => (y.children as Value[]).push(new Value(1))).toThrow(TypeError);
    expect(y.children).toHaveLength(2);
  });
});
