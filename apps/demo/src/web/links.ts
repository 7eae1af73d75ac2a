// The weights' lines in the network diagram, drawn cheaply: a wide network has thousands of them
// (12,480 for 64 x 4), so each line's size is quantised to one of a few levels, and all the lines
// of one level, sign and role share one path, one colour string and one stroke. A redraw whose
// lines all keep their look is skipped.
import { CLASS_RGB } from './plot.js';

/** Levels of a weight's size relative to the largest: lines at one level look alike. */
export const LEVELS = 16;

/** How a line stands: no neuron highlighted, another neuron's (faded), the highlighted neuron's. */
export const PLAIN = 0;
export const FADED = 1;
export const RELATED = 2;
const ROLES = 3;

/** What the least visible line may carry: its opacity times its width, in pixels. */
const MIN_INK = 0.02;

/** The widest line, for the largest weight, where lines are few enough to tell apart. */
export const WIDEST = 3.6;
/**
 * Over this many lines the diagram is a dense mesh in which width says little: lines are at most
 * 1 px wide there and their opacity shows each weight's size. A canvas draws lines that thin as
 * hairlines, many times faster: a wide line costs Chromium's software canvas about 25 µs, so
 * 1,200 of them (a 32 x 32 network has 1,120) take some 30 ms, and 12,480 thin ones less.
 */
export const DENSE = 1200;

/** How the lines of one code are stroked; `visible` false for lines too faint to see. */
export interface LinkStyle {
  colour: string;
  width: number;
  visible: boolean;
}

/**
 * The code of a line for weight `t` (relative to the largest, in [-1, 1]) in role `role`: lines
 * with one code are drawn alike, in one stroke.
 */
export function linkCode(t: number, role: number): number {
  const level = Math.round(Math.min(1, Math.abs(t) || 0) * (LEVELS - 1));
  return (role * 2 + (t > 0 ? 1 : 0)) * LEVELS + level;
}

/**
 * The style of a code: orange for positive weights and blue for negative ones (the classes'
 * colours), wider (up to `widest` px) and more opaque as the weight grows; faded beside a
 * highlighted neuron, whose own lines are bolder (and, in a dense mesh, as wide as where lines
 * are few).
 */
export function linkStyle(code: number, widest = WIDEST): LinkStyle {
  const level = code % LEVELS;
  const sign = Math.floor(code / LEVELS) % 2;
  const role = Math.floor(code / (2 * LEVELS));
  const m = level / (LEVELS - 1);
  const alpha = (0.2 + 0.7 * m) * (role === FADED ? 0.12 : 1);
  const width =
    role === RELATED ? (0.4 + (WIDEST - 0.4) * m) * (widest === WIDEST ? 1.6 : 1) : 0.4 + (widest - 0.4) * m;
  const rgb = CLASS_RGB[sign === 1 ? 1 : 0];
  return { colour: `rgba(${rgb.join(',')},${alpha.toFixed(3)})`, width, visible: alpha * width >= MIN_INK };
}

const CODES = 2 * LEVELS * ROLES;
const styles = (widest: number): readonly LinkStyle[] =>
  Array.from({ length: CODES }, (_, code) => linkStyle(code, widest));
const WIDE_STYLES = styles(WIDEST);
const THIN_STYLES = styles(1);

/**
 * The codes in the order they are drawn: faded lines first, then plain, then the highlighted
 * neuron's on top; within a role the weaker lines first, so the stronger lie over them.
 */
export const DRAW_ORDER: readonly number[] = [FADED, PLAIN, RELATED].flatMap((role) =>
  Array.from({ length: 2 * LEVELS }, (_, k) => (role * 2 + (k % 2)) * LEVELS + Math.floor(k / 2)),
);

/** A highlighted neuron: its layer (1 for the first hidden one) and index. */
export interface Target {
  layer: number;
  index: number;
}

/**
 * Each weight's line code, weights in the diagram's order (layer by layer, neuron by neuron,
 * input by input): `sizes` are the layer sizes, inputs first.
 */
