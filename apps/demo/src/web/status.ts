// The cards over the plot: step, losses, accuracies (of the weights the plot draws), and how many
// steps a second the run takes.
import { percent } from './log.js';
import type { StepRow } from './protocol.js';
import { at, last as lastOf } from '../core/checked.js';

// Steps per second over this much recent time while training.
const WINDOW_MS = 2000;
// While training, the rate is shown once it spans this long, and at most this often.
const SHOW_EVERY_MS = 250;
// A run stopped sooner than this after it started gets no rate: too short to time.
const SHORTEST_MS = 10;

/**
 * The step card's text: `3 / 100`, or `80 (limit 10)` for a run already past a limit lowered
 * under it.
 */
export function stepText(step: number, limit: number): string {
  return step <= limit ? `${step} / ${limit}` : `${step} (limit ${limit})`;
}

export class StatusCards {
  /** When the worker reported which step, since training started (the first: Train pressed). */
  private readonly samples: { time: number; step: number }[] = [];
  private shownAt = -Infinity;

  constructor(private readonly card: (id: string) => HTMLElement) {}

  clear(): void {
    for (const id of ['stat-step', 'stat-loss', 'accuracy', 'test-loss', 'test-accuracy', 'speed'])
      this.card(id).textContent = '–';
    this.samples.length = 0;
  }

  /** Shows the row of the weights the plot draws, with the step limit `limit`. */
  show(row: StepRow, limit: number): void {
    this.card('stat-step').textContent = stepText(row.step, limit);
    this.card('stat-loss').textContent = formatLoss(row.loss);
    this.card('accuracy').textContent = percent(row.accuracy);
    this.card('test-loss').textContent = formatLoss(row.testLoss);
    this.card('test-accuracy').textContent = percent(row.testAccuracy);
  }

  /** Training starts at `time` (milliseconds) from step `step`: a new measurement of its rate. */
  start(time: number, step: number): void {
    this.samples.length = 0;
    this.samples.push({ time, step });
    this.shownAt = time;
  }

  /** The worker reported step `step` at `time`, while training. */
  progress(time: number, step: number): void {
    if (this.samples.length === 0) return;
    this.samples.push({ time, step });
    while (this.samples.length > 2 && time - at(this.samples, 0).time > WINDOW_MS) this.samples.shift();
    if (time - this.shownAt >= SHOW_EVERY_MS && time - at(this.samples, 0).time >= SHOW_EVERY_MS) {
      this.shownAt = time;
      this.showRate();
    }
  }

  /** Training stopped: shows its rate, or "–" when it was too short to time. */
  stop(): void {
    if (this.samples.length > 0) this.showRate();
    this.samples.length = 0;
  }

  /** Steps a second over the samples kept; "–" without a step or time enough to tell. */
  private showRate(): void {
    const first = at(this.samples, 0);
    const last = lastOf(this.samples);
    const ms = last.time - first.time;
    const steps = last.step - first.step;
    const rate = (steps * 1000) / ms;
    this.card('speed').textContent =
      steps <= 0 || ms < SHORTEST_MS ? '–' : rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
  }
}

function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return '–';
  return Math.abs(loss) >= 1e4 ? loss.toExponential(2) : loss.toFixed(4);
}
