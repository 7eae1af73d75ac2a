// After a click on a point at desktop widths: its graph panel comes into sight without the plot
// leaving it, or a small link over the page says where the graph is.
import type { Span } from './layout.js';

/** What a click on a point does to bring its graph panel into sight. */
export type Reveal =
  /** The panel's top is in sight already. */
  | { kind: 'none' }
  /** Scrolling down by `by` pixels shows the panel's top and keeps the plot in sight. */
  | { kind: 'scroll'; by: number }
  /** The panel cannot be seen with the plot: a link says where it is. */
  | { kind: 'cue'; below: boolean };

/** How much of the panel's top counts as in sight: its heading, its choices and the graph's top. */
export const PEEK_PX = 240;

/**
 * How to bring `panel` into sight in `view` while keeping `plot` in it (all in client pixels):
 * not at all when `peek` pixels of it (or all of it) are in sight, by the shortest scroll that
 * shows them if the plot's top stays in sight, else by a link to it.
 */
export function planReveal(panel: Span, plot: Span, view: Span, peek = PEEK_PX): Reveal {
  const wanted = Math.min(peek, panel.bottom - panel.top);
  const shown = Math.min(panel.bottom, view.bottom) - Math.max(panel.top, view.top);
  if (shown >= wanted) return { kind: 'none' };
  if (panel.top < view.top) return { kind: 'cue', below: false };
  const by = panel.top + wanted - view.bottom;
  return plot.top - by >= view.top ? { kind: 'scroll', by } : { kind: 'cue', below: true };
}

/**
 * The link to the graph panel, shown over the bottom of the screen while the panel is out of
 * sight after a click on a point; it goes when the panel comes into sight.
 */
export class GraphCue {
  /**
   * @param link - the cue, a link to the panel
   * @param panel - the graph panel
   * @param graph - the graph's view in the panel, which takes the focus when the link is followed
   */
  constructor(
    private readonly link: HTMLAnchorElement,
    private readonly panel: HTMLElement,
    private readonly graph: HTMLElement,
  ) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      this.follow();
    });
    // In sight: its top `PEEK_PX` pixels are on the screen.
    new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.hide();
      },
      { rootMargin: `0px 0px -${PEEK_PX}px 0px` },
    ).observe(panel);
  }

  /** Brings the panel into sight beside `plot` in `view` (see {@link planReveal}). */
  reveal(plot: Span, view: Span): void {
    const plan = planReveal(this.panel.getBoundingClientRect(), plot, view);
    if (plan.kind === 'cue') {
      this.link.textContent = `Computation graph ${plan.below ? 'below ↓' : 'above ↑'}`;
      this.link.hidden = false;
      return;
    }
    this.hide();
    if (plan.kind === 'scroll') window.scrollBy({ top: plan.by, behavior: 'smooth' });
  }

  /** Takes the cue away. */
  hide(): void {
    this.link.hidden = true;
  }

  /** Scrolls to the panel and gives its graph the focus. */
  private follow(): void {
    this.hide();
    this.panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
    this.graph.focus({ preventScroll: true });
  }
}
