// The Steps table: every step's full-precision loss (step k: the weights after k updates), newest first.
import type { StepRow } from './protocol.js';

// Older rows go once a long run (Continue, Continue, ...) has this many: the chart keeps them all.
const MAX_ROWS = 2000;

export const percent = (accuracy: number): string =>
  Number.isFinite(accuracy) ? `${(100 * accuracy).toFixed(0)}%` : '–';

export class StepLog {
  constructor(private readonly body: HTMLElement) {}

  add(rows: readonly StepRow[]): void {
    if (rows.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (const row of rows) {
      const tr = document.createElement('tr');
      tr.dataset.step = String(row.step);
      // The full double, so the figures can be checked against the notebook and `pnpm demo`.
      const cells: [string, string][] = [
        ['step', String(row.step)],
        ['loss', String(row.loss)],
        ['accuracy', percent(row.accuracy)],
        // The rate of the update that made these weights: none for step 0.
        ['lr', Number.isFinite(row.lr) ? String(Number(row.lr.toPrecision(4))) : '–'],
      ];
      for (const [cls, text] of cells) {
        const td = document.createElement('td');
        td.className = cls;
        td.textContent = text;
        tr.append(td);
      }
      fragment.prepend(tr);
    }
    this.body.prepend(fragment);
    while (this.body.childElementCount > MAX_ROWS) this.body.lastElementChild?.remove();
  }

  clear(): void {
    this.body.replaceChildren();
  }
}
