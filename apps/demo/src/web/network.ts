// Inside the network: one small picture per hidden neuron (its output over the input plane), in
// columns by layer, over lines for the weights whose thickness and colour show their size and sign.
// The pictures are one tab stop (a roving tabindex): arrow keys move between the neurons.
import type { Activation } from '@mg/nn';
import { LinkPainter, type Target } from './links.js';
import { colourKey, inferActivation, scaleOutputs } from './neuron-scale.js';
import { paintShades, type NeuronFocus } from './plot.js';
import type { GridShape } from './protocol.js';
import { at, present } from '../core/checked.js';

/** What the lines show: each weight, or its gradient from the last step. */
export type LinesShow = 'weights' | 'gradients';

/**
 * The one-line note on what the lines show: for gradients after step `step` (0: none taken yet,
 * so there is no gradient to show).
 */
export function linesNote(show: LinesShow, step: number): string {
  if (show === 'weights') return 'Line thickness: the size of each weight; orange +, blue −.';
  if (step === 0)
    return 'No gradient yet: step 0 has had no backward pass. Press Step to see what the first step pushes.';
  return `Line thickness: how strongly step ${step}'s gradient pushes each weight; orange +, blue −.`;
}

const GAP = 4;
const MAX_COLUMN_PX = 560;
/** Room left of the inputs and right of the output, for their labels. */
const MARGIN = 24;

interface Node {
  /** 0 for the inputs, 1.. for hidden layers, the last for the output. */
  layer: number;
  index: number;
  x: number;
  y: number;
  element: HTMLElement;
}

export class NetworkView {
  private readonly links = document.createElement('canvas');
  private readonly painter = new LinkPainter(this.links);
  private readonly key = document.createElement('div');
  private readonly caption = document.createElement('p');
  private nodes: Node[][] = [];
  private sizes: number[] = [];
  private weights: Float32Array = new Float32Array(0);
  /** Each weight's gradient from the last step, in the weights' order. */
  private grads: Float32Array = new Float32Array(0);
  /** The step the weights and gradients are from. */
  private step = 0;
  private show: LinesShow = 'weights';
  private neurons: Float32Array = new Float32Array(0);
  /** The width the layout was made for. */
  private laidOut = 0;
  private highlight: Target | null = null;
  /** The neuron holding the diagram's one tab stop. */
  private stop: Target = { layer: 1, index: 0 };
  private cell = { w: 0, h: 0 };
  private grid: GridShape | null = null;
  /** The hidden layers' activation, as given or as their outputs suggest; null until known. */
  private activation: Activation | null = null;
  private scaled: Float32Array = new Float32Array(0);

  /**
   * @param onFocus - told which hidden neuron is hovered or focused (its output over the plane,
   *   on its picture's colour scale), again when its output changes, and null when none is
   * @param note - where to say what the lines show (see {@link linesNote}), if anywhere
   */
  constructor(
    private readonly box: HTMLElement,
    private readonly onFocus: (focus: NeuronFocus | null) => void = () => undefined,
    private readonly note: HTMLElement | null = null,
  ) {
    this.links.className = 'links';
    this.links.setAttribute('aria-hidden', 'true');
    this.key.className = 'neuron-key note';
    this.caption.className = 'note neuron-caption';
    this.caption.setAttribute('aria-live', 'polite');
    // A new width (a resized window, a rotated phone) lays the columns out again.
    new ResizeObserver(() => {
      const grid = this.grid;
      if (grid === null || this.width() === this.laidOut) return;
      const { neurons, weights, grads, step } = this;
      this.setShape(this.sizes, grid, this.activation ?? undefined);
      if (weights.length > 0) this.update(neurons, weights, grads, step);
    }).observe(box);
  }

  private width(): number {
    return Math.max(this.box.clientWidth, 200);
  }

