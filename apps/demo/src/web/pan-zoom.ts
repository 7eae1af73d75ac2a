// A pan-and-zoom view: content at its natural size, moved with the wheel, drag, buttons and keys.

const MIN_SCALE = 0.05;
const MAX_SCALE = 4;
const KEY_STEP = 60;
// Graphviz's 14 pt labels (18.7 px) stay legible down to about this scale (10 px): the page's
// first graph (a hidden neuron of the 2-16-16-1 network) then fits a 1280 px wide window whole.
const READABLE = 0.55;

export class PanZoom {
  private x = 0;
  private y = 0;
  private scale = 1;
  private drag: { id: number; x: number; y: number } | null = null;

  constructor(
    private readonly viewport: HTMLElement,
    private readonly content: HTMLElement,
  ) {
    viewport.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const rect = viewport.getBoundingClientRect();
        this.zoomAt(Math.pow(1.0015, -event.deltaY), event.clientX - rect.left, event.clientY - rect.top);
      },
      { passive: false },
    );
    viewport.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      this.drag = { id: event.pointerId, x: event.clientX, y: event.clientY };
      viewport.setPointerCapture(event.pointerId);
      viewport.classList.add('dragging');
    });
    viewport.addEventListener('pointermove', (event) => {
      if (this.drag?.id !== event.pointerId) return;
      this.moveBy(event.clientX - this.drag.x, event.clientY - this.drag.y);
      this.drag = { id: event.pointerId, x: event.clientX, y: event.clientY };
    });
    const end = (event: PointerEvent): void => {
      if (this.drag?.id !== event.pointerId) return;
      this.drag = null;
      viewport.classList.remove('dragging');
    };
    viewport.addEventListener('pointerup', end);
    viewport.addEventListener('pointercancel', end);
    viewport.addEventListener('keydown', (event) => {
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [KEY_STEP, 0],
        ArrowRight: [-KEY_STEP, 0],
        ArrowUp: [0, KEY_STEP],
        ArrowDown: [0, -KEY_STEP],
      };
      const move = moves[event.key];
      if (move !== undefined) this.moveBy(...move);
      else if (event.key === '+' || event.key === '=') this.zoom(1.25);
      else if (event.key === '-') this.zoom(0.8);
      else if (event.key === '0') this.fit();
      else if (event.key === '1') this.actual();
      else return;
      event.preventDefault();
    });
  }

  /** The current view, for tests and for keeping it across redraws. */
  get state(): { x: number; y: number; scale: number } {
    return { x: this.x, y: this.y, scale: this.scale };
  }

  /** Zooms by `factor` about the middle of the view. */
  zoom(factor: number): void {
    this.zoomAt(factor, this.viewport.clientWidth / 2, this.viewport.clientHeight / 2);
  }

  /** Shows the whole content. */
  fit(): void {
    const [w, h] = this.size();
    if (w === 0 || h === 0) return;
    this.scale = clamp(Math.min(this.viewport.clientWidth / w, this.viewport.clientHeight / h, 1));
    this.x = (this.viewport.clientWidth - w * this.scale) / 2;
    this.y = (this.viewport.clientHeight - h * this.scale) / 2;
    this.apply();
  }

  /**
   * A first view that stays readable: the whole content when it fits at 55% or more of its
   * natural size, else 55% showing its right end (a left-to-right graph's result), centred.
   */
  start(): void {
    const [w, h] = this.size();
    const { clientWidth: width, clientHeight: height } = this.viewport;
    if (w === 0 || h === 0) return;
    this.scale = Math.min(1, Math.max(READABLE, Math.min(width / w, height / h)));
    this.x = w * this.scale <= width ? (width - w * this.scale) / 2 : width - w * this.scale;
    this.y = (height - h * this.scale) / 2;
    this.apply();
  }

  /** Natural size, centred. */
  actual(): void {
    const [w, h] = this.size();
    this.scale = 1;
    this.x = (this.viewport.clientWidth - w) / 2;
    this.y = (this.viewport.clientHeight - h) / 2;
    this.apply();
  }

  private zoomAt(factor: number, px: number, py: number): void {
    const scale = clamp(this.scale * factor);
    // Keep the content point under (px, py) where it is.
    this.x = px - ((px - this.x) * scale) / this.scale;
    this.y = py - ((py - this.y) * scale) / this.scale;
    this.scale = scale;
    this.apply();
  }

  private moveBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
    this.apply();
  }

  private size(): [number, number] {
    const child = this.content.firstElementChild;
    if (!(child instanceof SVGSVGElement)) return [0, 0];
    return [child.width.baseVal.value, child.height.baseVal.value];
  }

  private apply(): void {
    this.content.style.transform = `translate(${this.x.toFixed(1)}px, ${this.y.toFixed(1)}px) scale(${this.scale.toFixed(4)})`;
    this.viewport.dataset.scale = this.scale.toFixed(4);
  }
}

function clamp(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}
