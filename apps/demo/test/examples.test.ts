import { describe, expect, it } from 'vitest';
import { seedExamples, type Example } from '../src/cli/examples.js';

function byLabel(example: Example): Record<string, { data: number; grad: number }> {
  return Object.fromEntries(example.values.map((v) => [v.label, { data: v.data, grad: v.grad }]));
}

describe('seedExamples', () => {
  const [xyz, neuron, expression, readme] = seedExamples().map(byLabel);

  it('computes b = tanh(x + y) * x and its gradients', () => {
    const t = Math.tanh(5);

    expect(xyz!.b!.data).toBe(t * 2);
    expect(xyz!.x!.grad).toBeCloseTo(t + 2 * (1 - t * t), 14);
    expect(xyz!.y!.grad).toBeCloseTo(2 * (1 - t * t), 14);
  });

  it("gives the lecture's single-neuron numbers", () => {
    expect(neuron!.o!.data).toBeCloseTo(0.7071, 4);
    expect(neuron!.x1!.grad).toBeCloseTo(-1.5, 4);
    expect(neuron!.w1!.grad).toBeCloseTo(1.0, 4);
    expect(neuron!.x2!.grad).toBeCloseTo(0.5, 4);
    expect(neuron!.w2!.grad).toBe(0);
  });

  it('gives the L = d * f gradients exactly', () => {
    const grads = Object.fromEntries(Object.entries(expression!).map(([k, v]) => [k, v.grad]));

    expect(grads).toEqual({ a: 6, b: -4, c: -2, e: -2, d: -2, f: 4, L: 1 });
    expect(expression!.L!.data).toBe(-8);
  });

  it('prints the PyTorch-checked numbers of the README example', () => {
    const { a, b, g } = readme!;

    expect(Math.abs(g!.data - 24.70408163265306) / 24.70408163265306).toBeLessThan(1e-12);
    expect(Math.abs(a!.grad - 138.83381924198252) / 138.83381924198252).toBeLessThan(1e-12);
    expect(Math.abs(b!.grad - 645.5772594752186) / 645.5772594752186).toBeLessThan(1e-12);
  });
});
