import { checkOptions } from '@mg/engine';

/**
 * `checkOptions` for a plain object only: a Map, a Date, a class instance or an object made by
 * `Object.create(proto)` is a TypeError naming what it is, not a set of options read through its
 * prototype or silently taken for none (`new Map([['rankdir', 'TB']])` has no own keys).
 * `where` names the function the user called.
 */
export function checkPlainOptions<K extends string>(
  options: unknown,
  known: readonly K[],
  where: string,
): Readonly<Partial<Record<K, unknown>>> {
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    const proto: unknown = Object.getPrototypeOf(options);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(
        `${where}: options must be a plain object such as { maxNodes: 100 }, got ${describeObject(proto)}`,
      );
    }
  }
  return checkOptions(options, known, where);
}

/** `a Map`, `a Date`, `an Options` (a class instance), from the prototype of a non-plain object. */
function describeObject(proto: unknown): string {
  const ctor: unknown = Object.hasOwn(proto as object, 'constructor')
    ? (proto as { constructor: unknown }).constructor
    : undefined;
  const name = typeof ctor === 'function' ? ctor.name : '';
  if (name === '' || name === 'Object') return 'an object whose prototype is not Object.prototype';
  return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
}
