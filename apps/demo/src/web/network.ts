// Inside the network: one small picture per hidden neuron (its output over the input plane), in
// columns by layer, over lines for the weights whose thickness and colour show their size and sign.
import { CLASS_RGB, paintShades, type NeuronFocus } from './plot.js';
import type { GridShape } from './protocol.js';
import { at, present } from '../core/checked.js';

const GAP = 4;
const MAX_COLUMN_PX = 560;

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
  private readonly caption = document.createElement('p');
  private nodes: Node[][] = [];
  private sizes: number[] = [];
  private weights: Float32Array = new Float32Array(0);
  private neurons: Float32Array = new Float32Array(0);
  /** The width the layout was made for. */
  private laidOut = 0;
  private highlight: { layer: number; index: number } | null = null;
  private cell = { w: 0, h: 0 };
  private grid: GridShape | null = null;

  /**
   * @param onFocus - told which hidden neuron is hovered or focused (its output over the plane,
   *   scaled to [-1, 1] as its picture is), again when its output changes, and null when none is
   */
  constructor(
    private readonly box: HTMLElement,
    private readonly onFocus: (focus: NeuronFocus | null) => void = () => undefined,
  ) {
    this.links.className = 'links';
    this.links.setAttribute('aria-hidden', 'true');
    this.caption.className = 'note';
    this.caption.setAttribute('aria-live', 'polite');
    // A new width (a resized window, a rotated phone) lays the columns out again.
    new ResizeObserver(() => {
      const grid = this.grid;
      if (grid === null || this.width() === this.laidOut) return;
      const { neurons, weights } = this;
      this.setShape(this.sizes, grid);
      if (weights.length > 0) this.update(neurons, weights);
    }).observe(box);
  }

  private width(): number {
    return Math.max(this.box.clientWidth, 200);
  }

  /** Lays out a network of layer sizes `sizes` (inputs first) whose neuron pictures sample `grid`. */
  setShape(sizes: number[], grid: GridShape): void {
    this.sizes = sizes;
    this.grid = grid;
    if (this.highlight !== null) this.onFocus(null);
    this.highlight = null;
    // Pictures of another network do not fit this one: the next update brings this one's.
    this.weights = new Float32Array(0);
    this.neurons = new Float32Array(0);
    const tallest = Math.max(...sizes.slice(1, -1), 2);
    const w = Math.max(10, Math.min(40, Math.floor(MAX_COLUMN_PX / tallest) - GAP));
    this.cell = { w, h: Math.max(8, Math.round((w * grid.ny) / grid.nx)) };
    const columns = sizes.length;
    const width = this.width();
    this.laidOut = width;
    const height = tallest * (this.cell.h + GAP) + GAP;
    const stage = document.createElement('div');
    stage.className = 'stage';
    stage.style.height = `${height}px`;
    this.nodes = sizes.map((count, layer) => {
      const x =
        columns === 1
          ? width / 2
          : this.cell.w / 2 + 24 + ((width - this.cell.w - 48) * layer) / (columns - 1);
      return Array.from({ length: count }, (_, index) => {
        const y = height / 2 + (index - (count - 1) / 2) * (this.cell.h + GAP);
        const element = this.nodeElement(layer, index, layer === 0 || layer === columns - 1);
        element.style.left = `${x - this.cell.w / 2}px`;
        element.style.top = `${y - this.cell.h / 2}px`;
        stage.append(element);
        return { layer, index, x, y, element };
      });
    });
    this.links.width = width;
    this.links.height = height;
    this.links.style.width = `${width}px`;
    this.links.style.height = `${height}px`;
    stage.prepend(this.links);
    this.caption.textContent = '';
    this.box.replaceChildren(stage, this.caption);
    this.drawInputs();
  }

  /** New neuron outputs (neuron-major over the grid) and weights. */
  update(neurons: Float32Array, weights: Float32Array): void {
    this.weights = weights;
    this.neurons = neurons;
    const grid = this.grid;
    if (grid === null) return;
    const cells = grid.nx * grid.ny;
    let offset = 0;
    for (const column of this.nodes.slice(1, -1)) {
      for (const node of column) {
        const values = neurons.subarray(offset, offset + cells);
        offset += cells;
        let max = 0;
        for (const v of values) max = Math.max(max, Math.abs(v));
        this.paint(node.element as HTMLCanvasElement, (i) => (max === 0 ? 0 : at(values, i) / max));
      }
    }
    this.drawLinks();
    this.tellFocus();
  }

  /** The highlighted hidden neuron's output, scaled as its picture, to whoever shows it larger. */
  private tellFocus(): void {
    const h = this.highlight;
    const grid = this.grid;
    const cells = grid === null ? 0 : grid.nx * grid.ny;
    let offset = 0;
    for (let l = 1; h !== null && l < h.layer; l++) offset += at(this.sizes, l) * cells;
    offset += (h?.index ?? 0) * cells;
    if (h === null || grid === null || this.neurons.length < offset + cells) {
      this.onFocus(null);
      return;
    }
    const values = this.neurons.slice(offset, offset + cells);
    let max = 0;
    for (const v of values) max = Math.max(max, Math.abs(v));
    for (let i = 0; i < values.length; i++) values[i] = max === 0 ? 0 : at(values, i) / max;
    this.onFocus({ name: `layer ${h.layer} neuron ${h.index + 1}`, values, grid });
  }

  private nodeElement(layer: number, index: number, edge: boolean): HTMLElement {
    if (edge) {
      const last = layer !== 0;
      const element = last ? document.createElement('div') : document.createElement('canvas');
      element.className = last ? 'node output' : 'node input';
      element.textContent = last ? 'score' : '';
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', last ? 'output: the score' : `input x${index + 1}`);
      element.style.width = `${this.cell.w}px`;
      element.style.height = `${this.cell.h}px`;
      return element;
    }
    const canvas = document.createElement('canvas');
    canvas.className = 'node';
    const { nx, ny } = present(this.grid, 'grid for a hidden neuron');
    canvas.width = nx;
    canvas.height = ny;
    canvas.style.width = `${this.cell.w}px`;
    canvas.style.height = `${this.cell.h}px`;
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `layer ${layer} neuron ${index + 1}`);
    const on = (): void => {
      this.setHighlight({ layer, index });
    };
    const off = (): void => {
      this.setHighlight(null);
    };
    canvas.addEventListener('mouseenter', on);
    canvas.addEventListener('focus', on);
    canvas.addEventListener('mouseleave', off);
    canvas.addEventListener('blur', off);
    return canvas;
  }

  private setHighlight(target: { layer: number; index: number } | null): void {
    for (const column of this.nodes) for (const node of column) node.element.classList.remove('active');
    this.highlight = target;
    if (target !== null) {
      at(at(this.nodes, target.layer), target.index).element.classList.add('active');
      const incoming = this.incoming(target.layer, target.index);
      const lo = Math.min(...incoming);
      const hi = Math.max(...incoming);
      this.caption.textContent = `Layer ${target.layer} neuron ${target.index + 1}: ${incoming.length} incoming weights from ${lo.toFixed(2)} to ${hi.toFixed(2)}.`;
    } else this.caption.textContent = '';
    this.drawLinks();
    this.tellFocus();
  }

  /** Neuron `index` of layer `layer`'s weights from the previous layer. */
  private incoming(layer: number, index: number): number[] {
    let offset = 0;
    for (let l = 1; l < layer; l++) offset += at(this.sizes, l) * at(this.sizes, l - 1);
    const fanIn = at(this.sizes, layer - 1);
    return Array.from(this.weights.subarray(offset + index * fanIn, offset + (index + 1) * fanIn));
  }

  private drawLinks(): void {
    const context = present(this.links.getContext('2d'), 'canvas 2d context');
    context.clearRect(0, 0, this.links.width, this.links.height);
    if (this.weights.length === 0) return;
    let max = 0;
    for (const w of this.weights) max = Math.max(max, Math.abs(w));
    const h = this.highlight;
    let offset = 0;
    const later: [Node, Node, number][] = [];
    for (const [l, from] of this.nodes.slice(0, -1).entries()) {
      for (const to of at(this.nodes, l + 1)) {
        for (const source of from) {
          const w = at(this.weights, offset++);
          const related =
            h !== null &&
            ((to.layer === h.layer && to.index === h.index) ||
              (source.layer === h.layer && source.index === h.index));
          if (related) later.push([source, to, w]);
          else this.line(context, source, to, w / max, h === null ? 1 : 0.12);
        }
      }
    }
    for (const [source, to, w] of later) this.line(context, source, to, w / max, 1, 1.6);
  }

  private line(
    context: CanvasRenderingContext2D,
    a: Node,
    b: Node,
    t: number,
    fade: number,
    boost = 1,
  ): void {
    const rgb = CLASS_RGB[t > 0 ? 1 : 0];
    context.strokeStyle = `rgba(${rgb.join(',')},${(0.2 + 0.7 * Math.abs(t)) * fade})`;
    context.lineWidth = (0.4 + 3.2 * Math.abs(t)) * boost;
    context.beginPath();
    context.moveTo(a.x + this.cell.w / 2, a.y);
    context.lineTo(b.x - this.cell.w / 2, b.y);
    context.stroke();
  }

  private drawInputs(): void {
    const grid = present(this.grid, 'grid for the inputs');
    for (const node of this.nodes[0] ?? []) {
      const canvas = node.element as HTMLCanvasElement;
      canvas.width = grid.nx;
      canvas.height = grid.ny;
      // The input itself over the plane: x1 grows to the right, x2 upwards.
      this.paint(canvas, (i) => {
        const [c, r] = [i % grid.nx, Math.floor(i / grid.nx)];
        return node.index === 0 ? (2 * c) / (grid.nx - 1) - 1 : (2 * r) / (grid.ny - 1) - 1;
      });
    }
  }

  /** Fills a picture from values in [-1, 1], cell `i` row-major from the bottom-left. */
  private paint(canvas: HTMLCanvasElement, value: (i: number) => number): void {
    const { nx, ny } = present(this.grid, 'grid to paint');
    paintShades(canvas, nx, ny, value);
  }
}
