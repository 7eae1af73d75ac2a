// A hidden neuron's output where the reader is looking: when the big plot that shows it is out of
// sight (on a phone the network lies far below it), a small copy of the plot over the screen, on
// the side away from the neuron.
import type { InputKind } from './input-kind.js';
import type { Span } from './layout.js';
import { present } from '../core/checked.js';

/** The share of the plot's height that must be in sight for the plot itself to show the neuron. */
const IN_SIGHT = 0.6;
/** Room between the copy and the edges of what the page shows. */
const MARGIN_PX = 8;

/** What ends showing a neuron, in the words of the input used to pick it. */
const LEAVE: Record<InputKind, string> = {
  touch: 'tap elsewhere',
  mouse: 'move the pointer off it',
  keyboard: 'press Tab to leave the diagram',
};

/** The note over the plot while it shows neuron `name`'s output, picked with `kind`. */
export function neuronNote(name: string, kind: InputKind): string {
  return `The plot shows ${name}'s output (orange high, blue low) under the points; ${LEAVE[kind]} to see the decision regions again.`;
}

/** The small copy of the plot showing a neuron, and its caption. */
export class NeuronPreview {
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  /** The neuron shown, while the copy is wanted. */
  private showing: string | null = null;

  /**
   * @param figure - holds a canvas for the copy and a caption; hidden while not wanted
   * @param plot - the big plot
   * @param view - the part of the viewport the page shows in (not under a bar fixed over it)
   */
  constructor(
    private readonly figure: HTMLElement,
    private readonly plot: HTMLCanvasElement,
    private readonly view: () => Span,
  ) {
    this.canvas = present(figure.querySelector('canvas'), 'canvas in the neuron preview');
    this.caption = present(figure.querySelector('figcaption'), 'caption in the neuron preview');
  }

  /**
   * Follows the neuron the plot shows: `name`, whose picture is `neuron`, picked with `kind`, or
   * null for none. While the plot is out of sight the copy is wanted; it shows once the plot has
   * drawn the neuron ({@link NeuronPreview.copy}).
   */
  follow(name: string | null, neuron: HTMLElement | null, kind: InputKind): void {
    const view = this.view();
    if (name === null || neuron === null || this.plotInSight(view)) {
      this.showing = null;
      this.figure.hidden = true;
      return;
    }
    this.showing = name;
    this.caption.textContent = `${capitalize(name)}'s output under the points; ${LEAVE[kind]} to close.`;
    this.place(neuron.getBoundingClientRect(), view);
  }

  /** Copies the plot as just drawn into the preview, while it is wanted. */
  copy(): void {
    if (this.showing === null) return;
    this.figure.hidden = false;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.style.aspectRatio = this.plot.style.aspectRatio;
    const width = Math.round(this.canvas.clientWidth * ratio);
    const height = Math.round(this.canvas.clientHeight * ratio);
    if (width === 0 || height === 0) return;
    if (this.canvas.width !== width || this.canvas.height !== height)
      [this.canvas.width, this.canvas.height] = [width, height];
    const context = present(this.canvas.getContext('2d'), 'canvas 2d context');
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(this.plot, 0, 0, width, height);
  }

  /** Whether enough of the big plot is on the screen for the reader to see the neuron there. */
  private plotInSight(view: Span): boolean {
    const rect = this.plot.getBoundingClientRect();
    const shown = Math.min(rect.bottom, view.bottom) - Math.max(rect.top, view.top);
    return rect.height > 0 && shown >= IN_SIGHT * rect.height;
  }

  /** Puts the copy in the half of `view` away from the neuron at `neuron`. */
  private place(neuron: DOMRect, view: Span): void {
    const below = neuron.top + neuron.height / 2 < (view.top + view.bottom) / 2;
    this.figure.style.top = below ? '' : `${view.top + MARGIN_PX}px`;
    this.figure.style.bottom = below ? `${MARGIN_PX}px` : '';
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
