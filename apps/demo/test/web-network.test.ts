import type { Activation } from '@mg/nn';
import { describe, expect, it } from 'vitest';
import {
  DENSE,
  DRAW_ORDER,
  FADED,
  LEVELS,
  LinkPainter,
  PLAIN,
  RELATED,
  WIDEST,
  linkCode,
  linkCodes,
  linkStyle,
} from '../src/web/links.js';
import { INACTIVE, colourKey, inferActivation, scaleOutputs } from '../src/web/neuron-scale.js';
import { paintShades, shade } from '../src/web/plot.js';

/** A canvas whose 2d context notes the strokes drawn and the picture put. */
function fakeCanvas(width = 100, height = 100) {
  const strokes: { colour: string; width: number; lines: number }[] = [];
  let lines = 0;
  let picture: ImageData | null = null;
  const context = {
    strokeStyle: '',
    lineWidth: 1,
    clearRect: () => undefined,
    beginPath: () => {
      lines = 0;
    },
    moveTo: () => {
      lines += 1;
    },
    lineTo: () => undefined,
    stroke() {
      strokes.push({ colour: this.strokeStyle, width: this.lineWidth, lines });
    },
    createImageData: (w: number, h: number) => ({
      data: new Uint8ClampedArray(4 * w * h),
      width: w,
      height: h,
    }),
    putImageData: (image: ImageData) => {
      picture = image;
    },
  };
  const canvas = { width, height, getContext: () => context } as unknown as HTMLCanvasElement;
  return { canvas, strokes, picture: () => picture };
}

/** Line ends for every weight of a network of layer sizes `sizes`: any will do for counting strokes. */
const segmentsFor = (sizes: number[]): Float32Array =>
  new Float32Array(4 * sizes.slice(1).reduce((n, size, l) => n + size * (sizes[l] ?? 0), 0));

/** `n` weights spread over [-1, 1], deterministic. */
const spread = (n: number): Float32Array => Float32Array.from({ length: n }, (_, k) => Math.sin(k * 12.9898));

describe("the network diagram's weight lines", () => {
  it('draws orange for positive weights, blue for negative, wider and more opaque as they grow', () => {
    const [weak, strong] = [linkStyle(linkCode(0.05, PLAIN)), linkStyle(linkCode(1, PLAIN))];
    const negative = linkStyle(linkCode(-1, PLAIN));

    expect(strong.colour).toBe('rgba(234,118,30,0.900)');
    expect(negative.colour).toBe('rgba(37,99,235,0.900)');
    expect(strong.width).toBeCloseTo(WIDEST);
    expect(weak.width).toBeLessThan(1);
    expect(weak.colour).toMatch(/,0\.2\d\d\)$/);
  });

  it('fades the lines beside a highlighted neuron, drops those too faint to see, and bolds its own', () => {
    expect(linkStyle(linkCode(0, FADED)).visible).toBe(false);
    expect(linkStyle(linkCode(0.5, FADED)).visible).toBe(true);
    expect(linkStyle(linkCode(0, PLAIN)).visible).toBe(true);
    expect(linkStyle(linkCode(1, RELATED)).width).toBeCloseTo(WIDEST * 1.6);
  });

  it('keeps lines at most 1 px wide in a dense mesh, but for the highlighted neuron', () => {
    expect(linkStyle(linkCode(1, PLAIN), 1).width).toBe(1);
    expect(linkStyle(linkCode(1, RELATED), 1).width).toBeCloseTo(WIDEST);
  });

  it('draws every code once: faded lines first, the highlighted neuron last, weak under strong', () => {
    const codes = 2 * LEVELS * 3;

    expect([...DRAW_ORDER].sort((a, b) => a - b)).toEqual(Array.from({ length: codes }, (_, c) => c));
    expect(DRAW_ORDER.slice(0, 2 * LEVELS).every((c) => Math.floor(c / (2 * LEVELS)) === FADED)).toBe(true);
    expect(DRAW_ORDER.slice(-2 * LEVELS).every((c) => Math.floor(c / (2 * LEVELS)) === RELATED)).toBe(true);
    expect(DRAW_ORDER.indexOf(linkCode(0.1, PLAIN))).toBeLessThan(DRAW_ORDER.indexOf(linkCode(0.9, PLAIN)));
  });

  it("gives a highlighted neuron's incoming and outgoing weights their own role, relative to the largest", () => {
    // 2 inputs, 3 hidden, 1 output: weights w[1][j][k] (6), then w[2][0][j] (3).
    const weights = Float32Array.from([1, -2, 3, -4, 0.5, 0, 8, -8, 2]);
    const codes = linkCodes(weights, [2, 3, 1], { layer: 1, index: 1 }, new Uint8Array(9));
    const role = (code: number): number => Math.floor(code / (2 * LEVELS));

    expect([...codes].map(role)).toEqual([
      FADED,
      FADED,
      RELATED,
      RELATED,
      FADED,
      FADED,
      FADED,
      RELATED,
      FADED,
    ]);
    expect(codes[6]).toBe(linkCode(1, FADED));
    expect(codes[7]).toBe(linkCode(-1, RELATED));
    expect(codes[4]).toBe(linkCode(0.5 / 8, FADED));
  });

  it('strokes 12,480 lines of a 64 x 64 x 64 x 64 network in at most one stroke per look, and skips a redraw that changes none', () => {
    const sizes = [2, 64, 64, 64, 64, 1];
    const { canvas, strokes } = fakeCanvas();
    const painter = new LinkPainter(canvas);
    painter.setSegments(segmentsFor(sizes));
    const weights = spread(12_480);

    expect(painter.draw(weights, sizes, null)).toBe(true);
    expect(strokes.reduce((n, s) => n + s.lines, 0)).toBe(12_480);
    expect(strokes.length).toBeLessThanOrEqual(2 * LEVELS);
    expect(Math.max(...strokes.map((s) => s.width))).toBeLessThanOrEqual(1);
    expect(12_480).toBeGreaterThan(DENSE);

    strokes.length = 0;
    const nudged = weights.map((w) => w * 1.0001);
    expect(painter.draw(nudged, sizes, null)).toBe(false);
    expect(strokes).toEqual([]);
    expect(painter.draw(nudged, sizes, { layer: 2, index: 5 })).toBe(true);
    // The highlighted neuron's 64 + 64 lines keep their opacity; the others are faded below 0.11.
    const opaque = strokes.filter((s) => Number(/,([\d.]+)\)$/.exec(s.colour)?.[1]) >= 0.2);
    expect(opaque.reduce((n, s) => n + s.lines, 0)).toBe(128);
  });

  it('keeps the wide lines of the notebook network, 16 x 16', () => {
    const sizes = [2, 16, 16, 1];
    const { canvas, strokes } = fakeCanvas();
    const painter = new LinkPainter(canvas);
    painter.setSegments(segmentsFor(sizes));
    painter.draw(spread(304), sizes, null);

    expect(Math.max(...strokes.map((s) => s.width))).toBeCloseTo(WIDEST);
  });
});

