import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../src/index.js';
import { createWorkload, hingeLoss, sgdUpdate } from '../bench/workload.js';

// The benchmark must measure micrograd's demo workload; these pin its shape, not its timing.
describe('bench workload', () => {
  it("builds micrograd's demo graph: 337 parameters, 100 points and about 65,000 nodes", () => {
    const workload = createWorkload();

    const nodes = topologicalOrder(hingeLoss(workload)).length;

    expect([
      workload.parameters.length,
      workload.xs.length,
      workload.ys.filter((y) => y === 1).length,
    ]).toEqual([337, 100, 50]);
    const perPoint = 2 + 80 + 528 + 32 + 5 + 1; // inputs, layer 1, layer 2, output, hinge, its sum
    const dataLoss = 100 * perPoint + 1 + 2; // + sum's starting 0, * (1 / n) and its constant
    const regLoss = 337 + 338 + 2; // p*p, their sum with its 0, * 1e-4 and its constant
    expect(nodes).toBe(dataLoss + regLoss + 337 + 1); // + the parameters, + the final add
  });

  it("lowers the loss over a few SGD steps, as micrograd's demo does", () => {
    const workload = createWorkload();
    const losses: number[] = [];

    for (let step = 0; step < 20; step++) {
      for (const p of workload.parameters) p.grad = 0;
      const loss = hingeLoss(workload);
      loss.backward();
      sgdUpdate(workload.parameters, step);
      losses.push(loss.data);
    }

    expect(losses[19]!).toBeLessThan(losses[0]! / 2);
  });
});
