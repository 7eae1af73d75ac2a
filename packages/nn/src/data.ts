import { describeInput } from '@mg/engine';
import type { LossKind } from './loss-table.js';
import { PythonRandom } from './python-random.js';
import { at } from './at.js';

/** A training set: inputs and targets, one per sample. */
export interface Dataset {
  /** One row of `model.nin` numbers per sample. */
  x: readonly (readonly number[])[];
  /** One target per sample: a label, a class index, or a row of numbers (see {@link LossName}). */
  y: readonly (number | readonly number[])[];
}

/** A checked dataset: input rows and target rows (class indices made one-hot, labels rows of one). */
export interface Samples {
  readonly rows: number[][];
  readonly targets: number[][];
}

/** Checks every input and target against the model's sizes and the loss's rules; throws naming the first bad one. */
export function checkData(
  data: unknown,
  nin: number,
  nout: number,
  loss: LossKind,
  lossName: string,
  where: string,
): Samples {
  if (typeof data !== 'object' || data === null)
    throw new TypeError(`${where}: data must be { x: number[][], y: [...] }, got ${describeInput(data)}`);
  const { x, y } = data as Record<string, unknown>;
  if (!Array.isArray(x) || !Array.isArray(y)) {
    throw new TypeError(
      `${where}: data must be { x: number[][], y: [...] }, got x ${describeInput(x)} and y ${describeInput(y)}`,
    );
  }
  if (x.length !== y.length)
    throw new RangeError(`${where}: data has ${x.length} inputs but ${y.length} targets`);
  if (x.length === 0) throw new RangeError(`${where}: data has no samples`);
  // Array.from visits holes (map skips them), so a sparse array is refused, not kept.
  const rows = Array.from(x, (row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== nin) {
      const got = Array.isArray(row) ? `${row.length}` : describeInput(row);
      throw new (Array.isArray(row) ? RangeError : TypeError)(
        `${where}: x[${i}] must be a row of ${nin} numbers, got ${got}`,
      );
    }
    return Array.from(row, (v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new (typeof v === 'number' ? RangeError : TypeError)(
          `${where}: x[${i}][${j}] must be a finite number, got ${describeInput(v)}`,
        );
      }
      return v;
    });
  });
  const targets = Array.from(y, (t: unknown, i) =>
    loss.target(t, nout, `${where}: y[${i}] (loss '${lossName}')`),
  );
  return { rows, targets };
}

/**
 * The default mini-batch sampler: a Fisher-Yates shuffle of all indices per step, from a seeded
 * Python-compatible generator, and the first `size` of them. Asked again for the same step (a
 * retry after a failed step) it returns the same batch. The returned array is reused.
 */
export function shuffler(n: number, seed: number): (step: number, size: number) => readonly number[] {
  const rng = new PythonRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  let batch: number[] = [];
  let last = -1;
  return (step, size) => {
    if (step === last && batch.length === size) return batch;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.random() * (i + 1));
      const t = at(order, i);
      order[i] = at(order, j);
      order[j] = t;
    }
    if (batch.length !== size) batch = new Array<number>(size);
    for (let i = 0; i < size; i++) batch[i] = at(order, i);
    last = step;
    return batch;
  };
}
