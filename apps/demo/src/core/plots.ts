import type { Dataset } from './datasets.js';
import type { StepRecord } from './train.js';
import { at, last as lastOf, pointAt, present } from './checked.js';

/** A regular grid of points over a rectangle, at which a model is scored to draw its boundary. */
export interface Grid {
  /** The plotted range. */
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
  /** Cells across and down. */
  readonly nx: number;
  readonly ny: number;
  /** Cell centres, row-major from the bottom-left, as `(x, y)` pairs: what to score. */
  readonly points: Float64Array;
}

// matplotlib's Spectral at 0 and 1 at alpha 0.8 on white (the notebook's contourf), premixed so
// neighbouring rectangles leave no seams; jet at 0 and 1 (its scatter).
const REGION = ['#b13468', '#7e72b5'] as const;
const POINT = ['#000080', '#800000'] as const;
const WIDTH = 640;
const HEIGHT = 480;
const MARGIN = { left: 56, right: 18, top: 34, bottom: 40 } as const;

/**
 * The notebook's plot range (the data's extent plus 1 on every side), split into cells.
 *
 * @param X - the points, row-major `(x, y)` pairs
 * @param across - cells across; the cells are square (default 320)
 * @returns the grid, whose `points` to score
 * @throws RangeError when there are no points or `across` is not a positive integer
 */
export function boundaryGrid(X: Float64Array, across = 320): Grid {
  if (X.length < 2) throw new RangeError('boundaryGrid: no points');
  if (!Number.isInteger(across) || across < 1)
    throw new RangeError(`boundaryGrid: across must be a positive integer, got ${across}`);
  let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; 2 * i + 1 < X.length; i++) {
    const [x, y] = pointAt(X, i);
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  [xMin, xMax, yMin, yMax] = [xMin - 1, xMax + 1, yMin - 1, yMax + 1];
  const cell = (xMax - xMin) / across;
  const nx = across;
  const ny = Math.max(1, Math.round((yMax - yMin) / cell));
  const dy = (yMax - yMin) / ny;
  const points = new Float64Array(2 * nx * ny);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      points[2 * (r * nx + c)] = xMin + (c + 0.5) * cell;
      points[2 * (r * nx + c) + 1] = yMin + (r + 0.5) * dy;
    }
  }
  return { xMin, xMax, yMin, yMax, nx, ny, points };
}

/**
 * The notebook's decision boundary picture as SVG text: the grid shaded by the sign of the
 * model's score (matplotlib's Spectral ends at 80% opacity), the points on top coloured by
 * class (jet's ends), with axes.
 *
 * @param data - the points and their 0/1 classes
 * @param grid - from {@link boundaryGrid}
 * @param scores - the model's score at each of `grid.points`
 * @param title - a caption above the plot
 * @returns a standalone SVG document
 * @throws RangeError when `scores` does not have one entry per grid cell
 * @example
 * ```ts
 * const grid = boundaryGrid(data.X);
 * const svg = decisionBoundarySvg(data, grid, training.scores(grid.points), 'moons, step 100');
 * ```
 */
export function decisionBoundarySvg(
  data: Dataset,
  grid: Grid,
  scores: ArrayLike<number>,
  title = '',
): string {
  const { nx, ny } = grid;
  if (scores.length !== nx * ny) {
    throw new RangeError(
      `decisionBoundarySvg: expected ${nx * ny} scores (one per grid cell), got ${scores.length}`,
    );
  }
  const frame = new Frame(grid.xMin, grid.xMax, grid.yMin, grid.yMax);
  const cellW = frame.w / nx;
  const cellH = frame.h / ny;
  const regions: string[] = [];
  // One rectangle per run of same-class cells in a row keeps the file small.
  for (let r = 0; r < ny; r++) {
    let start = 0;
    for (let c = 1; c <= nx; c++) {
      const cls = Number(at(scores, r * nx + start) > 0);
      if (c < nx && Number(at(scores, r * nx + c) > 0) === cls) continue;
      const x = MARGIN.left + start * cellW;
      const y = MARGIN.top + frame.h - (r + 1) * cellH;
      regions.push(
        `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt((c - start) * cellW + 0.5)}" height="${fmt(cellH + 0.5)}" fill="${REGION[cls as 0 | 1]}"/>`,
      );
      start = c;
    }
  }
  const points: string[] = [];
  for (const [i, label] of data.y.entries()) {
    const cls = label === 1 ? 1 : 0;
    const [x, y] = pointAt(data.X, i);
    points.push(`<circle cx="${fmt(frame.px(x))}" cy="${fmt(frame.py(y))}" r="3.6" fill="${POINT[cls]}"/>`);
  }
  return svgDocument(
    title,
    [
      `<clipPath id="plot"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${fmt(frame.w)}" height="${fmt(frame.h)}"/></clipPath>`,
      `<g clip-path="url(#plot)"><g shape-rendering="crispEdges">${regions.join('')}</g>${points.join('')}</g>`,
      frame.axes(),
    ].join('\n'),
  );
}

