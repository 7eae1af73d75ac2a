import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryGrid, curvesSvg, decisionBoundarySvg, ticks } from '../src/core/plots.js';
import { present } from '../src/core/checked.js';
import { parseSvg } from './svg.js';

const data = { X: Float64Array.from([0, 0, 1, 2, -1, 0.5]), y: Uint8Array.from([0, 1, 1]) };

describe('boundaryGrid', () => {
  it("spans the data's extent plus 1 on each side, in square cells", () => {
    const grid = boundaryGrid(data.X, 10);

    expect([grid.xMin, grid.xMax, grid.yMin, grid.yMax]).toEqual([-2, 2, -1, 3]);
    expect([grid.nx, grid.ny]).toEqual([10, 10]);
    expect(grid.points).toHaveLength(200);
    expect([grid.points[0], grid.points[1]]).toEqual([-1.8, -0.8]);
  });
});

describe('decisionBoundarySvg', () => {
  it('shades each class region and draws every point, as parseable SVG', () => {
    const grid = boundaryGrid(data.X, 10);
    const scores = Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? -1 : 1));

    const svg = decisionBoundarySvg(data, grid, scores, 'a <title> & more');

    expect(parseSvg(svg)).toEqual({ width: 640, height: 480 });
    expect(svg.match(/<circle /g)).toHaveLength(3);
    // Each row is one run of each class.
    expect(
      svg.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="#b13468"\/>/g),
    ).toHaveLength(10);
    expect(svg.match(/fill="#7e72b5"/g)).toHaveLength(10);
    expect(svg).toContain('a &lt;title&gt; &amp; more');
  });

  it('throws RangeError when the scores do not match the grid', () => {
    const grid = boundaryGrid(data.X, 10);

    expect(() => decisionBoundarySvg(data, grid, [1, 2, 3])).toThrow(/expected 100 scores .* got 3/);
  });
});

describe('curvesSvg', () => {
  it('draws loss and accuracy polylines through every step', () => {
    const records = [0.9, 0.5, 0.2].map((loss, step) => ({
      step,
      loss,
      accuracy: 0.5 + step / 4,
      learningRate: 1,
    }));

    const svg = curvesSvg(records);

    expect(parseSvg(svg).width).toBe(640);
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' '));
    expect(lines.map((l) => l.length)).toEqual([3, 3]);
  });

  it('throws RangeError for no records', () => {
    expect(() => curvesSvg([])).toThrow(/no records/);
  });

  it('labels a diverged loss axis 0 to 1.5 in units of 1e+63, without float noise, clear of its title', () => {
    const records = [0.9, 1.87e63].map((loss, step) => ({ step, loss, accuracy: 0.5, learningRate: 1 }));

    const svg = curvesSvg(records);

    const labels = [...svg.matchAll(/text-anchor="end">([^<]*)</g)].map((m) => m[1]);
    expect(labels.slice(0, 4)).toEqual(['0.0', '0.5', '1.0', '1.5']);
    expect(svg).toContain('>loss (\u00d71e+63)</text>');
    expect(svg).not.toMatch(/000000|e\+63</);
  });
});

/** A label as a number: typographic minus signs back to hyphens. */
const read = (label: string): number => Number(label.replaceAll('\u2212', '-'));

describe('ticks', () => {
  it('labels round values in plain decimals, as before', () => {
    expect(ticks(0, 1.8).ticks.map((t) => t.label)).toEqual(['0.0', '0.5', '1.0', '1.5']);
    expect(ticks(50, 100).ticks.map((t) => t.label)).toEqual(['50', '60', '70', '80', '90', '100']);
    expect(ticks(-1.4, 2.6).ticks.map((t) => t.label)).toEqual(['\u22121', '0', '1', '2']);
  });

  it('writes huge and tiny values in short exponent form', () => {
    expect(ticks(0, 1.96e63).ticks.map((t) => t.label)).toEqual(['0', '5e+62', '1e+63', '1.5e+63']);
    expect(
      ticks(0, 3e-9)
        .ticks.map((t) => t.label)
        .slice(0, 3),
    ).toEqual(['0', '5e\u221210', '1e\u22129']);
    expect(ticks(1e63, 1e63).ticks).toEqual([{ value: 1e63, label: '1e+63' }]);
  });

  it('counts the labels in a power of ten when they would be too wide', () => {
    expect(ticks(0, 45000, 32)).toEqual({
      ticks: [0, 1, 2, 3, 4].map((k) => ({ value: k * 1e4, label: String(k) })),
      power: 4,
    });
    expect(ticks(0, 0.0105, 32).power).toBe(0);
  });

  it('gives short labels that read back as their values, at every magnitude', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 9.99, noNaN: true }),
        fc.integer({ min: -300, max: 300 }),
        fc.boolean(),
        (mantissa, exponent, negative) => {
          const max = mantissa * 10 ** exponent;
          const [lo, hi] = negative ? [-max, max / 3] : [0, max];
          const plain = ticks(lo, hi);
          const scaled = ticks(lo, hi, 32);
          const step = Math.abs((plain.ticks[1]?.value ?? 0) - (plain.ticks[0]?.value ?? 0));
          expect(plain.ticks.length).toBeGreaterThanOrEqual(3);
          expect(plain.ticks.length).toBeLessThanOrEqual(7);
          for (const [i, t] of plain.ticks.entries()) {
            // At most `−7.5e−100`.
            expect(t.label.length).toBeLessThanOrEqual(9);
            expect(t.label).toMatch(/^\u2212?\d+(\.\d+)?(e[+\u2212]\d+)?$/);
            expect(Math.abs(read(t.label) - t.value)).toBeLessThanOrEqual(step * 1e-6);
            const label = present(scaled.ticks[i], `scaled tick ${i}`).label;
            expect(label.replace('.', '').length).toBeLessThanOrEqual(4);
            expect(Math.abs(read(label) * 10 ** scaled.power - t.value)).toBeLessThanOrEqual(step * 1e-6);
          }
        },
      ),
    );
  });
});
