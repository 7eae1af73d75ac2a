import { describe, expect, it } from 'vitest';
import { RandomState } from '../src/core/random-state.js';
import { linspace, makeCircles, makeDataset, makeMoons, makeSpiral } from '../src/core/datasets.js';
import { expectUlps } from './ulps.js';

describe('makeMoons', () => {
  it("reproduces NumPy's rows of make_moons(100, noise=0.1) after seed(1337)", () => {
    const random = new RandomState(1337);

    const { X, y } = makeMoons(100, random, { noise: 0.1 });

    expectUlps([X[0]!, X[1]!], [1.1221146075409683, 0.08147717341718697], 4);
    expect(y[0]).toBe(0);
    expectUlps([X[198]!, X[199]!], [0.12108297264758441, 1.0655522522437006], 4);
    expect(Math.abs(X.reduce((s, v) => s + v, 0) - 78.61023442501714)).toBeLessThan(1e-12);
  });

  it('shuffles the labels as NumPy does (exact: integer draws only)', () => {
    const { y } = makeMoons(100, new RandomState(1337), { noise: 0.1 });

    // sklearn.datasets.make_moons(100, noise=0.1) after np.random.seed(1337): y[:20]
    expect(Array.from(y.subarray(0, 20))).toEqual([
      0, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0,
    ]);
    expect(y.reduce((s, v) => s + v, 0)).toBe(50);
  });

  it('lays out the unshuffled, noiseless half circles exactly', () => {
    const { X, y } = makeMoons(5, new RandomState(0), { shuffle: false });

    expect(Array.from(y)).toEqual([0, 0, 1, 1, 1]);
    expect([X[0], X[1], X[2], X[3]]).toEqual([1, 0, Math.cos(Math.PI), Math.sin(Math.PI)]);
    expect([X[4], X[5], X[8], X[9]]).toEqual([0, 0.5, 2, 1 - Math.sin(Math.PI) - 0.5]);
  });

  it('throws RangeError quoting bad samples or noise', () => {
    const random = new RandomState(0);

    expect(() => makeMoons(0, random)).toThrow(/makeMoons: samples .* got 0/);
    expect(() => makeMoons(10, random, { noise: -0.1 })).toThrow(/makeMoons: noise .* got -0.1/);
  });
});

describe('makeCircles', () => {
  it('matches a NumPy transcription of make_circles(7, noise=0.05, factor=0.5) after seed(3)', () => {
    const { X, y } = makeCircles(7, new RandomState(3), { noise: 0.05, factor: 0.5 });

    expect(Array.from(y)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expectUlps(
      X,
      [
        0.04902769351454419, 0.5013509520897262, -0.023002106033134274, -0.5028960420297178,
        -0.39612129314435857, -0.03006562380945642, 0.5469618194662156, -0.05902043077887997,
        -0.5173665087795605, 0.86934034046012, 0.9186207360396559, 0.01989429300622796, -0.5814578714291813,
        -0.8979721800439378,
      ],
      8,
    );
  });
});

describe('makeSpiral', () => {
  it('gives two arms of equal size whose radii grow from 0.1 to 1 when noiseless', () => {
    const { X, y } = makeSpiral(40, new RandomState(1), { shuffle: false });
    const radius = (i: number) => Math.hypot(X[2 * i]!, X[2 * i + 1]!);

    expect(y.reduce((s, v) => s + v, 0)).toBe(20);
    expect(radius(0)).toBeCloseTo(0.1, 12);
    expect(radius(19)).toBeCloseTo(1, 12);
    expect(radius(20)).toBeCloseTo(0.1, 12);
    // The second arm is the first turned by half a turn.
    expect(X[40]).toBeCloseTo(-X[0]!, 12);
    expect(X[41]).toBeCloseTo(-X[1]!, 12);
  });
});

describe('makeDataset', () => {
  it('seeds a fresh generator, so the same options give the same data', () => {
    const a = makeDataset('spiral', { samples: 30, noise: 0.1, seed: 9 });
    const b = makeDataset('spiral', { samples: 30, noise: 0.1, seed: 9 });
    const moons = makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 });

    expect(a).toEqual(b);
    expect(moons).toEqual(makeMoons(100, new RandomState(1337), { noise: 0.1 }));
  });
});

describe('linspace', () => {
  it('follows NumPy: i * step + start, with the endpoint exact', () => {
    expect(linspace(0, Math.PI, 3, true)).toEqual([0, Math.PI / 2, Math.PI]);
    expect(linspace(0, 1, 4, false)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(linspace(2, 5, 1, true)).toEqual([2]);
  });
});
