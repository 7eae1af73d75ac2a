import { Value } from './value.js';
import { gradientsOf } from './graph.js';
import { checkData, checkOperand, checkValue, describe, isArray, numberText } from './errors.js';

// Functions for the expressions that read badly as method chains. Each builds the graph Python
// micrograd builds for the same expression, reflected operators included (`1 - y` runs
// `y.__rsub__(1)`, which is `(-y) + 1`), so graphs, node counts and results are the same as
// micrograd's (to the last bit, but for `pow`: see the README's Policies).

/**
 * micrograd's reflected operators: for a number `x` left of a Value `y`, Python runs `x op y` as
 * `y.__rop__(x)`, which builds these nodes (`1 - y` is `(-y) + 1`, `1 / y` is `(y ** -1) * 1`).
 */
const REFLECTED = {
  add: (y: Value, x: Value): Value => y.add(x),
  sub: (y: Value, x: Value): Value => y.neg().add(x),
  mul: (y: Value, x: Value): Value => y.mul(x),
  // `pow` would refuse a zero too, but in its own words: this names the division, as `a.div(0)` does.
  div: (y: Value, x: Value): Value => {
    if (!y._symbolic && y._data === 0) {
      throw new RangeError(`div: division by zero (${describe(x)} / ${describe(y)})`);
    }
    return y.pow(-1).mul(x);
  },
} as const;

/** `a op b` as Python runs it: `a.op(b)` for a Value first, the reflected form for a number first. */
function binary(op: keyof typeof REFLECTED, a: Value | number, b: Value | number): Value {
  if (a instanceof Value) return a[op](b);
  const x = checkOperand(a, op, 'a');
  return REFLECTED[op](checkOperand(b, op, 'b'), x);
}

/**
 * `a + b`. With a number first, micrograd's `2 + y` (`y.__radd__(2)`): `y + 2`.
 *
 * @param a - a Value or a number
 * @param b - a Value or a number
 * @returns a new Value
 * @throws TypeError for an operand that is neither a Value nor a finite number
 *
 * @example
 * ```ts
 * console.log(add(2, new Value(3)).data); // 5
 * ```
 */
export function add(a: Value | number, b: Value | number): Value {
  return binary('add', a, b);
}

/**
 * `a - b`. With a number first, micrograd's `1 - y` (`y.__rsub__(1)`): `(y * -1) + 1`.
 *
 * @param a - a Value or a number
 * @param b - a Value or a number
 * @returns a new Value
 * @throws TypeError for an operand that is neither a Value nor a finite number
 *
 * @example
 * ```ts
 * const y = new Value(0.25);
 * const z = sub(1, y); // 1 - y
 * z.backward();
 * console.log(z.data, y.grad); // 0.75 -1
 * ```
 */
export function sub(a: Value | number, b: Value | number): Value {
  return binary('sub', a, b);
}

/**
 * `a * b`. With a number first, micrograd's `2 * y` (`y.__rmul__(2)`): `y * 2`.
 *
 * @param a - a Value or a number
 * @param b - a Value or a number
 * @returns a new Value
 * @throws TypeError for an operand that is neither a Value nor a finite number
 *
 * @example
 * ```ts
 * console.log(mul(2, new Value(3)).data); // 6
 * ```
 */
export function mul(a: Value | number, b: Value | number): Value {
  return binary('mul', a, b);
}

/**
 * `a / b`. With a number first, micrograd's `1 / x` (`x.__rtruediv__(1)`): `(x ** -1) * 1`.
 *
 * @param a - a Value or a number
 * @param b - a Value or a number
 * @returns a new Value
 * @throws TypeError for an operand that is neither a Value nor a finite number; RangeError when `b` is 0
 *
 * @example
 * ```ts
 * const x = new Value(4);
 * const r = div(1, x); // 1 / x
 * r.backward();
 * console.log(r.data, x.grad); // 0.25 -0.0625
 * ```
 */
export function div(a: Value | number, b: Value | number): Value {
  return binary('div', a, b);
}

