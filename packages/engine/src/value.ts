import { PRIMITIVES, type Op, type PrimitiveOp } from './ops.js';
import { backward, zeroGrad } from './graph.js';
import { describe, checkOperand, checkData, checkOptions, numberText } from './errors.js';
import { TraceError } from './trace-error.js';

/** Options for a new leaf {@link Value}. */
export interface ValueOptions {
  /** A name shown by `toString()` and by graph drawings. Defaults to `''`. */
  label?: string;
}

/**
 * @internal Marks every Value, whichever copy of this package made it. `instanceof` tells this
 * copy's Values from all else; the brand tells a Value of another loaded copy from a random
 * object, so the error can say what actually went wrong.
 */
export const VALUE_BRAND: unique symbol = Symbol.for('@mg/engine.Value') as never;

const OPTION_KEYS = ['label'] as const;

const LEAF: readonly Value[] = Object.freeze([]);

// While `compile` traces a function, every Value made is recorded here, so the tracer can tell
// constants made inside the function from parameters captured from outside it.
let traceCollector: Value[] | null = null;

// And every Value whose `.data` the traced function reads: reading a parameter's is an error
// the tracer reports once it knows which captured Values are parameters.
let readCollector: Set<Value> | null = null;

/**
 * @internal Starts (a list and a set) or stops (null) recording, for a compile trace, the
 * Values made and the Values whose `.data` is read.
 */
export function collectNewValues(made: Value[] | null, read: Set<Value> | null = null): void {
  traceCollector = made;
  readCollector = read;
}

/** @internal Whether a compile trace is recording (see {@link collectNewValues}). */
export function tracing(): boolean {
  return traceCollector !== null;
}

/** @internal The error for reading `.data` of a traced value (an input, a parameter, or a result computed from them). */
export function tracedDataError(v: Value): TraceError {
  const what = v.op === '' ? 'an input or parameter' : `the result of ${v.op}`;
  const label = v.label === '' ? '' : ` labelled ${JSON.stringify(v.label)}`;
  return new TraceError(
    `compile: cannot read .data of a traced value (${what}${label}): ` +
      'its number is not known while tracing, so control flow that depends on data cannot be compiled; ' +
      'use an op such as relu instead of an if, or run this function eagerly',
  );
}

/**
 * A scalar in a computation graph: its value (`data`), the gradient of the last
 * `backward()` root with respect to it (`grad`), and how it was made (`op`, `children`).
 *
 * Every operation accepts a `Value` or a plain number and returns a new `Value`; numbers
 * become constant leaves. Values are always finite: an operation whose result would be NaN
 * or ±Infinity throws instead (see the package README for the policy).
 *
 * @example
 * ```ts
 * const a = new Value(2, 'a'); // or new Value(2, { label: 'a' })
 * const b = a.mul(a).add(1);   // b = a² + 1
 * b.backward();
 * console.log(b.data, a.grad); // 5 4
 * ```
 */
export class Value {
  /**
   * @internal The number behind `data`; read directly on hot paths. Initialised to a number:
   * a bare declaration would define it as `undefined` first (ES2022 class fields), and V8 would
   * then keep it as a tagged field, allocating a new number for every write of `data` (an
   * optimizer's update) instead of writing the double in place.
   */
  _data = 0;
  /** d(root)/d(this) after `root.backward()`; 0 until then. */
  grad = 0;
  #label: string;
  /** The primitive operation that produced this value, or `''` for a leaf. */
  readonly op: Op = '';
  /** @internal First operand of `op`, null for a leaf; read directly on hot paths. */
  _a: Value | null = null;
  /** @internal Second operand of `add` and `mul`, else null. */
  _b: Value | null = null;
  /** @internal `children`, once read. */
  declare _children: readonly Value[] | null;
  /** The constant attribute of `op`: the exponent of `pow`, 0 for every other op. */
  declare readonly arg: number;
  /** @internal Visit mark of the graph walks (see graph.ts). */
  _mark = 0;
  /** @internal True while this value stands for an unknown number in a `compile` trace. */
  declare _symbolic: boolean;