  /**
   * Lays out a network of layer sizes `sizes` (inputs first) whose neuron pictures sample `grid`.
   *
   * @param activation - the hidden layers' activation, which sets what the pictures' colours mean
   *   (see {@link scaleOutputs}); when not given, the first outputs suggest it
   */
  setShape(sizes: number[], grid: GridShape, activation?: Activation): void {
    const refocus = this.hasFocus();
    this.sizes = sizes;
    this.grid = grid;
    if (this.highlight !== null) this.onFocus(null);
    this.highlight = null;
    // Pictures of another network do not fit this one: the next update brings this one's.
    this.weights = new Float32Array(0);
    this.grads = new Float32Array(0);
    this.step = 0;
    this.neurons = new Float32Array(0);
    this.activation = activation ?? null;
    if (!this.holds(this.stop)) this.stop = { layer: 1, index: 0 };
    const tallest = Math.max(...sizes.slice(1, -1), 2);
    const w = Math.max(10, Math.min(40, Math.floor(MAX_COLUMN_PX / tallest) - GAP));
    this.cell = { w, h: Math.max(8, Math.round((w * grid.ny) / grid.nx)) };
    const width = this.width();
    this.laidOut = width;
    const height = tallest * (this.cell.h + GAP) + GAP;
    const stage = this.makeStage(height);
    this.nodes = sizes.map((count, layer) => this.makeColumn(stage, layer, count, width, height));
    this.links.width = width;
    this.links.height = height;
    this.links.style.width = `${width}px`;
    this.links.style.height = `${height}px`;
    stage.prepend(this.links);
    this.painter.setSegments(this.segments());
    this.caption.textContent = '';
    this.showKey();
    this.box.replaceChildren(stage, this.key, this.caption);
    this.drawInputs();
    if (refocus) this.nodeAt(this.stop)?.element.focus();
  }

  /** The stage: the diagram's one tab stop among its neurons, as a group. */
  private makeStage(height: number): HTMLElement {
    const stage = document.createElement('div');
    stage.className = 'stage';
    stage.style.height = `${height}px`;
    stage.setAttribute('role', 'group');
    stage.setAttribute('aria-label', 'Hidden neurons: arrow keys move between them');
    return stage;
  }

  /** Layer `layer`'s `count` nodes, placed on `stage` in their column. */
  private makeColumn(
    stage: HTMLElement,
    layer: number,
    count: number,
    width: number,
    height: number,
  ): Node[] {
    const columns = this.sizes.length;
    const x =
      columns === 1
        ? width / 2
        : this.cell.w / 2 + MARGIN + ((width - this.cell.w - 2 * MARGIN) * layer) / (columns - 1);
    return Array.from({ length: count }, (_, index) => {
      const y = height / 2 + (index - (count - 1) / 2) * (this.cell.h + GAP);
      const edge = layer === 0 || layer === columns - 1;
      const element = edge ? this.edgeElement(layer, index) : this.neuronElement(layer, index);
      element.style.left = `${x - this.cell.w / 2}px`;
      element.style.top = `${y - this.cell.h / 2}px`;
      stage.append(element);
      if (edge) stage.append(this.edgeLabel(layer, index, x, y));
      return { layer, index, x, y, element };
    });
  }

  /** Each weight's line ends (`x0, y0, x1, y1`), in the weights' order. */
  private segments(): Float32Array {
    const count = this.sizes.reduce((n, size, l) => n + (l === 0 ? 0 : size * at(this.sizes, l - 1)), 0);
    const segments = new Float32Array(4 * count);
    const half = this.cell.w / 2;
    let o = 0;
    for (const [l, from] of this.nodes.slice(0, -1).entries()) {
      for (const to of at(this.nodes, l + 1)) {
        for (const source of from) {
          segments.set([source.x + half, source.y, to.x - half, to.y], o);
          o += 4;
        }
      }
    }
    return segments;
  }

  /**
   * New neuron outputs (neuron-major over the grid), weights, and the weights' gradients from
   * step `step` (the last step taken; all 0 at step 0).
   */
  update(
    neurons: Float32Array,
    weights: Float32Array,
    grads: Float32Array = new Float32Array(weights.length),
    step = 0,
  ): void {
    this.weights = weights;
    this.grads = grads;
    this.step = step;
    this.neurons = neurons;
    this.tellLines();
    const grid = this.grid;
    if (grid === null) return;
    if (this.activation === null) {
      this.activation = inferActivation(neurons);
      this.showKey();
    }
    const cells = grid.nx * grid.ny;
    if (this.scaled.length !== cells) this.scaled = new Float32Array(cells);
    let offset = 0;
    for (const column of this.nodes.slice(1, -1)) {
      for (const node of column) {
        const values = neurons.subarray(offset, offset + cells);
        offset += cells;
        scaleOutputs(values, this.activation, this.scaled);
        paintShades(node.element as HTMLCanvasElement, grid.nx, grid.ny, this.scaled);
      }
    }
    this.drawLinks();
    this.tellFocus();
  }

  /** Shows on the lines the weights or their gradients from the last step. */
  setLines(show: LinesShow): void {
    this.show = show;
    this.tellLines();
    if (this.highlight !== null) this.setHighlight(this.highlight);
    else this.drawLinks();
  }

