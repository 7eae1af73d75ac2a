import { describe, expect, it } from 'vitest';
import { Value, gradcheck } from '../src/index.js';

describe('gradcheck', () => {
  it('reports analytic and numeric gradients per input and passes a correct graph', () => {
    // d/dx (x*y) = y and d/dy = x, so the reference gradients are the other input.
    const result = gradcheck(([x, y]) => x!.mul(y!), [0.5, -2]);

    expect(result.ok).toBe(true);
    expect(result.inputs.map((e) => [e.index, e.analytic, e.ok])).toEqual([
      [0, -2, true],
      [1, 0.5, true],
    ]);
    expect(Math.abs(result.inputs[0]!.numeric + 2)).toBeLessThan(1e-8);
    expect(Math.abs(result.inputs[1]!.numeric - 0.5)).toBeLessThan(1e-8);
    expect(result.worstRelativeError).toBeLessThan(1e-8);
  });

  it('detects a wrong gradient from a value captured as a constant', () => {
    // x * x.data treats the second factor as a constant: backward gives x, the true slope is 2x.
    const result = gradcheck(([x]) => x!.mul(x!.data), [1.5]);

    const [entry] = result.inputs;
    expect(result.ok).toBe(false);
    expect(entry!.ok).toBe(false);
    expect(entry!.analytic).toBe(1.5);
    expect(Math.abs(entry!.numeric - 3)).toBeLessThan(1e-8);
    expect(Math.abs(entry!.relativeError - 0.5)).toBeLessThan(1e-8);
    expect(result.worstRelativeError).toBe(entry!.relativeError);
  });

  it('flags only the input whose gradient is wrong and reports the worst error overall', () => {
    const result = gradcheck(([x, y]) => x!.mul(y!).add(y!.mul(y!.data)), [2, 3]);

    expect(result.inputs.map((e) => e.ok)).toEqual([true, false]);
    expect(result.worstRelativeError).toBe(Math.max(...result.inputs.map((e) => e.relativeError)));
    expect(result.worstRelativeError).toBeGreaterThan(0.1);
  });

  it("fails at relu's kink, where no derivative exists", () => {
    const result = gradcheck(([x]) => x!.relu(), [0]);

    expect(result.inputs[0]!.analytic).toBe(0);
    expect(Math.abs(result.inputs[0]!.numeric - 0.5)).toBeLessThan(1e-8);
    expect(result.ok).toBe(false);
  });

  it('reports a relative error of 0 when an input does not affect the output', () => {
    const result = gradcheck(([, y]) => y!.mul(2), [4, 1]);

    expect(result.inputs[0]).toEqual({ index: 0, analytic: 0, numeric: 0, relativeError: 0, ok: true });
    expect(result.ok).toBe(true);
  });

  it('accepts a wrong gradient when the tolerances are loose enough', () => {
    const wrong = ([x]: Value[]) => x!.mul(x!.data);

    const strict = gradcheck(wrong, [1.5]);
    const loose = gradcheck(wrong, [1.5], { rtol: 0.6 });

    expect([strict.ok, loose.ok]).toEqual([false, true]);
  });

  it('uses the given step for the central difference', () => {
    // For x³ the central difference is 3x² + h², so a large step shows up in the estimate.
    const result = gradcheck(([x]) => x!.pow(3), [1], { eps: 0.1 });

    expect(Math.abs(result.inputs[0]!.numeric - (3 + 0.01))).toBeLessThan(1e-12);
  });
});