/**
 * The training curves as SVG text: loss above, accuracy below, against the step.
 *
 * @param records - the steps' records, in order
 * @param title - a caption above the plots
 * @returns a standalone SVG document
 * @throws RangeError when there are no records
 * @example
 * ```ts
 * const svg = curvesSvg(records, 'moons, MLP 2-16-16-1');
 * ```
 */
export function curvesSvg(records: readonly StepRecord[], title = ''): string {
  if (records.length === 0) throw new RangeError('curvesSvg: no records to plot');
  const last = Math.max(1, lastOf(records).step);
  const first = at(records, 0).step;
  const maxLoss = Math.max(...records.map((r) => r.loss));
  const minAccuracy = Math.min(...records.map((r) => r.accuracy * 100));
  const gap = 34;
  const panelH = (HEIGHT - MARGIN.top - MARGIN.bottom - gap) / 2;
  const loss = new Frame(first, last, 0, maxLoss * 1.05, { top: MARGIN.top, height: panelH });
  const accuracy = new Frame(first, last, Math.min(50, Math.floor(minAccuracy / 10) * 10), 100, {
    top: MARGIN.top + panelH + gap,
    height: panelH,
  });
  const line = (frame: Frame, value: (r: StepRecord) => number, colour: string): string =>
    `<polyline fill="none" stroke="${colour}" stroke-width="1.8" stroke-linejoin="round" points="${records.map((r) => `${fmt(frame.px(r.step))},${fmt(frame.py(value(r)))}`).join(' ')}"/>`;
  return svgDocument(
    title,
    [
      line(loss, (r) => r.loss, '#1f77b4'),
      loss.axes({ yLabel: 'loss', xLabel: '' }),
      line(accuracy, (r) => r.accuracy * 100, '#d62728'),
      accuracy.axes({ yLabel: 'accuracy %', xLabel: 'step' }),
    ].join('\n'),
  );
}

/** Maps data coordinates into a plot area and draws its axes. */
class Frame {
  readonly w = WIDTH - MARGIN.left - MARGIN.right;
  readonly h: number;
  private readonly top: number;

  constructor(
    private readonly x0: number,
    private readonly x1: number,
    private readonly y0: number,
    private readonly y1: number,
    area: { top: number; height: number } = { top: MARGIN.top, height: HEIGHT - MARGIN.top - MARGIN.bottom },
  ) {
    this.top = area.top;
    this.h = area.height;
  }

  px(x: number): number {
    return MARGIN.left + ((x - this.x0) / (this.x1 - this.x0 || 1)) * this.w;
  }

  py(y: number): number {
    return this.top + this.h - ((y - this.y0) / (this.y1 - this.y0 || 1)) * this.h;
  }

