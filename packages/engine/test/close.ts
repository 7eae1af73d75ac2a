import { expect } from 'vitest';

/** Asserts `actual` equals `expected` within a relative tolerance (`toBeCloseTo` is absolute). */
export function expectRelativelyClose(actual: number, expected: number, rtol = 1e-12): void {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  expect(error, `${actual} vs ${expected}`).toBeLessThanOrEqual(rtol);
}
