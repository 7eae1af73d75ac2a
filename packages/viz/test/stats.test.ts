import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { graphStats, toDot } from '../src/index.js';
import { parseDot } from './parse-dot.js';
import { lossExample, neuronExample, seeds, tanhExample } from './seeds.js';

describe('graphStats', () => {
  // Counted by hand from the expressions; depth is the number of ops from the deepest leaf to the root.
  it.each([
    [
      'x, y, z = x + y, a = tanh(z), b = a * x',
      tanhExample,
      { values: 5, leaves: 2, ops: 3, edges: 8, depth: 3, opHistogram: { add: 1, tanh: 1, mul: 1 } },
    ],
    [
      'the neuron',
      neuronExample,
      { values: 10, leaves: 5, ops: 5, edges: 14, depth: 4, opHistogram: { mul: 2, add: 2, tanh: 1 } },
    ],
    [
      'L = (a*b + c) * f',
      lossExample,
      { values: 7, leaves: 4, ops: 3, edges: 9, depth: 3, opHistogram: { mul: 2, add: 1 } },
    ],
  ])('counts %s', (_, example, expected) => {
    const { root } = example();

    const stats = graphStats(root);

    expect(stats).toEqual(expected);
  });

  it.each(seeds)('agrees with what toDot draws for %s', (_, example) => {
    const { root } = example();

    const stats = graphStats(root);

    const parsed = parseDot(toDot(root));
    expect([parsed.values.size, parsed.ops.size, parsed.edges.length]).toEqual([
      stats.values,
      stats.ops,
      stats.edges,
    ]);
  });

  it('counts a value used twice once, and each of its uses as an edge', () => {
    const a = new Value(2);
    const b = a.add(a);
    const c = b.mul(b).pow(-1);

    const stats = graphStats(c);

    expect(stats).toEqual({
      values: 4,
      leaves: 1,
      ops: 3,
      edges: 8,
      depth: 3,
      opHistogram: { add: 1, mul: 1, pow: 1 },
    });
  });

  it('is a plain object that survives JSON', () => {
    const stats = graphStats(lossExample().root);

    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
    expect(Object.getPrototypeOf(stats)).toBe(Object.prototype);
  });
});
