import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Value, compile, gradcheck, topologicalOrder } from '../src/index.js';

// Each op's backward() against central differences, over random points of its domain.
// Inputs stay away from non-differentiable points (relu at 0) and domain edges (log near 0),
// where a finite difference does not estimate the derivative.

const real = (min: number, max: number) => fc.double({ min, max, noNaN: true });
/** |x| in [min, max], either sign: keeps x away from 0. */
const awayFromZero = (min: number, max: number) => fc.oneof(real(min, max), real(-max, -min));

/** Fixed seeds keep runs reproducible; a failure prints its counterexample and seed. */
const runs = (numRuns: number) => ({ numRuns, seed: 0x6d67 });

function expectGradientsMatch(fn: (xs: Value[]) => Value, xs: number[]): void {
  const result = gradcheck(fn, xs);
  expect(result.ok, JSON.stringify({ xs, result })).toBe(true);
}

interface OpCase {
  name: string;
  fn: (xs: Value[]) => Value;
  domain: fc.Arbitrary<number[]>;
}

const unary = (min: number, max: number) => fc.tuple(real(min, max));
const binary = (a: fc.Arbitrary<number>, b: fc.Arbitrary<number>) => fc.tuple(a, b);

const cases: OpCase[] = [
  { name: 'add', fn: ([x, y]) => x!.add(y!), domain: binary(real(-100, 100), real(-100, 100)) },
  { name: 'add (number operand)', fn: ([x]) => x!.add(2.5), domain: unary(-100, 100) },
  { name: 'mul', fn: ([x, y]) => x!.mul(y!), domain: binary(real(-10, 10), real(-10, 10)) },
  { name: 'mul (number operand)', fn: ([x]) => x!.mul(-3.25), domain: unary(-10, 10) },
  { name: 'mul (same value twice)', fn: ([x]) => x!.mul(x!), domain: unary(-10, 10) },
  { name: 'sub', fn: ([x, y]) => x!.sub(y!), domain: binary(real(-100, 100), real(-100, 100)) },
  { name: 'sub (number operand)', fn: ([x]) => x!.sub(7), domain: unary(-100, 100) },
  { name: 'neg', fn: ([x]) => x!.neg(), domain: unary(-100, 100) },
  { name: 'div', fn: ([x, y]) => x!.div(y!), domain: binary(real(-10, 10), awayFromZero(0.1, 10)) },
  { name: 'div (number operand)', fn: ([x]) => x!.div(-0.75), domain: unary(-10, 10) },
  { name: 'exp', fn: ([x]) => x!.exp(), domain: unary(-20, 20) },
  { name: 'log', fn: ([x]) => x!.log(), domain: unary(0.01, 100) },
  { name: 'tanh', fn: ([x]) => x!.tanh(), domain: unary(-8, 8) },
  { name: 'relu', fn: ([x]) => x!.relu(), domain: fc.tuple(awayFromZero(1e-3, 10)) },
  { name: 'sigmoid', fn: ([x]) => x!.sigmoid(), domain: unary(-15, 15) },
];

describe('op gradients', () => {
  for (const { name, fn, domain } of cases) {
    it(`matches central differences for ${name} over its domain`, () => {
      fc.assert(
        fc.property(domain, (xs) => {
          expectGradientsMatch(fn, xs);
        }),
        runs(200),
      );
    });
  }
});

describe('pow gradient', () => {
  // The exponent is a constant of the op, not an input: it is drawn here and captured by fn.
  it('matches central differences for a positive base and any exponent', () => {
    fc.assert(
      fc.property(real(0.1, 5), real(-3, 3), (x, k) => {
        expectGradientsMatch(([b]) => b!.pow(k), [x]);
      }),
      runs(200),
    );
  });

  it('matches central differences for a negative base and an integer exponent', () => {
    fc.assert(
      fc.property(real(-5, -0.1), fc.integer({ min: -4, max: 4 }), (x, k) => {
        expectGradientsMatch(([b]) => b!.pow(k), [x]);
      }),
      runs(200),
    );
  });
});

