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
    for (const t of ticks(this.x0, this.x1)) {
      const x = fmt(this.px(t.value));
      parts.push(`<line x1="${x}" y1="${fmt(bottom)}" x2="${x}" y2="${fmt(bottom + 4)}" stroke="#222"/>`);
      parts.push(`<text x="${x}" y="${fmt(bottom + 16)}" text-anchor="middle">${t.label}</text>`);
    }
    for (const t of ticks(this.y0, this.y1)) {
      const y = fmt(this.py(t.value));
      parts.push(`<line x1="${MARGIN.left - 4}" y1="${y}" x2="${MARGIN.left}" y2="${y}" stroke="#222"/>`);
      parts.push(`<text x="${MARGIN.left - 7}" y="${y}" dy="0.35em" text-anchor="end">${t.label}</text>`);
    }
    if (labels.xLabel !== '') {
      parts.push(
        `<text x="${fmt(MARGIN.left + this.w / 2)}" y="${fmt(bottom + 32)}" text-anchor="middle">${escapeXml(labels.xLabel)}</text>`,
      );
    }
    if (labels.yLabel !== '') {
      parts.push(
        `<text transform="translate(14 ${fmt(this.top + this.h / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(labels.yLabel)}</text>`,
      );
    }
    return parts.join('\n');
  }
}

/** Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten), five to ten of them. */
function ticks(min: number, max: number): { value: number; label: string }[] {
  const span = max - min;
  if (!(span > 0)) return [{ value: min, label: String(min) }];
  const raw = span / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = present(
    [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw),
    `tick step for span ${span}`,
  );
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / power === 2.5 ? 1 : 0));
  const out: { value: number; label: string }[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    const value = Math.round(v / step) * step;
    out.push({
      value,
      label: value
        .toFixed(decimals)
        .replace(/^-(0\.?0*)$/, '$1')
        .replace('-', '\u2212'),
    });
  }
  return out;
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
