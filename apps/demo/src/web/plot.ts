// The notebook's picture, live: decision regions under the points, coloured by class.

import type { GridShape } from './protocol.js';
import { at, pointAt, present } from '../core/checked.js';

// Class 0 and class 1, as RGB: a blue and an orange that stay apart for colour-blind readers.
export const CLASS_RGB = [
  [37, 99, 235],
  [234, 118, 30],
] as const;
const POINT_RADIUS = 4.5;

/** Colour of `t` in [-1, 1]: blue below 0, white at 0, orange above (the classes' colours). */
export function shade(t: number): [number, number, number] {
  const rgb = CLASS_RGB[t > 0 ? 1 : 0];
  const a = Math.min(1, Math.abs(t));
  return [
    Math.round(255 + (rgb[0] - 255) * a),
    Math.round(255 + (rgb[1] - 255) * a),
    Math.round(255 + (rgb[2] - 255) * a),
  ];
}

// Every colour {@link shade} gives, `SHADE_STEPS` to each side of white: 3 bytes per step, -1 first.
const SHADE_STEPS = 255;
const SHADES = Uint8Array.from({ length: 3 * (2 * SHADE_STEPS + 1) }, (_, k) => {
  const t = Math.floor(k / 3) / SHADE_STEPS - 1;
  return shade(t)[k % 3] ?? 255;
});

/** Where {@link shade}'s colour of `t` is in the table of shades (white for a value that is not a number). */
function shadeAt(t: number): number {
  const clamped = t > 1 ? 1 : t < -1 ? -1 : t;
  const step = Math.round((clamped + 1) * SHADE_STEPS);
  return 3 * (Number.isNaN(step) ? SHADE_STEPS : step);
}

/**
 * Fills `canvas` (`nx` by `ny` cells) from values in [-1, 1] in {@link shade}'s colours, cell `i`
 * row-major from the bottom-left: a neuron's picture, small or on the plot.
 */
