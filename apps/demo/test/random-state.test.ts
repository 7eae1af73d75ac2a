import { describe, expect, it } from 'vitest';
import { RandomState } from '../src/core/random-state.js';
import { expectUlps } from './ulps.js';

// Reference values printed by NumPy 2.4 (legacy RandomState), e.g. `np.random.seed(1337); np.random.normal(size=3)`.
describe('RandomState', () => {
  it('draws random_sample exactly as NumPy after seed(1337)', () => {
    const rs = new RandomState(1337);

    const draws = [rs.randomSample(), rs.randomSample(), rs.randomSample()];

    expect(draws).toEqual([0.2620246750155817, 0.1586839721544656, 0.27812651949435974]);
  });

  it("draws NumPy's np.random.normal() values after seed(1337)", () => {
    const rs = new RandomState(1337);

    const draws = [rs.normal(), rs.normal(), rs.normal()];

    expectUlps(draws, [-0.7031873098624105, -0.49028236278771464, -0.3218143296501526], 4);
  });

  it('scales and shifts normals as normal(2.5, 0.5)', () => {
    const rs = new RandomState(1337);

    const draws = Array.from({ length: 5 }, () => rs.normal(2.5, 0.5));

    expectUlps(
      draws,
      [2.148406345068795, 2.2548588186061425, 2.339092835174924, 1.6224606414380065, 2.6033322351069152],
      4,
    );
  });

  it('forgets the cached normal when reseeded', () => {
    const rs = new RandomState(99);
    rs.normal();

    rs.seed(1337);

    expectUlps([rs.normal()], [-0.7031873098624105], 4);
  });

  it('permutes as np.random.permutation(10) after seed(7)', () => {
    const rs = new RandomState(7);

    const order = rs.permutation(10);

    expect(order).toEqual([8, 5, 0, 2, 1, 9, 7, 3, 6, 4]);
  });

  it('shuffles a typed array in place as np.random.shuffle after seed(42)', () => {
    const rs = new RandomState(42);
    const items = Int32Array.from({ length: 20 }, (_, i) => i);

    rs.shuffle(items);

    expect(Array.from(items)).toEqual([0, 17, 15, 1, 8, 5, 11, 3, 18, 16, 13, 2, 9, 19, 4, 12, 7, 10, 14, 6]);
  });

  it('keeps randomInterval within [0, max] and returns 0 for max 0 without drawing', () => {
    const rs = new RandomState(5);
    const twin = new RandomState(5);

    const zero = rs.randomInterval(0);
    const draws = Array.from({ length: 1000 }, () => rs.randomInterval(5));

    expect(zero).toBe(0);
    expect(draws.every((d) => d >= 0 && d <= 5)).toBe(true);
    expect(new Set(draws).size).toBe(6);
    twin.randomInterval(0);
    expect(twin.randomInterval(5)).toBe(draws[0]);
  });

  it('throws RangeError naming the method for a bad seed, scale or max', () => {
    const rs = new RandomState(0);

    expect(() => new RandomState(-1)).toThrow(/RandomState: seed .* got -1/);
    expect(() => {
      rs.seed(2 ** 32);
    }).toThrow(RangeError);
    expect(() => rs.normal(0, -1)).toThrow(/RandomState.normal: scale .* got -1/);
    expect(() => rs.randomInterval(1.5)).toThrow(/randomInterval: .* got 1.5/);
  });
});
