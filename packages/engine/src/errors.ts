import { Value } from './value.js';

/** A short, quoted description of a bad input for error messages. */
export function describe(x: unknown): string {
  if (x instanceof Value) return x.toString();
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return `${String(x)} (${typeof x})`;
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  return Array.isArray(x) ? 'an array' : `a ${typeof x}`;
}

/** Throws unless `x` is a finite number: TypeError for non-numbers and NaN, RangeError for ±Infinity. */
export function checkData(x: unknown, where: string): asserts x is number {
  if (typeof x !== 'number' || Number.isNaN(x)) {
    throw new TypeError(`${where}: expected a number, got ${describe(x)}`);
  }
  if (!Number.isFinite(x)) {
    throw new RangeError(`${where}: expected a finite number, got ${x}`);
  }
}

/** A `Value` operand as is, a number as a new constant leaf; like `checkData`, NaN and non-numbers are a TypeError, ±Infinity a RangeError. */
export function checkOperand(x: unknown, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x !== 'number' || Number.isNaN(x)) {
    throw new TypeError(`${op}: operand must be a Value or a finite number, got ${describe(x)}`);
  }
  if (!Number.isFinite(x)) {
    throw new RangeError(`${op}: operand must be finite, got ${x}`);
  }
  return new Value(x);
}
