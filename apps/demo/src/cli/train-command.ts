import { isAbsolute, relative } from 'node:path';
import { makeDataset } from '../core/datasets.js';
import { boundaryGrid, curvesSvg, decisionBoundarySvg } from '../core/plots.js';
import { Training, type StepRecord } from '../core/train.js';
import type { TrainCommand } from './args.js';
import { writeSvgAndPng } from './artifacts.js';
import { writeNeuronGraph } from './graphs.js';
import { jsonProgress, liveProgress, median, plainProgress, type Progress } from './progress.js';

/** Where the CLI writes: stdout, whether it is a terminal, and the folder paths are shown relative to. */
export interface Output {
  write: (text: string) => void;
  isTTY: boolean;
  base: string;
}

/** `path` as the user would type it from `base`. */
export function shown(path: string, base: string): string {
  const rel = relative(base, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * Trains as the command says, reporting each step, then writes the pictures into `out`.
 *
 * @returns every step's record
 */
export async function trainCommand(options: TrainCommand, output: Output): Promise<StepRecord[]> {
  const { steps, seed, samples, noise, dataset, hidden, engine, out, json } = options;
  const data = makeDataset(dataset, { samples, noise, seed });
  const training = new Training(data, { seed, hidden, steps, engine });
  const progress: Progress = json ? jsonProgress(output.write) : output.isTTY ? liveProgress(output.write, steps) : plainProgress(output.write);
  const records: StepRecord[] = [];
  const times: number[] = [];
  const start = performance.now();
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    const record = training.step();
    times.push(performance.now() - t0);
    records.push(record);
    progress.step(record, times[k]!);
  }
  const totalMs = performance.now() - start;

  const model = `MLP 2-${hidden.join('-')}-1`;
  const grid = boundaryGrid(data.X);
  const artifacts = [
    ...writeSvgAndPng(out, 'decision-boundary', decisionBoundarySvg(data, grid, training.scores(grid.points), `${dataset}: ${model} after ${steps} steps`)),
    ...writeSvgAndPng(out, 'training-curves', curvesSvg(records, `${dataset}: ${model}, ${engine} engine`)),
    ...(await writeNeuronGraph(out, training.model, data.X)),
  ];
  const last = records[records.length - 1]!;
  progress.done({ steps, loss: last.loss, accuracy: last.accuracy, engine, msPerStep: median(times), totalMs, artifacts: artifacts.map((a) => shown(a, output.base)) });
  return records;
}
