import { describeInput, Value } from '@mg/engine';

/** Throws unless `x` is an array of `n` Values or finite numbers; names `where` and both lengths. */
export function checkInputs(x: unknown, n: number, where: string): asserts x is readonly (Value | number)[] {
  if (!Array.isArray(x)) {
    throw new TypeError(
      `${where}: expected an array of ${n} inputs (Values or numbers), got ${describeInput(x)}`,
    );
  }
  if (x.length !== n) {
    throw new RangeError(`${where}: expected ${n} inputs, got ${x.length}`);
  }
  for (let i = 0; i < n; i++) {
    const v: unknown = x[i];
    if (v instanceof Value) continue;
    if (typeof v !== 'number')
      throw new TypeError(`${where}: input ${i} must be a Value or a finite number, got ${describeInput(v)}`);
    if (!Number.isFinite(v))
      throw new RangeError(`${where}: input ${i} must be a Value or a finite number, got ${v}`);
  }
}
