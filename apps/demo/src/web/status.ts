// The cards over the plot: step, losses, accuracies, and how many steps a second the page shows.
import { percent } from './log.js';
import type { StepRow } from './protocol.js';
import { at, last as lastOf } from '../core/checked.js';

// Steps per second over this much recent time.
const WINDOW_MS = 2000;

export class StatusCards {
  private readonly shown: { time: number; steps: number }[] = [];
  private total = 0;

  constructor(private readonly card: (id: string) => HTMLElement) {}

  clear(): void {
    for (const id of ['stat-loss', 'accuracy', 'test-loss', 'test-accuracy', 'speed'])
      this.card(id).textContent = '–';
    this.card('stat-step').textContent = '0';
    this.shown.length = 0;
    this.total = 0;
  }

  /** Shows the last row, after `limit` steps are planned. */
  show(last: StepRow, limit: number): void {
    this.card('stat-step').textContent = `${last.step + 1} / ${limit}`;
    this.card('stat-loss').textContent = formatLoss(last.loss);
    this.card('accuracy').textContent = percent(last.accuracy);
    this.card('test-loss').textContent = formatLoss(last.testLoss);
    this.card('test-accuracy').textContent = percent(last.testAccuracy);
  }

  /** Records that a frame showed `steps` more steps: the whole loop's rate, drawing included. */
  frame(time: number, steps: number): void {
    this.total += steps;
    this.shown.push({ time, steps: this.total });
    while (this.shown.length > 2 && time - at(this.shown, 0).time > WINDOW_MS) this.shown.shift();
    if (time - at(this.shown, 0).time >= 250) this.showRate();
  }

  /** Training stopped: the next frames start a new measurement. */
  pause(): void {
    // A run shorter than the window still gets its rate.
    if (this.shown.length >= 2) this.showRate();
    this.shown.length = 0;
  }

  private showRate(): void {
    const first = at(this.shown, 0);
    const last = lastOf(this.shown);
    if (last.time === first.time) return;
    const rate = ((last.steps - first.steps) * 1000) / (last.time - first.time);
    this.card('speed').textContent = rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
  }
}

function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return '–';
  return Math.abs(loss) >= 1e4 ? loss.toExponential(2) : loss.toFixed(4);
}
