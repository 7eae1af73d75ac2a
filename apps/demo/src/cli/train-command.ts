import { ready } from '@mg/engine';
import { last } from '../core/checked.js';
import { makeDataset, type Dataset } from '../core/datasets.js';
import { EXPLOSION } from '../core/divergence.js';
import { median } from '../core/median.js';
import { chooseNeuron, type NeuronChoice } from '../core/neuron-graph.js';
import { boundaryGrid, curvesSvg, decisionBoundarySvg } from '../core/plots.js';
import { Diverged, Training, type StepRecord } from '../core/train.js';
import type { TrainCommand } from './args.js';
import { svgAndPng, type OutputFile } from './artifacts.js';
import { graphFileNames, neuronGraphFiles, neuronGraphNotes } from './graphs.js';
import { gridAcross } from './limits.js';
import { prepareOnnxFile } from './onnx-file.js';
import { prepareOut, writeAll } from './out-dir.js';
import { ReaderGone, shown, type Output } from './output.js';
import { jsonProgress, liveProgress, plainProgress, type Progress, type Summary } from './progress.js';

/**
 * The run diverged: the CLI prints the message (the step, the loss, the flags behind it and what
 * to change) and exits with {@link DIVERGED_EXIT}, having written nothing.
 */
export class RunDiverged extends Error {
  override readonly name = 'RunDiverged';
}

/** The exit code of a run that diverged. */
export const DIVERGED_EXIT = 3;

/** The files a training run writes into its output folder. */
export const TRAIN_FILES: readonly string[] = [
  ...['decision-boundary', 'training-curves'].flatMap((name) => [`${name}.svg`, `${name}.png`]),
  ...graphFileNames('neuron-graph'),
];

/**
 * The steps a run took: their records, how long each took, and the sum of those times (the
 * training's, as PyTorch's loop would be timed: reporting each step is not in it).
 */
interface Trained {
  records: StepRecord[];
  times: number[];
  totalMs: number;
}

/**
 * Trains as the command says, reporting each step, then replaces the pictures in `out` (all of
 * them or, on any failure, interruption or divergence, none).
 *
 * @param options - the parsed command, `out` (and `onnx`) absolute
 * @param output - where to report
 * @param outShown - `out` as the user typed it, for messages
 * @throws UsageError before training when `out` cannot take the pictures, or `onnx` the model
 * @throws RunDiverged when the training diverges (as the web page judges it), before any file is written
 */
export async function trainCommand(
  options: TrainCommand,
  output: Output,
  outShown = options.out,
): Promise<void> {
  const { steps, seed, samples, noise, dataset, hidden, engine, out, json } = options;
  // Compiled mode's WebAssembly module compiles on another thread while the run sets up.
  const backend = engine === 'compiled' ? ready() : undefined;
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
  const reports = batched(output.write);
  const progress: Progress = json
    ? jsonProgress(reports.write)
    : output.isTTY
      ? liveProgress(reports.write, steps)
      : plainProgress(reports.write);
  try {
    await backend;
    const trained = await trainAll(training, steps, progress, reports.flush, output.readerGone);
    const neuron = chooseNeuron(training.model, data.X);
    const drawn = { data, training, trained, neuron };
    const artifacts = await writeAll(staging, output.holdSignals, pictures(options, drawn), {
      outside: () => (onnxFile === undefined ? [] : [onnxFile.file(training.model)]),
      ...(output.readerGone === undefined ? {} : { stopped: output.readerGone }),
    });
    progress.done({
      ...summary(options, trained),
      artifacts: artifacts.map((a) => shown(a, output.base)),
      notes: neuronGraphNotes(neuron),
    });
    reports.flush();
  } catch (error) {
    if (error instanceof Diverged && error.record !== null) progress.step(error.record);
    // Whatever comes next (the divergence, an error) starts on a line of its own.
    progress.stop();
    reports.flush();
    if (error instanceof Diverged) throw new RunDiverged(divergedMessage(error, options));
    throw error;
  }
}

/**
 * Runs every step, reporting each: the reports are written a frame's worth at a time (`flush`),
 * not one system call per step, and before each turn of the event loop.
 *
 * @throws Diverged as {@link Training.step}, ReaderGone when the reader of stdout went away
 */