  /**
   * @param data - a finite number
   * @param options - a label, as micrograd's `Value(2.0, label='a')` or positionally
   *   `new Value(2, 'a')`, or `{ label }`
   * @throws TypeError if `data` is not a number or is NaN, if `options` is neither a string nor
   *   an object of known options, or the label is not a string; RangeError if `data` is ±Infinity
   */
  constructor(data: number, options?: ValueOptions | string) {
    // The usual case checked inline: before V8 optimises a training loop, a call per check
    // (and two more inside it) is most of what creating a Value or setting `data` costs.
    if (!(typeof data === 'number' && data - data === 0)) checkData(data, 'new Value');
    this._data = data;
    this.#label = options === undefined ? '' : typeof options === 'string' ? options : labelOption(options);
    if (traceCollector !== null) traceCollector.push(this);
  }

  /** A name for people: shown by `toString()` and graph drawings. Setting it checks that it is a string. */
  get label(): string {
    return this.#label;
  }

  set label(label: string) {
    if (typeof label !== 'string') {
      throw new TypeError(`Value.label: expected a string, got ${describe(label)}`);
    }
    this.#label = label;
  }

  /** The operands of `op`, in order; empty for a leaf. */
  get children(): readonly Value[] {
    // Made on first read, not per node: a two-element array per node was a third of the
    // memory a training step allocates, and the garbage collector's time dominated eager mode.
    // Frozen, as LEAF is: a caller pushing onto it would list an operand backward never sees.
    this._children ??=
      this._a === null ? LEAF : Object.freeze(this._b === null ? [this._a] : [this._a, this._b]);
    return this._children;
  }

  /** The scalar this value holds. Setting it checks that the new number is finite. */
  get data(): number {
    if (this._symbolic) throw tracedDataError(this);
    if (readCollector !== null) readCollector.add(this);
    return this._data;
  }

  set data(value: number) {
    if (!(typeof value === 'number' && value - value === 0)) checkData(value, 'Value.data');
    this._data = value;
  }

  /** `this + other` */
  add(other: Value | number): Value {
    const o = checkOperand(other, 'add');
    return node('add', PRIMITIVES.add.forward(this._data, o._data), this, o, 0);
  }

  /** `this * other` */
  mul(other: Value | number): Value {
    const o = checkOperand(other, 'mul');
    return node('mul', PRIMITIVES.mul.forward(this._data, o._data), this, o, 0);
  }

  /**
   * `this ** exponent` for a constant exponent. A `Value` exponent is not supported: write
   * `base.log().mul(exponent).exp()` for a positive base, which differentiates in both.
   *
   * @throws RangeError for a negative base with a fractional exponent, or 0 to a negative power
   */
  pow(exponent: number): Value {
    if (typeof exponent !== 'number' || Number.isNaN(exponent)) {
      throw new TypeError(`pow: exponent must be a finite number, got ${describe(exponent)}`);
    }
    if (!Number.isFinite(exponent)) {
      throw new RangeError(`pow: exponent must be finite, got ${exponent}`);
    }
    const x = this._data;
    if (!this._symbolic) {
      if (x < 0 && !Number.isInteger(exponent)) {
        throw new RangeError(
          `pow: a negative base (${numberText(x)}) with a fractional exponent (${exponent}) has no real value`,
        );
      }
      if (x === 0 && exponent < 0) {
        throw new RangeError(`pow: 0 to a negative power (${exponent}) is a division by zero`);
      }
    }
    return node('pow', PRIMITIVES.pow.forward(x, 0, exponent), this, undefined, exponent);
  }

  /** `-this`, as micrograd writes it: `this * -1`. */
  neg(): Value {
    return this.mul(-1);
  }

  /**
   * `this - other`, as micrograd writes it: `this + (-other)`. A number is negated as Python
   * negates it, as a number: `x.sub(2)` is `x + -2`, one node, as in micrograd.
   */
  sub(other: Value | number): Value {
    if (typeof other === 'number' && other - other === 0) return this.add(-other);
    return this.add(checkOperand(other, 'sub').neg());
  }

  /**
   * `this / other`, as micrograd writes it: `this * other ** -1`. A number's reciprocal is a
   * number, as in Python: `x.div(2)` is `x * 0.5`, one node, as in micrograd.
   *
   * @throws RangeError when `other` is 0, or a number whose reciprocal overflows
   */
  div(other: Value | number): Value {
    if (typeof other === 'number' && other - other === 0 && other !== 0) {
      const reciprocal = other ** -1;
      if (reciprocal - reciprocal === 0) return this.mul(reciprocal);
    }
    const o = checkOperand(other, 'div');
    if (!o._symbolic && o._data === 0) {
      throw new RangeError(`div: division by zero (${describe(this)} / ${describe(o)})`);
    }
    return this.mul(o.pow(-1));
  }

