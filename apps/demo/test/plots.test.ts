import { describe, expect, it } from 'vitest';
import { boundaryGrid, curvesSvg, decisionBoundarySvg } from '../src/core/plots.js';
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
});