async function trainAll(
  training: Training,
  steps: number,
  progress: Progress,
  flush: () => void,
  readerGone: (() => boolean) | undefined,
): Promise<Trained> {
  const records: StepRecord[] = [];
  const times: number[] = [];
  let totalMs = 0;
  let lastTurn = performance.now();
  let lastFlush = -Infinity;
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    const record = training.step();
    const t1 = performance.now();
    times.push(t1 - t0);
    totalMs += t1 - t0;
    records.push(record);
    progress.step(record);
    if (t1 - lastFlush >= FRAME_MS) {
      flush();
      lastFlush = t1;
    }
    // A closed stdout (`| head`) is only reported between tasks: let it be, and stop as at Ctrl-C.
    // Every 50 ms, not every step: a turn of the event loop per step would slow the run down.
    if (readerGone !== undefined) {
      if (t1 - lastTurn > 50) {
        flush();
        await nextTask();
        lastTurn = performance.now();
      }
      if (readerGone()) throw new ReaderGone();
    }
  }
  flush();
  return { records, times, totalMs };
}

/** How long reports wait to be written at most, in milliseconds: a frame of a screen. */
const FRAME_MS = 16;

/** `write`, keeping the text until `flush`. */
function batched(write: (text: string) => void): { write: (text: string) => void; flush: () => void } {
  let pending = '';
  return {
    write: (text) => {
      pending += text;
    },
    flush: () => {
      if (pending === '') return;
      const text = pending;
      pending = '';
      write(text);
    },
  };
}

/** What a finished run's pictures show. */
interface Drawn {
  data: Dataset;
  training: Training;
  trained: Trained;
  neuron: NeuronChoice;
}

/** The pictures of a finished run, each drawn when `writeAll` asks for it. */
function pictures(options: TrainCommand, drawn: Drawn): (() => OutputFile[] | Promise<OutputFile[]>)[] {
  const { dataset, hidden, steps, engine } = options;
  const { data, training, trained, neuron } = drawn;
  const model = `MLP 2-${hidden.join('-')}-1`;
  return [
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
    () => svgAndPng('training-curves', curvesSvg(trained.records, `${dataset}: ${model}, ${engine} engine`)),
    () => neuronGraphFiles(training.model, neuron),
  ];
}

/** The run's end, files aside. */
function summary(options: TrainCommand, trained: Trained): Omit<Summary, 'artifacts' | 'notes'> {
  const final = last(trained.records);
  return {
    steps: options.steps,
    loss: final.loss,
    accuracy: final.accuracy,
    engine: options.engine,
    msPerStep: median(trained.times),
    totalMs: trained.totalMs,
  };
}

/**
 * What the CLI says when the run diverged: at which step, what loss, the flags that set the
 * network and the learning rate, and what to change.
 *
 * @param d - the divergence
 * @param options - the run's `--hidden` and `--steps`
 * @returns one line, without `demo: `
 */
export function divergedMessage(d: Diverged, options: Pick<TrainCommand, 'hidden' | 'steps'>): string {
  const { hidden, steps } = options;
  return (
    `diverged at step ${d.step}: ${what(d)}, with --hidden ${hidden.join(',')} and --steps ${steps} ` +
    `(learning rate 1 - 0.9*k/${steps} = ${short(d.learningRate)}); nothing was written. ` +
    `Try fewer or smaller hidden layers, such as the notebook's --hidden 16,16 (the learning rate is the notebook's schedule, which no flag changes)`
  );
}

/** What went out of bounds: the loss, or the number the step's error names. */
function what(d: Diverged): string {
  if (d.record === null) {
    const before = d.step === 0 ? '' : `, after loss ${short(d.previousLoss)} at step ${d.step - 1}`;
    return `a number stopped being finite (${d.detail})${before}`;
  }
  const { loss } = d.record;
  return Number.isFinite(loss)
    ? `loss ${short(loss)}, over ${EXPLOSION} times the first step's ${short(d.firstLoss)}`
    : `loss ${loss}`;
}

/** A number to three significant digits, as `55400` or `1.87e+63`. */
function short(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/** Resolves after the tasks already waiting (I/O callbacks such as a write's error) have run. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
