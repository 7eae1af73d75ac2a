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

/**
 * Fills `canvas` (`nx` by `ny` cells) from values in [-1, 1] in {@link shade}'s colours, cell `i`
 * row-major from the bottom-left: a neuron's picture, small or on the plot.
 */
export function paintShades(
  canvas: HTMLCanvasElement,
  nx: number,
  ny: number,
  value: (i: number) => number,
): void {
  const context = present(canvas.getContext('2d'), 'canvas 2d context');
  const image = context.createImageData(nx, ny);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const [red, green, blue] = shade(value(r * nx + c));
      const o = 4 * ((ny - 1 - r) * nx + c);
      image.data[o] = red;
      image.data[o + 1] = green;
      image.data[o + 2] = blue;
      image.data[o + 3] = 255;
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

  /** @param onResize - asks for a redraw (the page draws once per frame) */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    onResize: () => void,
  ) {
    new ResizeObserver(onResize).observe(canvas);
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
    paintShades(this.neuronCells, nx, ny, (i) => at(focus.values, i));
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
    for (let i = 0; i < this.testY.length; i++) {
      const [px, py] = this.toCanvas(this.testX, i, width, height);
      context.beginPath();
      context.rect(px - radius * 0.85, py - radius * 0.85, radius * 1.7, radius * 1.7);
      this.paint(context, at(this.testY, i), at(this.testScores, i), ratio);
    }
    for (let i = 0; i < this.y.length; i++) {
      const [px, py] = this.toCanvas(this.X, i, width, height);
      context.beginPath();
      context.arc(px, py, radius, 0, 2 * Math.PI);
      this.paint(context, at(this.y, i), at(this.pointScores, i), ratio);
    }
    if (this.selected >= 0 && this.selected < this.y.length) {
      const [px, py] = this.toCanvas(this.X, this.selected, width, height);
      context.beginPath();
      context.arc(px, py, radius * 2.2, 0, 2 * Math.PI);
      context.lineWidth = 2.5 * ratio;
      context.strokeStyle = '#111827';
      context.stroke();
    }
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

  private paint(context: CanvasRenderingContext2D, label: number, score: number, ratio: number): void {
    context.fillStyle = `rgb(${CLASS_RGB[label as 0 | 1].join(',')})`;
    context.fill();
    // Points on the wrong side of the boundary get a dark ring.
    const wrong = score > 0 !== (label === 1);
    context.lineWidth = (wrong ? 2 : 1.2) * ratio;
    context.strokeStyle = wrong ? '#111827' : 'rgba(255,255,255,0.95)';
    context.stroke();
  }
}