  /** `e ** this` */
  exp(): Value {
    return node('exp', PRIMITIVES.exp.forward(this._data), this, undefined, 0);
  }

  /**
   * Natural logarithm.
   *
   * @throws RangeError when `this` is not positive
   */
  log(): Value {
    if (!this._symbolic && !(this._data > 0)) {
      throw new RangeError(`log: argument must be positive, got ${numberText(this._data)}`);
    }
    return node('log', PRIMITIVES.log.forward(this._data), this, undefined, 0);
  }

  /** Hyperbolic tangent. */
  tanh(): Value {
    return node('tanh', PRIMITIVES.tanh.forward(this._data), this, undefined, 0);
  }

  /** `max(0, this)`; its derivative at 0 is 0, as in micrograd and PyTorch. */
  relu(): Value {
    return node('relu', PRIMITIVES.relu.forward(this._data), this, undefined, 0);
  }

  /** The logistic function `1 / (1 + e ** -this)`. */
  sigmoid(): Value {
    return node('sigmoid', PRIMITIVES.sigmoid.forward(this._data), this, undefined, 0);
  }

  /**
   * Back-propagates from this value: sets `grad` of every value in its graph to
   * d(this)/d(value). Interior gradients are recomputed from zero on every call; leaf gradients
   * accumulate (like PyTorch), so calling `backward()` twice doubles the leaves' gradients but
   * never compounds interior ones. Call {@link Value.zeroGrad} (or an optimizer's) in between.
   *
   * Iterative: graphs of any depth are fine.
   *
   * @throws RangeError naming the op when a gradient would be NaN or ±Infinity
   */
  backward(): void {
    backward(this);
  }

  /** Sets `grad` of this value and of every value it was computed from to 0. */
  zeroGrad(): void {
    zeroGrad(this);
  }

  /** `Value(data=…, grad=…)`, with the label when there is one. */
  toString(): string {
    const label = this.label === '' ? '' : `, label=${JSON.stringify(this.label)}`;
    const data = this._symbolic ? '<traced>' : numberText(this._data);
    return `Value(data=${data}, grad=${numberText(this.grad)}${label})`;
  }
}

// Defaults that most values never change live on the prototype: three fields fewer per node cut
// the CPU time of the benchmark's training step by about a third (less for the GC to copy).
Object.assign(Value.prototype, { _children: null, arg: 0, _symbolic: false });
Object.defineProperty(Value.prototype, VALUE_BRAND, { value: true });
// V8 gives a field the representation of the first number stored in it, so `grad = 0` makes an
// integer field until some gradient is a fraction. That change, made inside a hot loop over
// thousands of parameters (a compiled run writing their gradients), left the loop's optimised
// code deoptimising on every call after. One fraction stored here makes it a double field from
// the start.
new Value(0).grad = 0.5;
// Node's console.log shows a Value as micrograd's repr does, not as its fields (the label is a
// private field it would not show). The symbol is a plain registered one: browsers ignore it.
Object.defineProperty(Value.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Value): string {
    return this.toString();
  },
});

function labelOption(options: ValueOptions): string {
  const { label = '' } = checkOptions(options, OPTION_KEYS, 'new Value');
  if (typeof label !== 'string') {
    throw new TypeError(`new Value: label must be a string, got ${describe(label)}`);
  }
  return label;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Makes the result of a primitive op; refuses non-finite results. */
function node(op: PrimitiveOp, data: number, a: Value, b: Value | undefined, arg: number): Value {
  const symbolic = a._symbolic || (b !== undefined && b._symbolic);
  if (!symbolic && !(data - data === 0)) {
    const operands = b === undefined ? describe(a) : `${describe(a)}, ${describe(b)}`;
    const k = op === 'pow' ? `, exponent ${arg}` : '';
    throw new RangeError(`${op}: result is ${data} for ${operands}${k} (values must stay finite)`);
  }
  const out = new Value(symbolic ? 0 : data);
  const fields = out as Writable<Value>;
  fields.op = op;
  fields._a = a;
  fields._b = b ?? null;
  if (op === 'pow') fields.arg = arg;
  if (symbolic) fields._symbolic = true;
  return out;
}
