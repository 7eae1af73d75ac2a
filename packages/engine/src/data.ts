import { Value, tracing } from './value.js';
import { checkData, checkValue, describe, isArray } from './errors.js';
import { allFinite } from './compile/finite.js';
import { at, outside } from './at.js';

/**
 * Every Value's `data` into `out`, in order: what `out[i] = values[i].data` does for each `i`,
 * in one loop that reads the numbers without calling the `data` getter per Value. An optimizer
 * reads all its parameters this way once per step; before V8 has optimised the code, the getter's
 * calls were about a quarter of such a step's time (PyTorch's `parameters_to_vector` is the same
 * idea).
 *
 * Inside a function being compiled it reads through the getter, which refuses traced values as
 * `.data` does.
 *
 * @param values - the Values to read
 * @param out - where their numbers go: a Float64Array of the same length
 * @returns `out`
 * @throws TypeError when `values` is not an array of Values or `out` is not a Float64Array;
 *   RangeError when their lengths differ
 *
 * @example
 * ```ts
 * import { Value, getData } from '@mg/engine';
 *
 * const params = [new Value(0.5), new Value(-2)];
 * console.log(getData(params, new Float64Array(2))); // Float64Array(2) [ 0.5, -2 ]
 * ```
 */
export function getData(values: readonly Value[], out: Float64Array): Float64Array {
  checkArrays(values, out, 'getData', 'out');
  if (tracing()) {
    for (let i = 0; i < values.length; i++) out[i] = at(values, i).data;
    return out;
  }
  read(values, out);
  return out;
}

/**
 * Sets every Value's `data` from `from`, in order, all or nothing: what `values[i].data =
 * from[i]` does for each `i` (setting `data` refuses a number that is not finite), with every
 * number checked first and then written in one loop, without a setter call per Value. Nothing
 * is written when one of them is not finite.
 *
 * @param values - the Values to set
 * @param from - their new numbers: a Float64Array of the same length
 * @throws TypeError when `values` is not an array of Values, `from` is not a Float64Array, or
 *   one of its numbers is NaN; RangeError when their lengths differ or a number is ±Infinity
 *
 * @example
 * ```ts
 * import { Value, setData } from '@mg/engine';
 *
 * const [a, b] = [new Value(0.5), new Value(-2)];
 * setData([a, b], Float64Array.of(1, 2));
 * console.log(a.data, b.data); // 1 2
 * try {
 *   setData([a, b], Float64Array.of(3, Infinity));
 * } catch (error) {
 *   console.log(String(error), a.data); // RangeError: setData: from[1]: expected a finite number, got Infinity 1
 * }
 * ```
 */
export function setData(values: readonly Value[], from: Float64Array): void {
  checkArrays(values, from, 'setData', 'from');
  if (!allFinite(from, 0, from.length)) {
    for (let i = 0; i < from.length; i++) checkData(from[i], `setData: from[${i}]`);
  }
  write(values, from);
}

/**
 * Arrays whose every element has been checked to be a Value, and which cannot change since:
 * frozen ones, such as an optimizer's list of parameters, are checked on their first call only.
 */
const checked = new WeakSet<readonly Value[]>();

function checkArrays(values: readonly Value[], numbers: Float64Array, where: string, name: string): void {
  if (!checked.has(values)) {
    if (!isArray(values)) {
      throw new TypeError(`${where}: values must be an array of Values, got ${describe(values)}`);
    }
    for (let i = 0; i < values.length; i++) checkValue(values[i], `${where}: values[${i}]`);
    if (Object.isFrozen(values)) checked.add(values);
  }
  if (!(numbers instanceof Float64Array)) {
    throw new TypeError(`${where}: ${name} must be a Float64Array, got ${describe(numbers)}`);
  }
  if (numbers.length !== values.length) {
    throw new RangeError(
      `${where}: ${name} has ${plural(numbers.length, 'number')} for ${plural(values.length, 'value')}; give one per value`,
    );
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

// The loops are small functions of their own, which V8 optimises within a few calls.

function read(values: readonly Value[], out: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined) throw outside(values, i);
    out[i] = v._data;
  }
}

function write(values: readonly Value[], from: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const x = from[i];
    if (v === undefined || x === undefined) throw outside(values, i);
    v._data = x;
  }
}
