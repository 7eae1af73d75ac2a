// The computation graph of the chosen point: the worker's SVG in a pan-and-zoom view.
import { graphNote, type GraphReport } from './graph-note.js';
import { PanZoom, type Landmarks } from './pan-zoom.js';
import type { GraphKind } from './protocol.js';

/** The graph panel: the chosen point's graph, its note, and the view's zoom buttons. */
export class GraphPanel {
  private readonly view: PanZoom;
  private shown: { point: number; kind: GraphKind } | null = null;
  /** Scroll the panel into view when the next graph arrives (after a click or tap on a point). */
  private reveal = false;

  constructor(
    private readonly panel: HTMLElement,
    private readonly viewport: HTMLElement,
    private readonly content: HTMLElement,
    private readonly note: HTMLElement,
  ) {
    this.view = new PanZoom(viewport, content, () => this.landmarks());
    for (const button of panel.querySelectorAll<HTMLButtonElement>('[data-zoom]')) {
      button.addEventListener('click', () => {
        const action = button.dataset.zoom;
        if (action === 'in') this.view.zoom(1.25);
        else if (action === 'out') this.view.zoom(0.8);
        else if (action === 'fit') this.view.fit();
        else this.view.actual();
      });
    }
  }

  /** Asks for the panel to be scrolled into view when the next graph arrives. */
  revealNext(): void {
    this.reveal = true;
  }

  /** Drops the graph shown (its kind changed: the next graph starts a fresh view). */
  clear(): void {
    this.shown = null;
    this.content.replaceChildren();
  }

  /** Shows a graph from the worker, of the point at `where`, with its note. */
  show(report: GraphReport, where: [number, number]): void {
    const svg = new DOMParser().parseFromString(report.svg, 'image/svg+xml').documentElement;
    svg.setAttribute('role', 'img');
    svg.setAttribute(
      'aria-label',
      `Computation graph of the ${report.kind === 'neuron' ? 'first hidden neuron' : 'network'} at point ${report.point}`,
    );
    this.content.replaceChildren(document.importNode(svg, true));
    const same = this.shown !== null && this.shown.point === report.point && this.shown.kind === report.kind;
    // A redraw of the same graph as it trains keeps the reader's view; a new one starts readable.
    if (!same) this.view.start();
    this.shown = { point: report.point, kind: report.kind };
    this.note.textContent = graphNote(report, where);
    if (this.reveal) {
      this.reveal = false;
      const rect = this.viewport.getBoundingClientRect();
      if (rect.top > window.innerHeight || rect.bottom < 0)
        this.panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }

  /** The graph's nodes, and its result (`v0`, @mg/viz's name for the root): where 1:1 goes. */
  private landmarks(): Landmarks {
    const items = [...this.content.querySelectorAll('g.node')];
    const home = items.find((node) => node.querySelector('title')?.textContent === 'v0') ?? null;
    return { items, home };
  }
}