  /** The numbers the lines show now: the weights or their gradients. */
  private lineValues(): Float32Array {
    return this.show === 'gradients' && this.grads.length === this.weights.length ? this.grads : this.weights;
  }

  private tellLines(): void {
    if (this.note !== null) this.note.textContent = linesNote(this.show, this.step);
  }

  /** The highlighted hidden neuron's output, scaled as its picture, to whoever shows it larger. */
  private tellFocus(): void {
    const h = this.highlight;
    const grid = this.grid;
    const values = h === null ? null : this.outputs(h);
    if (h === null || grid === null || values === null || this.activation === null) {
      this.onFocus(null);
      return;
    }
    const scaled = scaleOutputs(values, this.activation, new Float32Array(values.length));
    this.onFocus({ name: `layer ${h.layer} neuron ${h.index + 1}`, values: scaled, grid });
  }

  /** Hidden neuron `target`'s outputs over the grid, or null before they arrive. */
  private outputs(target: Target): Float32Array | null {
    const grid = this.grid;
    if (grid === null) return null;
    const cells = grid.nx * grid.ny;
    let offset = target.index * cells;
    for (let l = 1; l < target.layer; l++) offset += at(this.sizes, l) * cells;
    return this.neurons.length < offset + cells ? null : this.neurons.subarray(offset, offset + cells);
  }

  /** What the neuron pictures' colours mean for this network's activation. */
  private showKey(): void {
    if (this.activation === null || this.sizes.length < 3) {
      this.key.replaceChildren();
      return;
    }
    const key = colourKey(this.activation);
    const bar = document.createElement('canvas');
    bar.className = 'key-bar';
    bar.setAttribute('aria-hidden', 'true');
    const across = 32;
    [bar.width, bar.height] = [across, 1];
    const values = Array.from(
      { length: across },
      (_, i) => key.from + ((key.to - key.from) * i) / (across - 1),
    );
    paintShades(bar, across, 1, values);
    const note = document.createElement('span');
    note.textContent = `(${key.note})`;
    this.key.replaceChildren(`${key.name} pictures: ${key.low}`, bar, key.high, note);
  }

  /** An input (a picture of x1 or x2 over the plane) or the output. */
  private edgeElement(layer: number, index: number): HTMLElement {
    const last = layer !== 0;
    const element = last ? document.createElement('div') : document.createElement('canvas');
    element.className = last ? 'node output' : 'node input';
    element.setAttribute('role', 'img');
    element.setAttribute('aria-label', last ? 'output: the score' : `input x${index + 1}`);
    element.style.width = `${this.cell.w}px`;
    element.style.height = `${this.cell.h}px`;
    return element;
  }

  /** The visible name of an input (left of it) or of the output (under it). */
  private edgeLabel(layer: number, index: number, x: number, y: number): HTMLElement {
    const label = document.createElement('span');
    label.setAttribute('aria-hidden', 'true');
    if (layer === 0) {
      label.className = 'node-label input-label';
      label.textContent = `x${index + 1}`;
      label.style.left = '0';
      label.style.width = `${x - this.cell.w / 2 - 3}px`;
      label.style.top = `${y}px`;
    } else {
      label.className = 'node-label output-label';
      label.textContent = 'score';
      label.style.left = `${x}px`;
      label.style.top = `${y + this.cell.h / 2 + 3}px`;
    }
    return label;
  }

