/** A short description of a bad input for error messages: strings quoted, objects by kind. */
export function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint' || x === null || x === undefined) return String(x);
  if (typeof x === 'function') return x.name === '' ? 'a function' : `function ${x.name}`;
  if (Array.isArray(x)) return 'an array';
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : `a ${typeof x}`;
}

/**
 * Checks an options argument as plain JavaScript callers pass it: `undefined` stands for `{}`,
 * anything but a plain object is a TypeError, and so is a key outside `valid` (a typo such as
 * `los` would otherwise be ignored silently).
 *
 * @returns the options, `{}` for `undefined`
 */
export function checkOptions<T extends object>(options: T | undefined, valid: readonly (keyof T & string)[], where: string): T {
  const given: unknown = options;
  if (given === undefined) return {} as T;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new TypeError(`${where}: options must be an object, got ${show(options)}`);
  }
  for (const key of Object.keys(given)) {
    if (!(valid as readonly string[]).includes(key)) {
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}; valid options are ${valid.map((k) => `'${k}'`).join(', ')}`);
    }
  }
  return given as T;
}