  axes(labels: { xLabel: string; yLabel: string } = { xLabel: '', yLabel: '' }): string {
    const bottom = this.top + this.h;
    const parts = [
      `<rect x="${MARGIN.left}" y="${fmt(this.top)}" width="${fmt(this.w)}" height="${fmt(this.h)}" fill="none" stroke="#222"/>`,
    ];
    for (const t of ticks(this.x0, this.x1).ticks) {
      const x = fmt(this.px(t.value));
      parts.push(`<line x1="${x}" y1="${fmt(bottom)}" x2="${x}" y2="${fmt(bottom + 4)}" stroke="#222"/>`);
      parts.push(`<text x="${x}" y="${fmt(bottom + 16)}" text-anchor="middle">${t.label}</text>`);
    }
    // Labels end 7px left of the axis and must clear the rotated axis title, 17px from the edge.
    const y = ticks(this.y0, this.y1, MARGIN.left - 7 - 17);
    for (const t of y.ticks) {
      const ty = fmt(this.py(t.value));
      parts.push(`<line x1="${MARGIN.left - 4}" y1="${ty}" x2="${MARGIN.left}" y2="${ty}" stroke="#222"/>`);
      parts.push(`<text x="${MARGIN.left - 7}" y="${ty}" dy="0.35em" text-anchor="end">${t.label}</text>`);
    }
    if (labels.xLabel !== '') {
      parts.push(
        `<text x="${fmt(MARGIN.left + this.w / 2)}" y="${fmt(bottom + 32)}" text-anchor="middle">${escapeXml(labels.xLabel)}</text>`,
      );
    }
    const yLabel = [labels.yLabel, y.power === 0 ? '' : `(${powerLabel(y.power)})`]
      .filter((t) => t !== '')
      .join(' ');
    if (yLabel !== '') {
      parts.push(
        `<text transform="translate(14 ${fmt(this.top + this.h / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
      );
    }
    return parts.join('\n');
  }
}

/** An axis's ticks, and the power of ten their labels count in (0 when they show the values). */
export interface Ticks {
  readonly ticks: { value: number; label: string }[];
  readonly power: number;
}

/**
 * Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten), three to seven of them, with
 * clean labels: plain decimals (`0.25`, `1500`), or in exponent form (`1.5e+63`) when the largest
 * reaches a million or the step is under a thousandth; never with float noise. When a label would
 * be wider than `maxWidth` pixels, every label counts in the power of ten of the largest tick
 * (`1.5` for 1.5e+63).
 *
 * @param min - the axis's lower end
 * @param max - its upper end
 * @param maxWidth - the widest a label may be, in pixels at the plots' 11px font (default: any)
 * @returns the ticks, and the power of ten their labels count in
 * @example
 * ```ts
 * ticks(0, 2e63).ticks.map((t) => t.label); // ['0', '5e+62', '1e+63', '1.5e+63', '2e+63']
 * ticks(0, 2e63, 30).ticks.map((t) => t.label); // ['0.0', '0.5', '1.0', '1.5', '2.0']
 * ticks(0, 2e63, 30).power; // 63
 * ```
 */
export function ticks(min: number, max: number, maxWidth = Infinity): Ticks {
  const span = max - min;
  if (!(span > 0)) return { ticks: [{ value: min, label: tickLabel(min, Math.abs(min) || 1) }], power: 0 };
  const raw = span / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = present(
    [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw),
    `tick step for span ${span}`,
  );
  const values: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    values.push(Math.round(v / step) * step);
  const largest = Math.max(...values.map((v) => Math.abs(v)));
  const plain = values.map((value) => ({ value, label: tickLabel(value, step, largest) }));
  if (plain.every((t) => labelWidth(t.label) <= maxWidth)) return { ticks: plain, power: 0 };
  const exponent = Math.floor(Math.log10(largest) + 1e-9);
  const unit = 10 ** exponent;
  return {
    ticks: values.map((value) => ({ value, label: fixedLabel(value / unit, step / unit) })),
    power: exponent,
  };
}

/**
 * `value` written with just the digits that tell ticks `step` apart: fixed-point when the axis's
 * `largest` tick is under a million and the step at least a thousandth, else in exponent form.
 */
function tickLabel(value: number, step: number, largest = Math.abs(value)): string {
  return largest < 1e6 && step >= 1e-3 ? fixedLabel(value, step) : exponentLabel(value, step);
}

/** `value` in fixed-point, to the step's last digit: `0.25`, `1500`, `−1`. */
function fixedLabel(value: number, step: number): string {
  return minus(value.toFixed(Math.max(0, -lastDigit(step))).replace(/^-(0\.?0*)$/, '$1'));
}

/** `value` in exponent form, to the step's last digit: `1.5e+63`, `2e−7`, `0`. */
function exponentLabel(value: number, step: number): string {
  if (value === 0) return '0';
  const digits = Math.max(0, Math.floor(Math.log10(Math.abs(value)) + 1e-9) - lastDigit(step));
  // 1.50e+63 -> 1.5e+63, 2.00e+63 -> 2e+63.
  return minus(value.toExponential(Math.min(digits, 20)).replace(/\.?0+e/, 'e'));
}

/** The power of ten of the step's last significant digit: 2.5 × 10^k has one more than 1, 2 or 5 × 10^k. */
function lastDigit(step: number): number {
  return Math.floor(Math.log10(step) + 1e-9) - (isTwoAndAHalf(step) ? 1 : 0);
}

/** Hyphens as typographic minus signs. */
function minus(text: string): string {
  return text.replaceAll('-', '\u2212');
}

/** Whether `step` is 2.5 times a power of ten. */
function isTwoAndAHalf(step: number): boolean {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return Math.abs(mantissa - 2.5) < 1e-9;
}

/** About how wide a tick label is at the plots' 11px font: 7px a character, a point half that. */
function labelWidth(label: string): number {
  return 7 * label.length - 3.5 * (label.match(/\./g) ?? []).length;
}

/** `×1e+63`, the factor an axis's labels count in, for its title. */
function powerLabel(power: number): string {
  return `\u00d71e${power < 0 ? '\u2212' : '+'}${Math.abs(power)}`;
}

function svgDocument(title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11" fill="#222">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    title === ''
      ? ''
      : `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

function fmt(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
