/**
 * The primitive operations: each one's forward value and local derivatives, side by side.
 *
 * Everything else (`neg`, `sub`, `div`, reductions, losses) is composed from these, so these
 * few lines are the whole calculus of the engine. Eager mode, compiled mode's interpreter and
 * its WebAssembly generator all read this one table, which is why they agree bit for bit.
 *
 * `a` and `b` are the operands' data, `k` a constant attribute (the exponent of `pow`), `y` the
 * forward result. `da`/`db` return d y / d a and d y / d b; backward multiplies them by the
 * incoming gradient and adds the product to the operand's gradient, exactly as micrograd does.
 * `wasm` spells the same expressions for compiled mode's WebAssembly back end, as stack code:
 * `'a'`, `'b'`, `'k'`, `'y'` push an operand, a number pushes that constant, `'exp'`, `'log'`,
 * `'tanh'` and `'pow'` call JavaScript's `Math` (so every result equals eager mode's) and any
 * other word is the f64 instruction of that name (`'f64.add'`; `'select'` picks its first
 * operand when the comparison below it is true). Each spelling must compute exactly what its
 * function computes; a test runs both on edge cases.
 */
export const PRIMITIVES = {
  add: {
    arity: 2,
    forward: (a: number, b: number) => a + b,
    da: () => 1,
    db: () => 1,
    wasm: { forward: ['a', 'b', 'f64.add'], da: [1], db: [1] },
  },
  mul: {
    arity: 2,
    forward: (a: number, b: number) => a * b,
    da: (_a: number, b: number) => b,
    db: (a: number) => a,
    wasm: { forward: ['a', 'b', 'f64.mul'], da: ['b'], db: ['a'] },
  },
  pow: {
    arity: 1,
    forward: (a: number, _b: number, k: number) => a ** k,
    // x ** 0 is 1 everywhere, so its derivative is 0 everywhere, as PyTorch gives it: at 0 the
    // formula would be 0 * Infinity (NaN).
    da: (a: number, _b: number, k: number) => (k === 0 ? 0 : k * a ** (k - 1)),
    wasm: {
      forward: ['a', 'k', 'pow'],
      da: [0, 'k', 'a', 'k', 1, 'f64.sub', 'pow', 'f64.mul', 'k', 0, 'f64.eq', 'select'],
    },
  },
  exp: {
    arity: 1,
    forward: (a: number) => Math.exp(a),
    da: (_a: number, _b: number, _k: number, y: number) => y,
    wasm: { forward: ['a', 'exp'], da: ['y'] },
  },
  log: {
    arity: 1,
    forward: (a: number) => Math.log(a),
    da: (a: number) => 1 / a,
    wasm: { forward: ['a', 'log'], da: [1, 'a', 'f64.div'] },
  },
  tanh: {
    arity: 1,
    forward: (a: number) => Math.tanh(a),
    da: (_a: number, _b: number, _k: number, y: number) => 1 - y * y,
    wasm: { forward: ['a', 'tanh'], da: [1, 'y', 'y', 'f64.mul', 'f64.sub'] },
  },
  relu: {
    arity: 1,
    forward: (a: number) => (a < 0 ? 0 : a),
    da: (_a: number, _b: number, _k: number, y: number) => (y > 0 ? 1 : 0),
    wasm: { forward: [0, 'a', 'a', 0, 'f64.lt', 'select'], da: [1, 0, 'y', 0, 'f64.gt', 'select'] },
  },
  sigmoid: {
    arity: 1,
    forward: (a: number) => 1 / (1 + Math.exp(-a)),
    da: (_a: number, _b: number, _k: number, y: number) => y * (1 - y),
    wasm: {
      forward: [1, 1, 'a', 'f64.neg', 'exp', 'f64.add', 'f64.div'],
      da: ['y', 1, 'y', 'f64.sub', 'f64.mul'],
    },
  },
} as const satisfies Record<PrimitiveOp, Primitive>; // exactly these ops, no more, no fewer

/** One word of a WebAssembly spelling in {@link PRIMITIVES} (see there). */
export type WasmWord =
  number | 'a' | 'b' | 'k' | 'y' | 'exp' | 'log' | 'tanh' | 'pow' | `f64.${string}` | 'select';

/** A row of {@link PRIMITIVES}. */
interface Primitive {
  readonly arity: 1 | 2;
  readonly forward: (a: number, b: number, k: number) => number;
  readonly da: (a: number, b: number, k: number, y: number) => number;
  readonly db?: (a: number, b: number, k: number, y: number) => number;
  readonly wasm: {
    readonly forward: readonly WasmWord[];
    readonly da: readonly WasmWord[];
    readonly db?: readonly WasmWord[];
  };
}

/** The name of a primitive operation. */
export type PrimitiveOp = 'add' | 'mul' | 'pow' | 'exp' | 'log' | 'tanh' | 'relu' | 'sigmoid';

/** The op that produced a {@link Value}: a primitive's name, or `''` for a leaf. */
export type Op = PrimitiveOp | '';

/**
 * Why a primitive has no finite result at these operands when it is outside its domain (not
 * when it merely overflows), in the words eager mode's own errors use; null inside the domain.
 * Compiled mode adds it to the error that names the op, so a division by zero reads as one.
 */
export function outsideDomain(op: PrimitiveOp, a: number, k: number): string | null {
  if (op === 'log' && !(a > 0)) return "log's argument must be positive";
  if (op !== 'pow') return null;
  if (a < 0 && !Number.isInteger(k)) return 'a negative base with a fractional exponent has no real value';
  if (a === 0 && k < 0) return '0 to a negative power is a division by zero (x / y is x * y ** -1)';
  return null;
}