  /** A hidden neuron's picture: hovering or focusing it highlights it, arrow keys move on. */
  private neuronElement(layer: number, index: number): HTMLElement {
    const canvas = document.createElement('canvas');
    canvas.className = 'node';
    const { nx, ny } = present(this.grid, 'grid for a hidden neuron');
    canvas.width = nx;
    canvas.height = ny;
    canvas.style.width = `${this.cell.w}px`;
    canvas.style.height = `${this.cell.h}px`;
    canvas.tabIndex = layer === this.stop.layer && index === this.stop.index ? 0 : -1;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `layer ${layer} neuron ${index + 1}`);
    const on = (): void => {
      this.setHighlight({ layer, index });
    };
    const off = (): void => {
      this.setHighlight(null);
    };
    canvas.addEventListener('mouseenter', on);
    canvas.addEventListener('focus', () => {
      this.moveStop({ layer, index });
      on();
    });
    canvas.addEventListener('mouseleave', off);
    canvas.addEventListener('blur', off);
    canvas.addEventListener('keydown', (event) => {
      this.onKey(event, { layer, index });
    });
    return canvas;
  }

  /** Arrow keys, Home and End move the focus from neuron `from` to a neighbour. */
  private onKey(event: KeyboardEvent, from: Target): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const next = this.neighbour(from, event.key);
    if (next === null) return;
    event.preventDefault();
    this.nodeAt(next)?.element.focus();
  }

  /**
   * The neuron key `key` moves to from `from`: up and down (Home and End to the ends) within its
   * layer, left and right to the neuron at about the same height in the next hidden layer.
   */
  private neighbour(from: Target, key: string): Target | null {
    const { layer, index } = from;
    const size = (l: number): number => at(this.sizes, l);
    const lastHidden = this.sizes.length - 2;
    switch (key) {
      case 'ArrowUp':
        return { layer, index: Math.max(0, index - 1) };
      case 'ArrowDown':
        return { layer, index: Math.min(size(layer) - 1, index + 1) };
      case 'Home':
        return { layer, index: 0 };
      case 'End':
        return { layer, index: size(layer) - 1 };
      case 'ArrowLeft':
      case 'ArrowRight': {
        const to = Math.min(lastHidden, Math.max(1, layer + (key === 'ArrowLeft' ? -1 : 1)));
        const across = Math.round(index - (size(layer) - 1) / 2 + (size(to) - 1) / 2);
        return { layer: to, index: Math.min(size(to) - 1, Math.max(0, across)) };
      }
      default:
        return null;
    }
  }

  /** Puts the diagram's one tab stop on `target`. */
  private moveStop(target: Target): void {
    const old = this.nodeAt(this.stop);
    if (old !== null) old.element.tabIndex = -1;
    this.stop = target;
    const next = this.nodeAt(target);
    if (next !== null) next.element.tabIndex = 0;
  }

  /** Whether `target` is a hidden neuron of the current network. */
  private holds(target: Target): boolean {
    return (
      target.layer >= 1 && target.layer < this.sizes.length - 1 && target.index < at(this.sizes, target.layer)
    );
  }

  private nodeAt(target: Target): Node | null {
    return this.nodes[target.layer]?.[target.index] ?? null;
  }

  /** Whether one of the diagram's neurons has the keyboard focus. */
  private hasFocus(): boolean {
    const active = document.activeElement;
    return active !== null && this.box.contains(active) && active.classList.contains('node');
  }

  private setHighlight(target: Target | null): void {
    for (const column of this.nodes) for (const node of column) node.element.classList.remove('active');
    this.highlight = target;
    if (target !== null) {
      at(at(this.nodes, target.layer), target.index).element.classList.add('active');
      const incoming = this.incoming(target.layer, target.index);
      const lo = Math.min(...incoming);
      const hi = Math.max(...incoming);
      // Gradients are often far below 0.01: two significant digits keep them readable.
      const grads = this.show === 'gradients';
      const what = grads ? "weights' gradients" : 'weights';
      const [from, to] = grads ? [lo.toPrecision(2), hi.toPrecision(2)] : [lo.toFixed(2), hi.toFixed(2)];
      this.caption.textContent = `Layer ${target.layer} neuron ${target.index + 1}: ${incoming.length} incoming ${what} from ${from} to ${to}.`;
    } else this.caption.textContent = '';
    this.drawLinks();
    this.tellFocus();
  }

  /** Neuron `index` of layer `layer`'s weights (or their gradients) from the previous layer. */
  private incoming(layer: number, index: number): number[] {
    let offset = 0;
    for (let l = 1; l < layer; l++) offset += at(this.sizes, l) * at(this.sizes, l - 1);
    const fanIn = at(this.sizes, layer - 1);
    return Array.from(this.lineValues().subarray(offset + index * fanIn, offset + (index + 1) * fanIn));
  }

  private drawLinks(): void {
    if (this.weights.length === 0) this.painter.clear();
    else this.painter.draw(this.lineValues(), this.sizes, this.highlight);
  }

  private drawInputs(): void {
    const grid = present(this.grid, 'grid for the inputs');
    for (const node of this.nodes[0] ?? []) {
      const canvas = node.element as HTMLCanvasElement;
      canvas.width = grid.nx;
      canvas.height = grid.ny;
      // The input itself over the plane: x1 grows to the right, x2 upwards.
      const values = Array.from({ length: grid.nx * grid.ny }, (_, i) => {
        const [c, r] = [i % grid.nx, Math.floor(i / grid.nx)];
        return node.index === 0 ? (2 * c) / (grid.nx - 1) - 1 : (2 * r) / (grid.ny - 1) - 1;
      });
      paintShades(canvas, grid.nx, grid.ny, values);
    }
  }
}