describe('op forward values', () => {
  it('computes each primitive like Math does when given the same number', () => {
    const x = 0.7;

    const results = [new Value(x).exp().data, new Value(x).log().data, new Value(x).tanh().data];

    expect(results).toEqual([Math.exp(x), Math.log(x), Math.tanh(x)]);
  });

  it('computes sigmoid(0) as 0.5 and relu of a negative as 0', () => {
    const zero = new Value(0);

    expect([zero.sigmoid().data, new Value(-3).relu().data, new Value(3).relu().data]).toEqual([0.5, 0, 3]);
  });

  it('builds neg, sub and div from mul, add and pow as micrograd does', () => {
    const a = new Value(6);
    const b = new Value(3);

    const n = a.neg();
    const s = a.sub(b);
    const d = a.div(b);

    expect([n.op, n.children[0], n.children[1]?.data]).toEqual(['mul', a, -1]);
    expect([s.op, s.children[0], s.children[1]?.op, s.children[1]?.children[0]]).toEqual([
      'add',
      a,
      'mul',
      b,
    ]);
    expect([d.op, d.children[0], d.children[1]?.op, d.children[1]?.arg]).toEqual(['mul', a, 'pow', -1]);
    expect([n.data, s.data, d.data]).toEqual([-6, 3, 2]);
  });

  it('subtracts and divides by a number as micrograd does: the number negated or inverted as a number, one node', () => {
    const a = new Value(6);

    const s = a.sub(2);
    const d = a.div(4);

    // micrograd: a - 2 is a + (-2), a / 4 is a * 4 ** -1, both Python numbers: nodes a, constant, op.
    expect(topologicalOrder(s)).toHaveLength(3);
    expect([s.op, s.children[0], s.children[1]?.data]).toEqual(['add', a, -2]);
    expect(topologicalOrder(d)).toHaveLength(3);
    expect([d.op, d.children[0], d.children[1]?.data]).toEqual(['mul', a, 0.25]);
    expect([s.data, d.data]).toEqual([4, 1.5]);
    expect(() => a.div(0)).toThrow(/^div: division by zero/);
    expect(() => a.div(5e-324)).toThrow(/^pow: result is Infinity/);
  });

  it('gives pow with exponent 0 a zero derivative everywhere, 0 included, as PyTorch does', () => {
    for (const a of [0, -0, 5e-324, -5e-324, 3, -2]) {
      const x = new Value(a);

      x.pow(0).backward();

      expect(Object.is(x.grad, 0), `d/dx x ** 0 at ${a}`).toBe(true);
    }
  });

  it('gives pow with exponent 0 the same zero derivative in compiled mode, both back ends', () => {
    for (const backend of ['wasm', 'interpreter'] as const) {
      const w = new Value(0);
      const program = compile(([x]) => w.pow(0).mul(x!), { inputs: 1, backend });

      expect(program.run([2, 3])).toBe(5);
      expect(Object.is(w.grad, 0), backend).toBe(true);
    }
  });

  it('gives relu a zero derivative at 0, as micrograd and PyTorch do', () => {
    const x = new Value(0);

    x.relu().backward();

    expect(x.grad).toBe(0);
  });
});

// Random expression trees over two inputs, from ops that are defined everywhere, so every
// composition is differentiable at every point and its gradient can be checked.
type Expr = (x: Value, y: Value) => Value;

const exprs = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<Expr>(
      (x) => x,
      (_x, y) => y,
    ),
    fc.tuple(tie('expr'), tie('expr')).map(
      ([f, g]): Expr =>
        (x, y) =>
          f(x, y).add(g(x, y)),
    ),
    fc.tuple(tie('expr'), tie('expr')).map(
      ([f, g]): Expr =>
        (x, y) =>
          f(x, y).mul(g(x, y).tanh()),
    ),
    fc.tuple(tie('expr'), tie('expr')).map(
      ([f, g]): Expr =>
        (x, y) =>
          f(x, y).sub(g(x, y).sigmoid()),
    ),
    fc.tuple(tie('expr'), tie('expr')).map(
      ([f, g]): Expr =>
        (x, y) =>
          f(x, y).div(g(x, y).pow(2).add(1)),
    ),
    tie('expr').map(
      (f): Expr =>
        (x, y) =>
          f(x, y).tanh(),
    ),
    tie('expr').map(
      (f): Expr =>
        (x, y) =>
          f(x, y).sigmoid().exp(),
    ),
    tie('expr').map(
      (f): Expr =>
        (x, y) =>
          f(x, y).pow(2).add(1).log(),
    ),
    tie('expr').map(
      (f): Expr =>
        (x, y) =>
          f(x, y).tanh().pow(3),
    ),
  ),
}));

describe('composed op gradients', () => {
  it('match central differences for random expression trees', () => {
    fc.assert(
      fc.property(exprs.expr, real(-2, 2), real(-2, 2), (f, x, y) => {
        expectGradientsMatch(([a, b]) => f(a!, b!), [x, y]);
      }),
      runs(300),
    );
  });

  it('match central differences for a tanh neuron with reused inputs', () => {
    const neuron = ([x, y, w1, w2, b]: Value[]) =>
      b!.add(w1!.mul(x!)).add(w2!.mul(y!)).tanh().mul(x!).add(y!.div(w1!.exp()));

    fc.assert(
      fc.property(fc.tuple(real(-3, 3), real(-3, 3), real(-2, 2), real(-2, 2), real(-1, 1)), (xs) => {
        expectGradientsMatch(neuron, xs);
      }),
      runs(100),
    );
  });
});
