// The computation graph of the chosen point: the worker's SVG in a pan-and-zoom view.
import { PanZoom } from './pan-zoom.js';
import type { GraphKind, Report } from './protocol.js';

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
    this.view = new PanZoom(viewport, content);
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

  clear(): void {
    this.shown = null;
    this.content.replaceChildren();
  }

  show(report: Extract<Report, { type: 'graph' }>, where: [number, number]): void {
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
    const [x, y] = where;
    let text = `Point ${report.point} at (${x.toFixed(3)}, ${y.toFixed(3)}), ${report.nodes} nodes`;
    text += report.capped
      ? ': the nodes nearest the loss are drawn, the dashed node stands for the rest.'
      : '.';
    if (report.kind === 'neuron' && !report.active)
      text +=
        ' The neuron is inactive here (its sum is negative, so ReLU outputs 0 and passes no gradient): every grad is 0.';
    this.note.textContent = text;
    if (this.reveal) {
      this.reveal = false;
      const rect = this.viewport.getBoundingClientRect();
      if (rect.top > window.innerHeight || rect.bottom < 0)
        this.panel.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }
}