export function linkCodes(
  weights: Float32Array,
  sizes: readonly number[],
  highlight: Target | null,
  out: Uint8Array,
): Uint8Array {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max === 0 ? 0 : 1 / max;
  let k = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l] ?? 0, sizes[l + 1] ?? 0];
    for (let j = 0; j < fanOut; j++) {
      const into = highlight !== null && highlight.layer === l + 1 && highlight.index === j;
      for (let i = 0; i < fanIn; i++, k++) {
        const from = highlight !== null && highlight.layer === l && highlight.index === i;
        const role = highlight === null ? PLAIN : into || from ? RELATED : FADED;
        out[k] = linkCode((weights[k] ?? 0) * scale, role);
      }
    }
  }
  return out;
}

/** Draws the lines of a network's weights on a canvas, in as few strokes as their looks allow. */
export class LinkPainter {
  /** Each line's ends, `x0, y0, x1, y1`, in weight order. */
  private segments: Float32Array = new Float32Array(0);
  private codes: Uint8Array = new Uint8Array(0);
  /** The codes on the canvas now; null when it is blank or was laid out again. */
  private drawn: Uint8Array | null = null;
  private order: Uint32Array = new Uint32Array(0);
  private readonly starts = new Uint32Array(CODES + 1);
  private styles = WIDE_STYLES;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /**
   * New line ends (`x0, y0, x1, y1` per weight, in weight order); the canvas is cleared. Over
   * {@link DENSE} lines, they are drawn thin.
   */
  setSegments(segments: Float32Array): void {
    this.segments = segments;
    const count = segments.length / 4;
    this.styles = count > DENSE ? THIN_STYLES : WIDE_STYLES;
    this.codes = new Uint8Array(count);
    this.order = new Uint32Array(count);
    this.clear();
  }

  /** Clears the canvas (a network without weights yet). */
  clear(): void {
    this.context().clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.drawn = null;
  }

  /**
   * Draws `weights` (one per segment), highlighting `highlight`'s lines; does nothing when every
   * line would look as it already does.
   *
   * @returns whether the canvas was drawn again
   */
  draw(weights: Float32Array, sizes: readonly number[], highlight: Target | null): boolean {
    if (weights.length !== this.codes.length) return false;
    linkCodes(weights, sizes, highlight, this.codes);
    const drawn = this.drawn;
    if (drawn !== null && sameCodes(drawn, this.codes)) return false;
    this.sortByCode();
    const context = this.context();
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    for (const code of DRAW_ORDER) this.stroke(context, code);
    this.drawn = this.codes.slice();
    return true;
  }

  /** Orders the lines by code (a counting sort): the lines of code `c` are `order[starts[c]..starts[c + 1]]`. */
  private sortByCode(): void {
    const { codes, order, starts } = this;
    starts.fill(0);
    for (const code of codes) starts[code + 1] = (starts[code + 1] ?? 0) + 1;
    for (let c = 0; c < CODES; c++) starts[c + 1] = (starts[c + 1] ?? 0) + (starts[c] ?? 0);
    const next = starts.slice(0, CODES);
    codes.forEach((code, k) => {
      const slot = next[code] ?? 0;
      order[slot] = k;
      next[code] = slot + 1;
    });
  }

  /** All the lines of one code, in one path and one stroke. */
  private stroke(context: CanvasRenderingContext2D, code: number): void {
    const [from, to] = [this.starts[code] ?? 0, this.starts[code + 1] ?? 0];
    const style = this.styles[code];
    if (from === to || style === undefined || !style.visible) return;
    const s = this.segments;
    context.beginPath();
    for (let n = from; n < to; n++) {
      const o = 4 * (this.order[n] ?? 0);
      context.moveTo(s[o] ?? 0, s[o + 1] ?? 0);
      context.lineTo(s[o + 2] ?? 0, s[o + 3] ?? 0);
    }
    context.strokeStyle = style.colour;
    context.lineWidth = style.width;
    context.stroke();
  }

  private context(): CanvasRenderingContext2D {
    const context = this.canvas.getContext('2d');
    if (context === null) throw new Error('internal error: no canvas 2d context');
    return context;
  }
}

function sameCodes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
