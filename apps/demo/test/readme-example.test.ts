import { describe, expect, it } from 'vitest';
import { readmeExample } from '../src/cli/readme-example.js';

describe('readmeExample', () => {
  it('prints the PyTorch-checked numbers', () => {
    const { g, aGrad, bGrad } = readmeExample();

    expect(Math.abs(g - 24.70408163265306) / 24.70408163265306).toBeLessThan(1e-12);
    expect(Math.abs(aGrad - 138.83381924198252) / 138.83381924198252).toBeLessThan(1e-12);
    expect(Math.abs(bGrad - 645.5772594752186) / 645.5772594752186).toBeLessThan(1e-12);
  });
});
