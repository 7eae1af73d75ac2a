import { Value } from '@mg/engine';

/** A short, quoted description of a bad input for error messages. */
export function describe(x: unknown): string {
  if (x instanceof Value) return x.toString();
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean') return `${String(x)} (${typeof x})`;
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  return Array.isArray(x) ? 'an array' : `a ${typeof x}`;
}