/**
 * Python's `sum(values, start)`, over Values and numbers: `((start + values[0]) + values[1]) + ...`,
 * each `+` as Python runs it. `start` defaults to 0, as in Python, so `sum([x, y])` is
 * micrograd's `sum([x, y])`, `(x + 0) + y` (`0 + x` runs `x.__radd__(0)`); numbers before the
 * first Value are added as plain numbers, as Python adds them. Adding 0 changes no number (bar
 * the sign of a zero) and no gradient, but it is a node: this is the graph micrograd builds,
 * node for node, and the order of the additions is the left fold from the first element.
 *
 * Give a Value as `start` (a neuron's bias) for `((b + x0) + x1) + ...`.
 *
 * @param values - Values and numbers, added in this order
 * @param start - the first term, 0 by default
 * @returns the sum as a Value (a constant leaf when every term is a number)
 * @throws TypeError when `values` is not an array or holds something that is neither a Value
 *   nor a finite number; RangeError for an empty array without a `start`, or a sum that overflows
 *
 * @example
 * ```ts
 * const xs = [new Value(1), new Value(2), new Value(3)];
 * const s = sum(xs); // ((x0 + 0) + x1) + x2, as micrograd's sum(xs)
 * s.backward();
 * console.log(s.data, xs.map((x) => x.grad)); // 6 [ 1, 1, 1 ]
 * ```
 */
export function sum(values: readonly (Value | number)[], start?: Value | number): Value {
  if (!isArray(values)) {
    throw new TypeError(`sum: values must be an array of Values and numbers, got ${describe(values)}`);
  }
  if (values.length === 0 && start === undefined) {
    throw new RangeError(
      'sum: values is an empty array and there is no start (a sum of nothing is more often a bug than 0)',
    );
  }
  let total: Value | number =
    start === undefined ? 0 : start instanceof Value ? start : checkedNumber(start, 'start');
  // An operand's name is built only for a message: a batch's loss sums thousands.
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (total instanceof Value) total = total.add(v instanceof Value ? v : checkedNumber(v, i));
    else if (v instanceof Value) total = v.add(total);
    else total = checkedSum(total, checkedNumber(v, i));
  }
  return total instanceof Value ? total : new Value(total);
}

/** `start` or `values[at]` of `sum` as a finite number; else the error `checkOperand` gives. */
function checkedNumber(x: unknown, at: number | 'start'): number {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  checkOperand(x, 'sum', at === 'start' ? at : `values[${at}]`);
  return x as never;
}

function checkedSum(a: number, b: number): number {
  const s = a + b;
  if (!Number.isFinite(s))
    throw new RangeError(`sum: result is ${s} for ${a} + ${b} (values must stay finite)`);
  return s;
}

/**
 * The dot product `((bias + w0*x0) + w1*x1) + ...`, the weighted sum of a neuron in micrograd's
 * order (`sum((wi*xi for wi, xi in zip(w, x)), b)`); without a bias, `(w0*x0 + w1*x1) + ...`.
 * This is exactly the chain that compiled mode runs as one instruction, so a model written with
 * `dot` compiles to its fastest form.
 *
 * @param ws - the weights, Values or numbers
 * @param xs - the inputs, as many as `ws`
 * @param bias - the first term (a number becomes a constant leaf); none by default
 * @returns a new Value
 * @throws TypeError when `ws` or `xs` is not an array or holds something that is neither a
 *   Value nor a finite number; RangeError when their lengths differ or both are empty without a bias
 *
 * @example
 * ```ts
 * const w = [new Value(2), new Value(-3)];
 * const b = new Value(1);
 * const y = dot(w, [0.5, 4], b); // (b + w0*0.5) + w1*4
 * y.backward();
 * console.log(y.data, w.map((v) => v.grad), b.grad); // -10 [ 0.5, 4 ] 1
 * ```
 */
