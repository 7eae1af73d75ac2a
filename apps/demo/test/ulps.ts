import { expect } from 'vitest';

/** How many representable doubles lie between a and b. */
export function ulpsApart(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  const order = (x: bigint): bigint => (x < 0n ? -(x & 0x7fffffffffffffffn) : x);
  const diff = order(view.getBigInt64(0)) - order(view.getBigInt64(8));
  return Number(diff < 0n ? -diff : diff);
}

/** Asserts each element is within `ulps` units in the last place of the reference. */
export function expectUlps(actual: ArrayLike<number>, expected: readonly number[], ulps: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(ulpsApart(actual[i]!, e), `element ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(ulps);
  });
}