describe("the neuron pictures' colours", () => {
  const scaled = (values: number[], activation: Activation): number[] =>
    [...scaleOutputs(values, activation, new Float32Array(values.length))].map((v) => Number(v.toFixed(4)));

  it('shows ReLU outputs, never below 0, from pale blue where the neuron is inactive to orange at its largest', () => {
    expect(scaled([0, 0, 1, 2, 4], 'relu')).toEqual([INACTIVE, INACTIVE, -0.125, 0.25, 1]);
    expect(scaled([0, 0], 'relu')).toEqual([INACTIVE, INACTIVE]);
  });

  it('shows sigmoid outputs white at 0.5, blue below and orange above', () => {
    expect(scaled([0.3, 0.5, 0.6], 'sigmoid')).toEqual([-1, 0, 0.5]);
  });

  it('shows tanh outputs white at 0, scaled to the largest size', () => {
    expect(scaled([-0.5, 0, 0.25], 'tanh')).toEqual([-1, 0, 0.5]);
  });

  it('says what the colours mean for each activation', () => {
    expect(colourKey('relu')).toMatchObject({ name: 'ReLU', from: INACTIVE, to: 1, low: '0, inactive' });
    expect(colourKey('sigmoid').note).toMatch(/^white is 0\.5/);
    expect(colourKey('tanh').note).toMatch(/^white is 0;/);
  });

  it('tells the activation from the outputs when the page does not say it', () => {
    expect(inferActivation([0.2, -0.1])).toBe('tanh');
    expect(inferActivation([0, 0.3, 2])).toBe('relu');
    expect(inferActivation([0.2, 0.7])).toBe('sigmoid');
  });

  it('paints each value in its shade, rows from the bottom up', () => {
    const { canvas, picture } = fakeCanvas();
    const values = [-1, -0.5, 0, 0.3, 0.77, 1];
    paintShades(canvas, 3, 2, values);
    const data = picture()?.data ?? new Uint8ClampedArray(0);
    const pixel = (c: number, r: number): number[] => [...data.slice(4 * (r * 3 + c), 4 * (r * 3 + c) + 3)];

    // Value i is cell (i % 3, i / 3) from the bottom-left: the first three are the bottom row. The
    // shades come from a table of 511, within 1 of each exact colour.
    values.forEach((v, i) => {
      const exact = shade(v);
      pixel(i % 3, 1 - Math.floor(i / 3)).forEach((channel, c) => {
        expect(Math.abs(channel - (exact[c] ?? 0))).toBeLessThanOrEqual(1);
      });
    });
  });
});
