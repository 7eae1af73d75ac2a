/**
 * The primitive operations: each one's forward value and local derivatives, side by side.
 *
 * Everything else (`neg`, `sub`, `div`, reductions, losses) is composed from these, so these
 * few lines are the whole calculus of the engine. Eager mode, the compiled interpreter and the
 * JavaScript code generator all read this one table, which is why they agree bit for bit.
 *
 * `a` and `b` are the operands' data, `k` a constant attribute (the exponent of `pow`), `y` the
 * forward result. `da`/`db` return d y / d a and d y / d b; backward multiplies them by the
 * incoming gradient and adds the product to the operand's gradient, exactly as micrograd does.
 * `js` spells the same expressions for compiled mode's code generator (identifiers a, b, k, y are
 * replaced by operands; every expression must compute exactly what its function computes).
 */
export const PRIMITIVES = {
  add: {
    arity: 2,
    forward: (a: number, b: number) => a + b,
    da: () => 1,
    db: () => 1,
    js: { forward: 'a + b', da: '1', db: '1' },
  },
  mul: {
    arity: 2,
    forward: (a: number, b: number) => a * b,
    da: (_a: number, b: number) => b,
    db: (a: number) => a,
    js: { forward: 'a * b', da: 'b', db: 'a' },
  },
  pow: {
    arity: 1,
    forward: (a: number, _b: number, k: number) => a ** k,
    da: (a: number, _b: number, k: number) => k * a ** (k - 1),
    js: { forward: 'a ** k', da: 'k * a ** (k - 1)' },
  },
  exp: {
    arity: 1,
    forward: (a: number) => Math.exp(a),
    da: (_a: number, _b: number, _k: number, y: number) => y,
    js: { forward: 'Math.exp(a)', da: 'y' },
  },
  log: {
    arity: 1,
    forward: (a: number) => Math.log(a),
    da: (a: number) => 1 / a,
    js: { forward: 'Math.log(a)', da: '1 / a' },
  },
  tanh: {
    arity: 1,
    forward: (a: number) => Math.tanh(a),
    da: (_a: number, _b: number, _k: number, y: number) => 1 - y * y,
    js: { forward: 'Math.tanh(a)', da: '1 - y * y' },
  },
  relu: {
    arity: 1,
    forward: (a: number) => (a < 0 ? 0 : a),
    da: (_a: number, _b: number, _k: number, y: number) => (y > 0 ? 1 : 0),
    js: { forward: '(a < 0 ? 0 : a)', da: '(y > 0 ? 1 : 0)' },
  },
  sigmoid: {
    arity: 1,
    forward: (a: number) => 1 / (1 + Math.exp(-a)),
    da: (_a: number, _b: number, _k: number, y: number) => y * (1 - y),
    js: { forward: '1 / (1 + Math.exp(-a))', da: 'y * (1 - y)' },
  },
} as const satisfies Record<PrimitiveOp, unknown>; // exactly these ops, no more, no fewer

/** The name of a primitive operation. */
export type PrimitiveOp = 'add' | 'mul' | 'pow' | 'exp' | 'log' | 'tanh' | 'relu' | 'sigmoid';

/** The op that produced a {@link Value}: a primitive's name, or `''` for a leaf. */
export type Op = PrimitiveOp | '';
