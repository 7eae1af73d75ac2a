import { getHeapStatistics } from 'node:v8';

/**
 * What one eager Value costs, graph and backward bookkeeping included: peak memory over Values
 * built, measured at 1,000 to 8,000 samples through 2-16-16-1 and 2-64-64-1 (137 to 153 bytes).
 */
const BYTES_PER_VALUE = 150;
/** The share of the heap an eager step may fill: the collector needs the rest to keep up. */
const HEAP_SHARE = 0.6;

/**
 * How many Values one eager step builds: per sample, a multiply and an add per weight and an
 * activation per neuron, then the loss's few; the L2 term's square and add per parameter.
 *
 * @param samples - points in the batch
 * @param hidden - hidden layer sizes (one output follows)
 * @returns the count, about
 */
export function eagerValuesPerStep(samples: number, hidden: readonly number[]): number {
  const { weights, neurons } = size(hidden);
  return samples * (2 * weights + neurons + 5) + 2 * (weights + neurons);
}

/** Multiply-adds the decision-boundary grid may cost: 2-16-16-1 gets the full 320 cells across. */
const GRID_WORK = 1e8;

/**
 * How many cells across the decision-boundary grid gets: 320 for small models, fewer for large
 * ones, so scoring the grid stays within {@link GRID_WORK} multiply-adds (but never under 64).
 *
 * @param hidden - hidden layer sizes (one output follows)
 * @returns the `across` argument of `boundaryGrid`
 */
export function gridAcross(hidden: readonly number[]): number {
  // The grid is about 3/4 as tall as it is wide.
  const across = Math.floor(Math.sqrt(GRID_WORK / size(hidden).weights / 0.75));
  return Math.min(320, Math.max(64, across));
}

/** The weights and neurons of an MLP 2-...-1. */
function size(hidden: readonly number[]): { weights: number; neurons: number } {
  let weights = 0;
  let neurons = 0;
  let fanIn = 2;
  for (const width of [...hidden, 1]) {
    weights += fanIn * width;
    neurons += width;
    fanIn = width;
  }
  return { weights, neurons };
}

/**
 * Refuses an eager run whose one step would not fit in the heap (it would run for minutes, then
 * die of "heap out of memory"), naming the estimate and the way out.
 *
 * @param options - the run's engine, samples and hidden sizes
 * @param heapBytes - the heap limit (default: this process's)
 * @returns the message to show, or `null` when the run fits
 */
export function checkEagerMemory(
  options: { engine: string; samples: number; hidden: readonly number[] },
  heapBytes = getHeapStatistics().heap_size_limit,
): string | null {
  if (options.engine !== 'eager') return null;
  const values = eagerValuesPerStep(options.samples, options.hidden);
  const needed = values * BYTES_PER_VALUE;
  const allowed = heapBytes * HEAP_SHARE;
  if (needed <= allowed) return null;
  const model = `MLP 2-${options.hidden.join('-')}-1`;
  return (
    `--engine eager would build about ${millions(values)} million Values (${gigabytes(needed)} GB) per step for ${options.samples} samples through ${model}, ` +
    `more than this process's heap allows (${gigabytes(allowed)} of its ${gigabytes(heapBytes)} GB); use --engine compiled, or fewer --samples or smaller --hidden`
  );
}

function millions(n: number): string {
  return (n / 1e6).toFixed(n < 1e7 ? 1 : 0);
}

function gigabytes(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(1);
}
