import { makeDataset } from '../core/datasets.js';
import { median } from '../core/median.js';
import { boundaryGrid, curvesSvg, decisionBoundarySvg } from '../core/plots.js';
import { Training, type StepRecord } from '../core/train.js';
import type { TrainCommand } from './args.js';
import { svgAndPng } from './artifacts.js';
import { graphFileNames, neuronGraphFiles } from './graphs.js';
import { gridAcross } from './limits.js';
import { prepareOnnxFile } from './onnx-file.js';
import { prepareOut, writeAll } from './out-dir.js';
import { ReaderGone, shown, type Output } from './output.js';
import { jsonProgress, liveProgress, plainProgress, type Progress } from './progress.js';
import { last } from '../core/checked.js';

/** The files a training run writes into its output folder. */
export const TRAIN_FILES: readonly string[] = [
  ...['decision-boundary', 'training-curves'].flatMap((name) => [`${name}.svg`, `${name}.png`]),
  ...graphFileNames('neuron-graph'),
];

/**
 * Trains as the command says, reporting each step, then replaces the pictures in `out` (all of
 * them or, on any failure or interruption, none).
 *
 * @param options - the parsed command, `out` (and `onnx`) absolute
 * @param output - where to report
 * @param outShown - `out` as the user typed it, for messages
 * @throws UsageError before training when `out` cannot take the pictures, or `onnx` the model
 */
export async function trainCommand(
  options: TrainCommand,
  output: Output,
  outShown = options.out,
): Promise<void> {
  const { steps, seed, samples, noise, dataset, hidden, engine, out, json } = options;
  const staging = prepareOut(out, TRAIN_FILES, outShown);
  const onnxFile =
    options.onnx === undefined
      ? undefined
      : prepareOnnxFile(options.onnx, shown(options.onnx, output.base), {
          dir: out,
          shown: outShown,
          names: TRAIN_FILES,
        });
  const data = makeDataset(dataset, { samples, noise, seed });
  const training = new Training(data, { seed, hidden, steps, engine });
  const progress: Progress = json
    ? jsonProgress(output.write)
    : output.isTTY
      ? liveProgress(output.write, steps)
      : plainProgress(output.write);
  const records: StepRecord[] = [];
  const times: number[] = [];
  const { readerGone } = output;
  const start = performance.now();
  let lastTurn = start;
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    const record = training.step();
    times.push(performance.now() - t0);
    records.push(record);
    progress.step(record);
    // A closed stdout (`| head`) is only reported between tasks: let it be, and stop as at Ctrl-C.
    // Every 50 ms, not every step: a turn of the event loop per step would be timed as training.
    if (readerGone !== undefined) {
      if (performance.now() - lastTurn > 50) {
        await nextTask();
        lastTurn = performance.now();
      }
      if (readerGone()) throw new ReaderGone();
    }
  }
  const totalMs = performance.now() - start;

  const model = `MLP 2-${hidden.join('-')}-1`;
  const artifacts = await writeAll(
    staging,
    output.holdSignals,
    [
      () => {
        const grid = boundaryGrid(data.X, gridAcross(hidden));
        return svgAndPng(
          'decision-boundary',
          decisionBoundarySvg(
            data,
            grid,
            training.scores(grid.points),
            `${dataset}: ${model} after ${steps} steps`,
          ),
        );
      },
      () => svgAndPng('training-curves', curvesSvg(records, `${dataset}: ${model}, ${engine} engine`)),
      () => neuronGraphFiles(training.model, data.X),
    ],
    {
      outside: () => (onnxFile === undefined ? [] : [onnxFile.file(training.model)]),
      ...(readerGone === undefined ? {} : { stopped: readerGone }),
    },
  );
  const final = last(records);
  progress.done({
    steps,
    loss: final.loss,
    accuracy: final.accuracy,
    engine,
    msPerStep: median(times),
    totalMs,
    artifacts: artifacts.map((a) => shown(a, output.base)),
  });
}

/** Resolves after the tasks already waiting (I/O callbacks such as a write's error) have run. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