export function dot(
  ws: readonly (Value | number)[],
  xs: readonly (Value | number)[],
  bias?: Value | number,
): Value {
  if (!isArray(ws))
    throw new TypeError(`dot: ws must be an array of Values and numbers, got ${describe(ws)}`);
  if (!isArray(xs))
    throw new TypeError(`dot: xs must be an array of Values and numbers, got ${describe(xs)}`);
  if (ws.length !== xs.length) {
    throw new RangeError(
      `dot: ws and xs must have the same length, got ${ws.length} weights and ${xs.length} inputs`,
    );
  }
  let total: Value | number | undefined = bias === undefined ? undefined : checkOperand(bias, 'dot', 'bias');
  for (let i = 0; i < ws.length; i++) {
    const term = dotTerm(ws[i], xs[i], i);
    if (total === undefined) total = term;
    else if (total instanceof Value) total = total.add(term);
    // A number plus a Value is Python's `Value.__radd__`: the Value plus the number.
    else if (term instanceof Value) total = term.add(total);
    else total = finiteTerm(total + term, total, '+', term, i);
  }
  if (total === undefined) throw new RangeError('dot: ws and xs are empty and there is no bias');
  return total instanceof Value ? total : new Value(total);
}

/**
 * `ws[i] * xs[i]` as Python computes `wi * xi`: a Value times anything is a node (a number
 * becoming a constant leaf); two numbers multiply as numbers, so a term of constants adds no node.
 */
function dotTerm(w: unknown, x: unknown, i: number): Value | number {
  if (w instanceof Value) return w.mul(dotOperand(x, 'xs', i));
  if (x instanceof Value) return x.mul(dotOperand(w, 'ws', i));
  const a = dotOperand(w, 'ws', i) as number;
  const b = dotOperand(x, 'xs', i) as number;
  return finiteTerm(a * b, a, '*', b, i);
}

/**
 * `ws[i]` or `xs[i]` of `dot` when it is a Value or a finite number, else `checkOperand`'s error
 * (the name is built only for it: a dot product of thousands of terms checks thousands).
 */
function dotOperand(x: unknown, name: 'ws' | 'xs', i: number): Value | number {
  if (x instanceof Value || (typeof x === 'number' && Number.isFinite(x))) return x;
  return checkOperand(x, 'dot', `${name}[${i}]`);
}

/** `y`, the result of `a op b` at term `i` of `dot`, when it is finite; else a RangeError naming them. */
function finiteTerm(y: number, a: number, op: '+' | '*', b: number, i: number): number {
  if (y - y === 0) return y;
  const how = `${numberText(a)} ${op} ${numberText(b)}`;
  throw new RangeError(`dot: result is ${y} for ${how} at term ${i} (values must stay finite)`);
}

/** What the function {@link valueAndGrad} returns gives back: `f`'s value and its gradient. */
export interface ValueAndGrad {
  /** `f(...args)` */
  value: number;
  /** `d f / d args[i]`, one per argument */
  grads: number[];
}

/**
 * Turns `f`, a function of Values, into a function of numbers that returns `f`'s value and its
 * gradient with respect to each argument, like TensorFlow.js's `tf.valueAndGrads` or JAX's
 * `value_and_grad`.
 *
 * Each call makes a fresh leaf per argument, builds `f`'s graph on them and back-propagates,
 * then puts back every `grad` in that graph: Values that `f` captures from outside (a model's
 * parameters) keep the gradients they had, so calling it never disturbs a training loop. Use
 * `backward()` itself when you want gradients to accumulate in parameters.
 *
 * @param f - takes one Value per argument and returns a Value
 * @returns `(...args: number[]) => { value, grads }`
 * @throws TypeError when `f` is not a function; the returned function throws a TypeError when
 *   an argument is not a number (or is NaN) or `f` does not return a Value, a RangeError for
 *   ±Infinity, and whatever `f` or `backward()` throws (every `grad` is then as it was)
 *
 * @example
 * ```ts
 * const f = valueAndGrad((x, y) => x.mul(y).add(x.pow(2))); // x*y + x²
 * console.log(f(3, 4)); // { value: 21, grads: [ 10, 3 ] }
 * ```
 */
export function valueAndGrad(f: (...args: Value[]) => Value): (...args: number[]) => ValueAndGrad {
  if (typeof f !== 'function') throw new TypeError(`valueAndGrad: f must be a function, got ${describe(f)}`);
  return (...args: number[]): ValueAndGrad => {
    const leaves = args.map((x, i) => {
      checkData(x, `valueAndGrad: argument ${i}`);
      return new Value(x);
    });
    const out = checkValue(f(...leaves), 'valueAndGrad: the result of f');
    return { value: out._data, grads: gradientsOf(out, leaves) };
  };
}
