import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { neuronSvg, neuronSvgPath } from '../scripts/render-docs.js';

describe('docs/neuron.svg', () => {
  it('is what scripts/render-docs.ts renders now (run `pnpm --filter @mg/viz docs` to refresh it)', async () => {
    const checkedIn = readFileSync(neuronSvgPath, 'utf8');

    const rendered = await neuronSvg();

    expect(checkedIn).toBe(rendered);
  });
});
