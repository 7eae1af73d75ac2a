import { describeInput, type Value } from '@mg/engine';
import { bceTerm, crossEntropyTerm, hingeTerm, squaredErrors } from './losses.js';
import {
  BCE_LABEL,
  HINGE_LABEL,
  checkClassIndex,
  checkLabel,
  checkProbabilities,
  type LabelRule,
} from './labels.js';
import { at, outside } from './at.js';

/**
 * The losses {@link Trainer} knows, each the mean over the batch of per-sample terms:
 * - `'hinge'`: micrograd's max-margin `relu(1 - y·score)`, labels -1/+1, one output;
 * - `'bce'`: binary cross-entropy with logits, labels 0/1 (or probabilities), one output;
 * - `'mse'`: squared error, targets numbers or rows, averaged over samples and outputs
 *   (exactly {@link mseLoss});
 * - `'cross-entropy'`: softmax cross-entropy, targets class indices or probability rows.
 */
export type LossName = 'hinge' | 'bce' | 'mse' | 'cross-entropy';

/** Everything the Trainer needs to know about a loss; adding a loss is one row of {@link LOSSES}. */
export interface LossKind {
  /** Whether the model must have exactly one output. */
  readonly singleOutput: boolean;
  /**
   * Checks one sample's target for a model with `nout` outputs and returns it as a row of
   * numbers (a class index becomes a one-hot row); throws naming `what`.
   */
  readonly target: (y: unknown, nout: number, what: string) => number[];
  /** One sample's loss terms from its outputs and target row; the batch loss is the mean of every sample's terms. */
  readonly terms: (out: readonly Value[], t: readonly (Value | number)[]) => Value[];
  /** Whether a sample counts as classified right, from its outputs and target row; `null` for a loss without classes. */
  readonly correct: ((out: ArrayLike<number>, t: readonly number[]) => boolean) | null;
}

// A single-output loss's `correct` runs per sample per step: its two reads are checked inline,
// not by a call to `at` each (see at.ts).

/** The losses, one row each. */
export const LOSSES: Readonly<Record<LossName, LossKind>> = {
  hinge: {
    singleOutput: true,
    target: (y, _nout, what) => scalar(y, HINGE_LABEL, what),
    terms: (out, t) => [hingeTerm(at(out, 0), at(t, 0))],
    correct: (out, t) => {
      const y = t[0];
      const score = out[0];
      if (y === undefined || score === undefined) throw outside(y === undefined ? t : out, 0);
      return y > 0 === score > 0;
    },
  },
  bce: {
    singleOutput: true,
    target: (y, _nout, what) => scalar(y, BCE_LABEL, what),
    terms: (out, t) => [bceTerm(at(out, 0), at(t, 0))],
    correct: (out, t) => {
      const y = t[0];
      const score = out[0];
      if (y === undefined || score === undefined) throw outside(y === undefined ? t : out, 0);
      return y > 0.5 === score > 0;
    },
  },
  mse: {
    singleOutput: false,
    target: (y, nout, what) =>
      typeof y === 'number' && nout === 1 ? [finite(y, what)] : numbers(y, nout, what),
    terms: squaredErrors,
    correct: null,
  },
  'cross-entropy': {
    singleOutput: false,
    target: (y, nout, what) => {
      if (typeof y === 'number') {
        checkClassIndex(y, nout, what);
        return Array.from({ length: nout }, (_, j) => (j === y ? 1 : 0));
      }
      const row = numbers(y, nout, what);
      checkProbabilities(row, what);
      return row;
    },
    terms: (out, t) => [crossEntropyTerm(out, t)],
    correct: (out, t) => {
      let best = 0;
      let want = 0;
      for (let j = 1; j < t.length; j++) {
        if (at(out, j) > at(out, best)) best = j;
        if (at(t, j) > at(t, want)) want = j;
      }
      return best === want;
    },
  },
};

/** The names of {@link LOSSES}, for messages. */
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/** The loss named `name`; a TypeError listing the valid names otherwise. */
export function lossKind(name: unknown, where: string): LossKind {
  if (typeof name === 'string' && Object.hasOwn(LOSSES, name)) return LOSSES[name as LossName];
  throw new TypeError(
    `${where}: loss must be ${LOSS_NAMES.map((n) => `'${n}'`).join(', ')}, got ${describeInput(name)}`,
  );
}

function scalar(y: unknown, rule: LabelRule, what: string): number[] {
  if (Array.isArray(y) && y.length === 1) y = y[0];
  if (typeof y !== 'number') throw new TypeError(`${what} must be ${rule.expects}, got ${describeInput(y)}`);
  checkLabel(y, rule, what);
  return [y];
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new TypeError(`${what} must be a finite number, got ${describeInput(v)}`);
  return v;
}

function numbers(y: unknown, n: number, what: string): number[] {
  if (!Array.isArray(y) || y.length !== n) {
    const got = Array.isArray(y) ? `${y.length} numbers` : describeInput(y);
    throw new (Array.isArray(y) ? RangeError : TypeError)(
      `${what} must be ${n === 1 ? 'a number or ' : ''}a row of ${n} numbers, got ${got}`,
    );
  }
  // Array.from visits holes (map skips them): `[1, , 3]` is refused, not kept with a hole.
  return Array.from(y, (v: unknown, j) => finite(v, `${what}[${j}]`));
}
