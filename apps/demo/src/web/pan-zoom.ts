// A pan-and-zoom view: content at its natural size, moved with the wheel, drag, buttons and keys.

const MIN_SCALE = 0.05;
const MAX_SCALE = 4;
const KEY_STEP = 60;
// Graphviz's 14 pt labels (18.7 px) stay legible down to about this scale (10 px): the page's
// first graph (a hidden neuron of the 2-16-16-1 network) then fits a 1280 px wide window whole.
const READABLE = 0.55;

/** A rectangle in the content's own pixels (at its natural size, from its top left corner). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The parts of the content worth showing, for {@link PanZoom.actual} and {@link PanZoom.start}. */
export interface Landmarks {
  /** Every part (a graph's nodes). */
  items: readonly Element[];
  /** The one to show first (a graph's result), or null. */
  home: Element | null;
}

/**
 * Which content point 1:1 puts in the middle of the view: the middle of the box nearest `centre`
 * (the point in the middle now), so the view keeps to where the reader was and never lands on
 * empty space; the middle of `home` without boxes, else `centre`.
 *
 * @param centre - the content point (in content pixels) now in the middle of the view
 * @param boxes - the parts worth showing
 * @param home - where to go without them
 */
export function actualCentre(
  centre: readonly [number, number],
  boxes: readonly Box[],
  home: Box | null,
): [number, number] {
  let best: Box | null = null;
  let bestDistance = Infinity;
  for (const box of boxes) {
    const distance = distanceTo(box, centre);
    if (distance < bestDistance) [best, bestDistance] = [box, distance];
  }
  const target = best ?? home;
  return target === null ? [centre[0], centre[1]] : middle(target);
}

/** How far `point` is from `box` (0 inside it). */
function distanceTo(box: Box, point: readonly [number, number]): number {
  const dx = Math.max(box.x - point[0], 0, point[0] - (box.x + box.width));
  const dy = Math.max(box.y - point[1], 0, point[1] - (box.y + box.height));
  return Math.hypot(dx, dy);
}

function middle(box: Box): [number, number] {
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/**
 * Where the first view puts the content's top edge: content that fits the view's height is
 * centred; taller content has `focus` (a height within it, such as its result's middle, both in
 * view pixels) in the middle, moved as little as it takes to leave no gap above or below.
 *
 * @param view - the view's height
 * @param content - the content's height, scaled
 * @param focus - the height to show, or null to centre the content
 */
export function startTop(view: number, content: number, focus: number | null): number {
  if (content <= view || focus === null) return (view - content) / 2;
  return Math.min(0, Math.max(view - content, view / 2 - focus));
}

/** A pan-and-zoom view of `content` inside `viewport`. */
export class PanZoom {
  private x = 0;
  private y = 0;
  private scale = 1;
  private drag: { id: number; x: number; y: number } | null = null;

  /**
   * @param landmarks - the content's parts worth showing, read when 1:1 is asked for; none by
   *   default (1:1 then zooms about the middle of the view)
   */
  constructor(
    private readonly viewport: HTMLElement,
    private readonly content: HTMLElement,
    private readonly landmarks: () => Landmarks = () => ({ items: [], home: null }),
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
   * natural size, else 55% showing its right end (a left-to-right graph's result); centred
   * vertically, or on the landmarks' home when the content is too tall (see {@link startTop}).
   */
  start(): void {
    const [w, h] = this.size();
    const { clientWidth: width, clientHeight: height } = this.viewport;
    if (w === 0 || h === 0) return;
    // Measured under the transform in place, before the scale changes.
    const home = this.landmarks().home;
    const focus = home === null ? null : middle(this.boxOf(home))[1];
    this.scale = Math.min(1, Math.max(READABLE, Math.min(width / w, height / h)));
    this.x = w * this.scale <= width ? (width - w * this.scale) / 2 : width - w * this.scale;
    this.y = startTop(height, h * this.scale, focus === null ? null : focus * this.scale);
    this.apply();
  }

  /**
   * Natural size, centred on the landmark nearest the middle of the view (see
   * {@link actualCentre}): about where the reader was, as + and − zoom, never on empty space.
   */
  actual(): void {
    const { clientWidth: width, clientHeight: height } = this.viewport;
    const centre: [number, number] = [(width / 2 - this.x) / this.scale, (height / 2 - this.y) / this.scale];
    const { items, home } = this.landmarks();
    const [cx, cy] = actualCentre(
      centre,
      items.map((item) => this.boxOf(item)),
      home === null ? null : this.boxOf(home),
    );
    this.scale = 1;
    this.x = width / 2 - cx;
    this.y = height / 2 - cy;
    this.apply();
  }

  /** Where `element` (inside the content) is, in content pixels. */
  private boxOf(element: Element): Box {
    const origin = this.content.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    return {
      x: (rect.left - origin.left) / this.scale,
      y: (rect.top - origin.top) / this.scale,
      width: rect.width / this.scale,
      height: rect.height / this.scale,
    };
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
