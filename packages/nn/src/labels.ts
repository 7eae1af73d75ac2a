import { describeInput, Value } from '@mg/engine';

/** What a loss accepts as a scalar label, and what to tell a user who passed something else. */
export interface LabelRule {
  /** Whether a finite number is a valid label. */
  readonly accepts: (y: number) => boolean;
  /** The valid labels, for messages: `'-1 or +1'`. */
  readonly expects: string;
  /** How to fix the usual mistake. */
  readonly hint: string;
}

/** The hinge loss's labels. */
export const HINGE_LABEL: LabelRule = {
  accepts: (y) => y === 1 || y === -1,
  expects: '-1 or +1',
  hint: '0/1 labels are for binary cross-entropy; map them to -1/+1 with 2y - 1',
};

/** Binary cross-entropy's labels. */
export const BCE_LABEL: LabelRule = {
  accepts: (y) => y >= 0 && y <= 1,
  expects: '0 or 1 (or a probability in [0, 1])',
  hint: '-1/+1 labels are for the hinge loss; map them to 0/1 with (y + 1) / 2',
};

/**
 * Throws unless `y` is a label `rule` accepts; a `Value` (a traced input) passes, as its number
 * is not known yet. A non-number is a TypeError, a number outside the rule a RangeError.
 */
export function checkLabel(y: unknown, rule: LabelRule, what: string): void {
  if (y instanceof Value) return;
  if (typeof y !== 'number' || !Number.isFinite(y))
    throw new TypeError(`${what} must be a label, ${rule.expects}, got ${describeInput(y)}`);
  if (!rule.accepts(y)) throw new RangeError(`${what} must be ${rule.expects}, got ${y} (${rule.hint})`);
}

/** Throws a RangeError unless `t` is an integer in [0, classes). */
export function checkClassIndex(t: number, classes: number, what: string): void {
  if (!Number.isInteger(t) || t < 0 || t >= classes) {
    throw new RangeError(`${what} must be a class index, an integer in [0, ${classes}), got ${t}`);
  }
}

/**
 * Throws a RangeError unless the numbers of `row` are probabilities that sum to 1 (to within
 * rounding); Values pass, as when traced.
 */
export function checkProbabilities(row: readonly unknown[], what: string): void {
  let total = 0;
  for (let k = 0; k < row.length; k++) {
    const p = row[k];
    if (p instanceof Value) return;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new RangeError(
        `${what}[${k}] must be a probability in [0, 1], got ${typeof p === 'number' ? p : describeInput(p)} (a class index or a one-hot row such as [0, 1, 0])`,
      );
    }
    total += p;
  }
  // Loose enough for probabilities rounded to float32 (each within 6e-8 of itself), as PyTorch
  // models often give them; tight enough to catch a row that is not a distribution.
  if (!(Math.abs(total - 1) <= 1e-6)) {
    throw new RangeError(
      `${what} must hold probabilities that sum to 1, got ${formatRow(row)} (sum ${total})`,
    );
  }
}

function formatRow(row: readonly unknown[]): string {
  return row.length > 6 ? `[${row.slice(0, 6).join(', ')}, …]` : `[${row.join(', ')}]`;
}