export function paintShades(
  canvas: HTMLCanvasElement,
  nx: number,
  ny: number,
  values: ArrayLike<number>,
): void {
  const context = present(canvas.getContext('2d'), 'canvas 2d context');
  const image = context.createImageData(nx, ny);
  const data = image.data;
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const s = shadeAt(values[r * nx + c] ?? 0);
      const o = 4 * ((ny - 1 - r) * nx + c);
      data[o] = SHADES[s] ?? 255;
      data[o + 1] = SHADES[s + 1] ?? 255;
      data[o + 2] = SHADES[s + 2] ?? 255;
      data[o + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
}

/** A hidden neuron shown on the plot: its name and its output over `grid`, scaled to [-1, 1]. */
export interface NeuronFocus {
  readonly name: string;
  readonly values: Float32Array;
  readonly grid: GridShape;
}

/** Draws regions and points on a canvas and maps clicks back to the nearest point. */
export class Plot {
  private readonly cells = document.createElement('canvas');
  /** A hidden neuron's output, drawn under the points instead of the regions while set. */
  private readonly neuronCells = document.createElement('canvas');
  private showingNeuron = false;
  private grid: GridShape | null = null;
  private X: Float64Array = new Float64Array(0);
  private y: Uint8Array = new Uint8Array(0);
  private pointScores: Float32Array = new Float32Array(0);
  private testX: Float64Array = new Float64Array(0);
  private testY: Uint8Array = new Uint8Array(0);
  private testScores: Float32Array = new Float32Array(0);
  /** The chosen point, ringed; -1 for none. */
  selected = -1;

  /**
   * @param onResize - asks for a redraw (the page draws once per frame)
   * @param key - where the plot's key goes (see {@link renderPlotKey}): by default the `.legend`
   *   beside the canvas, if there is one
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    onResize: () => void,
    key: HTMLElement | null = canvas.parentElement?.querySelector<HTMLElement>(':scope > .legend') ?? null,
  ) {
    new ResizeObserver(onResize).observe(canvas);
    if (key !== null) renderPlotKey(key);
  }

  /** A new dataset (training and test points) and its plot range. */
  setData(X: Float64Array, y: Uint8Array, testX: Float64Array, testY: Uint8Array, grid: GridShape): void {
    this.X = X;
    this.y = y;
    this.testX = testX;
    this.testY = testY;
    this.grid = grid;
    this.pointScores = new Float32Array(y.length);
    this.testScores = new Float32Array(testY.length);
    this.cells.width = grid.nx;
    this.cells.height = grid.ny;
    this.canvas.style.aspectRatio = `${(grid.xMax - grid.xMin) / (grid.yMax - grid.yMin)}`;
  }

  /** The model's scores on the grid and at the training and test points; call {@link Plot.draw} to show them. */
  setScores(scores: Float32Array, pointScores: Float32Array, testScores: Float32Array): void {
    const grid = this.grid;
    if (grid === null) return;
    const context = present(this.cells.getContext('2d'), 'canvas 2d context');
    const image = context.createImageData(grid.nx, grid.ny);
    for (let r = 0; r < grid.ny; r++) {
      for (let c = 0; c < grid.nx; c++) {
        const s = at(scores, r * grid.nx + c);
        const [red, green, blue] = CLASS_RGB[s > 0 ? 1 : 0];
        // Confident regions are deeper; the boundary itself fades towards white.
        const strength = 0.18 + 0.37 * Math.tanh(Math.abs(s));
        const o = 4 * ((grid.ny - 1 - r) * grid.nx + c);
        image.data[o] = Math.round(255 + (red - 255) * strength);
        image.data[o + 1] = Math.round(255 + (green - 255) * strength);
        image.data[o + 2] = Math.round(255 + (blue - 255) * strength);
        image.data[o + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
    this.pointScores = pointScores;
    this.testScores = testScores;
  }

  /**
   * Shows a hidden neuron's output under the points instead of the decision regions (as
   * TensorFlow Playground does when a neuron is hovered), or the regions again for null; call
   * {@link Plot.draw} to show it.
   */
  showNeuron(focus: NeuronFocus | null): void {
    this.showingNeuron = focus !== null;
    if (focus === null) return;
    const { nx, ny } = focus.grid;
    this.neuronCells.width = nx;
    this.neuronCells.height = ny;
    paintShades(this.neuronCells, nx, ny, focus.values);
  }

  /** Repaints at the canvas's current size. */
  draw(): void {
    const grid = this.grid;
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(canvas.clientWidth * ratio);
    const height = Math.round(canvas.clientHeight * ratio);
    if (grid === null || width === 0 || height === 0) return;
    if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
    const context = present(canvas.getContext('2d'), 'canvas 2d context');
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(this.showingNeuron ? this.neuronCells : this.cells, 0, 0, width, height);
    const radius = POINT_RADIUS * ratio;
    // Test points are squares, drawn first so training points stay on top.
    this.drawPoints(context, 'square', this.testX, this.testY, this.testScores, radius, ratio);
    this.drawPoints(context, 'circle', this.X, this.y, this.pointScores, radius, ratio);
    if (this.selected >= 0 && this.selected < this.y.length) {
      const [px, py] = this.toCanvas(this.X, this.selected, width, height);
      ringChosen(context, px, py, radius, ratio);
    }
  }

  /**
   * Points of one kind, batched: one path per class and right or wrong side of the boundary,
   * each filled and outlined at once (a few thousand points cost a few draws, not thousands).
   * Those on the wrong side are drawn last, over the rest.
   */
  private drawPoints(
    context: CanvasRenderingContext2D,
    shape: Shape,
    X: Float64Array,
    labels: Uint8Array,
    scores: Float32Array,
    radius: number,
    ratio: number,
  ): void {
    const { width, height } = context.canvas;
    const paths = [new Path2D(), new Path2D(), new Path2D(), new Path2D()];
    for (let i = 0; i < labels.length; i++) {
      const [px, py] = this.toCanvas(X, i, width, height);
      const label = labels[i] === 1 ? 1 : 0;
      const group = 2 * Number(misclassified(label, scores[i] ?? 0)) + label;
      addMarker(at(paths, group), shape, px, py, radius);
    }
    paths.forEach((path, group) => {
      inkMarkers(context, path, group % 2 === 1 ? 1 : 0, group >= 2, ratio);
    });
  }

  /**
   * The point nearest a click, if one is within reach.
   *
   * @returns its index, or -1
   */
  pointAt(clientX: number, clientY: number): number {
    const rect = this.canvas.getBoundingClientRect();
    const [cx, cy] = [clientX - rect.left, clientY - rect.top];
    let best = -1;
    let bestDistance = 16 ** 2;
    for (let i = 0; i < this.y.length; i++) {
      const [px, py] = this.toCanvas(this.X, i, rect.width, rect.height);
      const d = (px - cx) ** 2 + (py - cy) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    }
    return best;
  }

  /** The number of points. */
  get size(): number {
    return this.y.length;
  }

  /** Where point `i` of `X` is, in canvas pixels (or client pixels, given the client size). */
  toCanvas(X: Float64Array, i: number, width: number, height: number): [number, number] {
    const g = present(this.grid, 'grid to place points on');
    const [x, y] = pointAt(X, i);
    return [((x - g.xMin) / (g.xMax - g.xMin)) * width, ((g.yMax - y) / (g.yMax - g.yMin)) * height];
  }

  /** The training point `i` in client coordinates (for tests and for scrolling to it). */
  clientPoint(i: number): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    const [x, y] = this.toCanvas(this.X, i, rect.width, rect.height);
    return [rect.left + x, rect.top + y];
  }
}

/** How a point is marked: training points are circles, test points squares. */
type Shape = 'circle' | 'square';

/** The colour of class 0 and class 1 points, as CSS. */
const CLASS_CSS = CLASS_RGB.map((rgb) => `rgb(${rgb.join(',')})`);
const WRONG_RING = '#111827';
const RIGHT_RING = 'rgba(255,255,255,0.95)';

/** Whether a point of class `label` with score `score` lies on the wrong side of the boundary. */
function misclassified(label: 0 | 1, score: number): boolean {
  return score > 0 !== (label === 1);
}

/** Adds a point's mark at `(x, y)` to `path`: a circle of radius `r`, or a square about as large. */
function addMarker(path: Path2D, shape: Shape, x: number, y: number, r: number): void {
  if (shape === 'circle') {
    path.moveTo(x + r, y);
    path.arc(x, y, r, 0, 2 * Math.PI);
  } else path.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
}

/**
 * Fills the marks in `path` in their class's colour and outlines them: white, or dark for points
 * on the wrong side of the boundary.
 */
function inkMarkers(
  context: CanvasRenderingContext2D,
  path: Path2D,
  label: 0 | 1,
  wrong: boolean,
  ratio: number,
): void {
  context.fillStyle = CLASS_CSS[label] ?? 'black';
  context.fill(path);
  context.lineWidth = (wrong ? 2 : 1.2) * ratio;
  context.strokeStyle = wrong ? WRONG_RING : RIGHT_RING;
  context.stroke(path);
}

/** The large ring around the chosen point, whose graph the graph panel draws. */
function ringChosen(
  context: CanvasRenderingContext2D,
  x: number,
  y: number,
  radius: number,
  ratio: number,
): void {
  context.beginPath();
  context.arc(x, y, radius * 2.2, 0, 2 * Math.PI);
  context.lineWidth = 2.5 * ratio;
  context.strokeStyle = WRONG_RING;
  context.stroke();
}

/** One entry of the plot's key: what it says, and its icon's points as the plot draws them. */
interface KeyEntry {
  text: string;
  /** The icon's width in CSS pixels. */
  width: number;
  marks: { shape: Shape; label: 0 | 1; wrong: boolean; x: number }[];
  chosen?: boolean;
}

const KEY_HEIGHT = 24;

const KEY: readonly KeyEntry[] = [
  { text: 'class 0', width: 12, marks: [{ shape: 'circle', label: 0, wrong: false, x: 6 }] },
  { text: 'class 1', width: 12, marks: [{ shape: 'circle', label: 1, wrong: false, x: 6 }] },
  {
    text: 'test points',
    width: 24,
    marks: [
      { shape: 'square', label: 0, wrong: false, x: 6 },
      { shape: 'square', label: 1, wrong: false, x: 18 },
    ],
  },
  {
    text: 'misclassified (dark outline)',
    width: 24,
    marks: [
      { shape: 'circle', label: 0, wrong: true, x: 6 },
      { shape: 'circle', label: 1, wrong: true, x: 18 },
    ],
  },
  {
    text: 'chosen point (its graph is below)',
    width: KEY_HEIGHT,
    marks: [{ shape: 'circle', label: 0, wrong: false, x: KEY_HEIGHT / 2 }],
    chosen: true,
  },
];

/**
 * Fills `element` with the plot's key: class 0 and class 1, test points, misclassified points and
 * the chosen point, each icon drawn by the code that draws the plot, so the key shows what the
 * plot does.
 */
export function renderPlotKey(element: HTMLElement): void {
  const ratio = window.devicePixelRatio || 1;
  element.replaceChildren(
    ...KEY.map((entry) => {
      const item = document.createElement('span');
      item.className = 'key-item';
      item.append(keyIcon(entry, ratio), entry.text);
      return item;
    }),
  );
}

/** A key entry's icon, drawn at the page's pixel ratio. */
function keyIcon(entry: KeyEntry, ratio: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-hidden', 'true');
  canvas.width = Math.round(entry.width * ratio);
  canvas.height = Math.round(KEY_HEIGHT * ratio);
  canvas.style.width = `${entry.width}px`;
  canvas.style.height = `${KEY_HEIGHT}px`;
  const context = present(canvas.getContext('2d'), 'canvas 2d context');
  const [radius, y] = [POINT_RADIUS * ratio, (KEY_HEIGHT / 2) * ratio];
  for (const mark of entry.marks) {
    const path = new Path2D();
    addMarker(path, mark.shape, mark.x * ratio, y, radius);
    inkMarkers(context, path, mark.label, mark.wrong, ratio);
  }
  if (entry.chosen === true) ringChosen(context, (entry.width / 2) * ratio, y, radius, ratio);
  return canvas;
}
