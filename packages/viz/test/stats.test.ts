import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { graphStats } from '../src/index.js';

describe('graphStats', () => {
  it('counts the L = d * f example from the lecture', () => {
    const a = new Value(2, { label: 'a' });
    const b = new Value(-3, { label: 'b' });
    const c = new Value(10, { label: 'c' });
    const f = new Value(-2, { label: 'f' });
    const L = a.mul(b).add(c).mul(f);

    const stats = graphStats(L);

    expect(stats).toEqual({ values: 7, ops: 3, edges: 9 });
  });
});
