// Everything the worker reports is drawn here, at most once per animation frame.
import { chartSummary, type Chart } from './chart.js';
import { percent, type StepLog } from './log.js';
import type { NetworkView } from './network.js';
import type { Plot } from './plot.js';
import type { Report, StepRow } from './protocol.js';
import type { StatusCards } from './status.js';
import { last } from '../core/checked.js';

// The Steps table is the costliest thing to repaint (every row moves down when one arrives), so
// while training it takes new rows at most this often; the chart and cards take them every frame.
const LOG_EVERY_MS = 300;

export interface FrameTargets {
  log: StepLog;
  chart: Chart;
  cards: StatusCards;
  plot: Plot;
  network: NetworkView;
  summary: HTMLElement;
  playing: () => boolean;
  /** The step the run stops at, for the step card. */
  limit: () => number;
  /** Called after each redraw of the plot. */
  plotDrawn?: () => void;
}

export class FrameDrawer {
  /** The run's first and latest steps drawn in the chart. */
  first: StepRow | undefined;
  last: StepRow | undefined;
  /** The latest step the worker reported, drawn or not: where the run is. */
  latest: StepRow | undefined;
  /** The row on the cards: the weights the plot draws. */
  private carded: StepRow | undefined;
  private rows: StepRow[] = [];
  private logRows: StepRow[] = [];
  private loggedAt = 0;
  private view: Extract<Report, { type: 'view' }> | null = null;
  private plotDirty = false;
  private requested = false;

  constructor(private readonly to: FrameTargets) {}

  addRows(rows: readonly StepRow[]): void {
    if (rows.length === 0) return;
    this.rows.push(...rows);
    this.latest = last(rows);
    this.request();
  }

  /** The newest pictures replace any not yet drawn; the cards show their row with them. */
  setView(view: Extract<Report, { type: 'view' }>): void {
    this.view = view;
    this.request();
  }

  redrawPlot(): void {
    this.plotDirty = true;
    this.request();
  }

  /** The step limit changed: the step card shows the new one. */
  showLimit(): void {
    if (this.carded !== undefined) this.to.cards.show(this.carded, this.to.limit());
  }

  /** A new run: forgets its steps and pictures not yet drawn, and clears what shows them. */
  clear(): void {
    this.first = this.last = this.latest = this.carded = undefined;
    // The old run's pictures do not fit the new run's network.
    this.view = null;
    this.rows = [];
    this.logRows = [];
    this.to.log.clear();
    this.to.chart.clear();
    this.to.cards.clear();
    this.to.summary.textContent = chartSummary(undefined, undefined);
  }

  private request(): void {
    if (this.requested) return;
    this.requested = true;
    requestAnimationFrame((time) => {
      this.draw(time);
    });
  }

  private draw(time: number): void {
    this.requested = false;
    const { log, chart, cards, plot, network, summary } = this.to;
    const rows = this.rows;
    this.rows = [];
    if (rows.length > 0) {
      this.first ??= rows[0];
      this.last = last(rows);
      this.logRows.push(...rows);
      chart.add(rows);
      chart.draw();
      summary.textContent =
        this.first === this.last ? firstSummary(this.first) : chartSummary(this.first, this.last);
    }
    const playing = this.to.playing();
    if (this.logRows.length > 0 && (!playing || time - this.loggedAt >= LOG_EVERY_MS)) {
      log.add(this.logRows);
      this.logRows = [];
      this.loggedAt = time;
    }
    // Rows still waiting for the table come back next frame.
    if (this.logRows.length > 0) this.request();
    const view = this.view;
    this.view = null;
    if (view !== null) {
      plot.setScores(view.scores, view.pointScores, view.testScores);
      network.update(view.neurons, view.weights, view.grads, view.row.step);
      this.carded = view.row;
      cards.show(view.row, this.to.limit());
    }
    if (view !== null || this.plotDirty) {
      plot.draw();
      this.to.plotDrawn?.();
    }
    this.plotDirty = false;
  }
}

/** The chart's summary before any step: the weights as they start. */
function firstSummary(row: StepRow): string {
  const loss = String(Number(row.loss.toPrecision(3)));
  let text = `Step 0, before any update: loss ${loss}, accuracy ${percent(row.accuracy)}`;
  if (Number.isFinite(row.testLoss))
    text += `; test loss ${String(Number(row.testLoss.toPrecision(3)))}, test accuracy ${percent(row.testAccuracy)}`;
  return `${text}.`;
}
