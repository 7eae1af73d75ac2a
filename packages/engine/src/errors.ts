import { Value, VALUE_BRAND } from './value.js';
import { at } from './at.js';

// Error helpers shared by the engine and, through the public index, by the packages built on it,
// so every message in mg quotes its input the same way.

const MAX_QUOTED = 60;

/** A number as JavaScript writes it, but -0 with its sign (`String(-0)` is `'0'`). */
export function numberText(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/**
 * A short description of any input for an error message: strings quoted (and cut after 60
 * characters), numbers and booleans with their type (`2 (number)`, so `"2"` and `2` read
 * differently), a Value as its `toString()`, anything else by kind (`an array`, `an object`,
 * `a Map`, `a Date`: other objects by their class).
 *
 * @param x - anything
 * @returns text to put after "got"
 *
 * @example
 * ```ts
 * console.log(describeInput('2'), describeInput(2), describeInput(null)); // "2" 2 (number) null
 * ```
 */
export function describe(x: unknown): string {
  if (x instanceof Value) return x.toString();
  if (typeof x === 'string') return JSON.stringify(x.length > MAX_QUOTED ? `${x.slice(0, MAX_QUOTED)}…` : x);
  if (typeof x === 'number') return `${numberText(x)} (number)`;
  if (typeof x === 'boolean') return `${String(x)} (boolean)`;
  if (typeof x === 'bigint') return `${String(x)}n (bigint)`;
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (isForeignValue(x)) return 'a Value from another copy of @mg/engine';
  if (Array.isArray(x)) return describeArray(x);
  if (typeof x !== 'object') return `a ${typeof x}`;
  return isPlain(x) ? 'an object' : describeObject(x);
}

/** `an array of 3`, quoting a short array of numbers: `[0.9, 0.99, 0.5] (an array of 3)`. */
function describeArray(x: readonly unknown[]): string {
  const length = `an array of ${x.length}`;
  if (x.length === 0 || x.length > 4) return length;
  const numbers: string[] = [];
  for (let i = 0; i < x.length; i++) {
    const item = x[i];
    if (typeof item !== 'number') return length;
    numbers.push(numberText(item));
  }
  return `[${numbers.join(', ')}] (${length})`;
}

/**
 * Whether `x` is a plain object (`{ ... }` or `Object.create(null)`), from this realm or another
 * (an iframe's `Object.prototype` is not this one's): its prototype is null or has none.
 */
function isPlain(x: object): boolean {
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** `a Map`, `a Date`, `an Options` (a class instance), from its prototype's constructor. */
function describeObject(x: object): string {
  const proto = Object.getPrototypeOf(x) as object;
  const ctor: unknown = Object.hasOwn(proto, 'constructor')
    ? (proto as { constructor: unknown }).constructor
    : undefined;
  const name = typeof ctor === 'function' ? ctor.name : '';
  if (name === '' || name === 'Object') return 'an object whose prototype is not Object.prototype';
  return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** Whether `x` is a Value made by another loaded copy of this package (it carries the brand, but is not an instance of this copy's class). */
function isForeignValue(x: unknown): boolean {
  return (
    typeof x === 'object' &&
    x !== null &&
    !(x instanceof Value) &&
    (x as Record<symbol, unknown>)[VALUE_BRAND] === true
  );
}

function foreignValueError(name: string): TypeError {
  return new TypeError(
    `${name} is a Value from another copy of @mg/engine: two copies are loaded (an ESM and a CommonJS import of it, ` +
      'or a package that resolved its own @mg/engine), and Values of one cannot be used with the other. ' +
      'Install one copy: deduplicate (npm dedupe, pnpm dedupe) so that your code, @mg/nn and @mg/viz share one @mg/engine ' +
      '(they list it as a peer dependency), and import it one way (all import or all require)',
  );
}

/**
 * Returns `x` when it is a `Value` of this copy of `@mg/engine`; otherwise throws a TypeError
 * naming `name` and quoting `x`. A Value from another loaded copy of the package (two copies in
 * one process) gets a TypeError that says so and how to fix it.
 *
 * @param x - the argument to check
 * @param name - who is asking and for what, e.g. `'toDot: root'`
 * @param expected - what the message says `name` must be; `'a Value'` by default
 * @returns `x`, typed as a Value
 * @throws TypeError when `x` is not a Value of this copy
 *
 * @example
 * ```ts
 * const root = checkValue(new Value(1), 'draw: root'); // the Value itself
 * try {
 *   checkValue('x', 'draw: root');
 * } catch (error) {
 *   console.log(String(error)); // TypeError: draw: root must be a Value, got "x"
 * }
 * ```
 */
export function checkValue(x: unknown, name: string, expected = 'a Value'): Value {
  if (x instanceof Value) return x;
  if (isForeignValue(x)) throw foreignValueError(name);
  throw new TypeError(`${name} must be ${expected}, got ${describe(x)}`);
}

/** `Array.isArray` for arguments typed as arrays, which plain JavaScript callers may pass anything as. */
export function isArray(x: unknown): boolean {
  return Array.isArray(x);
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

/**
 * A `Value` operand as is, a number as a new constant leaf; like `checkData`, NaN and
 * non-numbers are a TypeError, ±Infinity a RangeError. `name` is what the message calls it.
 */
export function checkOperand(x: unknown, op: string, name = 'operand'): Value {
  if (x instanceof Value) return x;
  if (typeof x !== 'number' || Number.isNaN(x)) {
    if (isForeignValue(x)) throw foreignValueError(`${op}: ${name}`);
    throw new TypeError(`${op}: ${name} must be a Value or a finite number, got ${describe(x)}`);
  }
  if (!Number.isFinite(x)) {
    throw new RangeError(`${op}: ${name} must be finite, got ${x}`);
  }
  return new Value(x);
}

/** What an options object may hold, for a message (built only then: training loops pass options on every call). */
function optionList(known: readonly string[]): string {
  return known.length === 0 ? 'it takes none' : `the options are ${known.join(', ')}`;
}

/**
 * Checks an options argument the way plain JavaScript callers need it checked: `undefined`
 * stands for no options; anything else must be a plain object (a Map, a Date or a class
 * instance is a TypeError naming it) whose every own key is one of `known`. A misspelt key is
 * a TypeError naming it (with the closest valid key when one is near) and listing the valid
 * ones, never a silently ignored option. A key set to `null` is a TypeError too: `x ?? default`
 * would otherwise take it for a missing option and use the default.
 *
 * @param options - the argument as given
 * @param known - the valid keys
 * @param where - who is asking, e.g. `'toDot'`
 * @returns the options, with each value typed `unknown` for the caller to check
 * @throws TypeError when `options` is not an object, has a key not in `known`, or one set to null
 *
 * @example
 * ```ts
 * const { loss = 'hinge' } = checkOptions({ loss: 'mse' }, ['loss', 'steps'], 'train');
 * console.log(loss); // mse
 * try {
 *   checkOptions({ los: 'mse' }, ['loss', 'steps'], 'train');
 * } catch (error) {
 *   console.log(String(error)); // TypeError: train: unknown option "los" (did you mean "loss"?); the options are loss, steps
 * }
 * ```
 */
export function checkOptions<K extends string>(
  options: unknown,
  known: readonly K[],
  where: string,
): Readonly<Partial<Record<K, unknown>>> {
  if (options === undefined) return {} as Partial<Record<K, unknown>>;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  // A Map, a Date or a class instance would be read through its prototype, or taken for no
  // options at all (`new Map([['eps', -1]])` has no own keys).
  if (!isPlain(options)) {
    throw new TypeError(`${where}: options must be a plain object ({ ... }), got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if ((known as readonly string[]).includes(key)) continue;
    const near = closest(key, known);
    const hint = near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
    throw new TypeError(`${where}: unknown option ${describe(key)}${hint}; ${optionList(known)}`);
  }
  // Every option is named by a string: a symbol key is a mistake too (`{ [Symbol('lr')]: 1 }`).
  for (const key of Object.getOwnPropertySymbols(options)) {
    if (!Object.prototype.propertyIsEnumerable.call(options, key)) continue;
    throw new TypeError(`${where}: unknown option ${String(key)}; ${optionList(known)}`);
  }
  for (const key of known) {
    if ((options as Record<string, unknown>)[key] === null) {
      throw new TypeError(`${where}: option ${describe(key)} is null; leave it out for its default`);
    }
  }
  return options as Partial<Record<K, unknown>>;
}

/** The valid key within two edits of `key` (a typo), if there is one. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  // Row-major (a.length + 1) x (b.length + 1): d(i, j) is the distance from a's first i to b's first j.
  const w = b.length + 1;
  const d = Array.from({ length: (a.length + 1) * w }, (_, k) => (k < w ? k : k % w === 0 ? k / w : 0));
  const cell = (i: number, j: number): number => at(d, i * w + j);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(cell(i - 1, j) + 1, cell(i, j - 1) + 1, cell(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, cell(i - 2, j - 2) + 1);
      d[i * w + j] = best;
    }
  }
  return cell(a.length, b.length);
}
