import { checkValue, type Value } from '@mg/engine';

const SYMBOLS: Readonly<Record<string, string>> = {
  add: '+',
  mul: '*',
  exp: 'exp',
  log: 'log',
  tanh: 'tanh',
  relu: 'relu',
  sigmoid: 'sigmoid',
};

/**
 * The name a person reads on the op node that made `value`, as micrograd draws it: `+`, `*`,
 * `**k` for a power (`**2`, `**-1`), and the function name for the others (`tanh`, `exp`, ...).
 *
 * @param value - a value made by an op
 * @returns the op's display name, or `''` for a leaf
 * @throws TypeError when `value` is not a Value
 *
 * @example
 * ```ts
 * console.log(opLabel(new Value(3).pow(-1))); // **-1
 * ```
 */
export function opLabel(value: Value): string {
  checkValue(value, 'opLabel: value');
  if (value.op === '') return '';
  if (value.op === 'pow') return `**${value.arg}`;
  return SYMBOLS[value.op] ?? value.op;
}
