import { parseArgs } from 'node:util';
import { DATASET_NAMES, type DatasetName } from '../core/datasets.js';
import { ENGINES, type Engine } from '../core/train.js';

/** A bad command line: the CLI prints the message and the usage, and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the command line asks for. */
export type Command =
  | { kind: 'help' }
  | { kind: 'examples'; out: string; json: boolean }
  | { kind: 'train'; options: TrainCommand };

/** The training run's settings, defaults being the notebook's. */
export interface TrainCommand {
  steps: number;
  seed: number;
  samples: number;
  noise: number;
  dataset: DatasetName;
  hidden: number[];
  engine: Engine;
  out: string;
  json: boolean;
}

export const USAGE = `Usage: pnpm demo [options]
       pnpm demo examples [--out DIR] [--json]

Trains micrograd's demo.ipynb classifier (MLP 2-16-16-1, SVM loss, SGD) and draws it.

Options:
  --steps N          training steps (default 100)
  --seed N           seed for the data (NumPy) and the weights (Python random) (default 1337)
  --samples N        number of points (default 100)
  --noise X          standard deviation of the noise added to the points (default 0.1)
  --dataset NAME     ${DATASET_NAMES.join(' | ')} (default moons)
  --hidden LIST      hidden layer sizes, comma-separated (default 16,16)
  --engine NAME      ${ENGINES.join(' | ')} (default compiled; both give the same numbers)
  --out DIR          where pictures go (default out)
  --json             one JSON object per step, then a summary with timing
  -h, --help         this help

Subcommands:
  examples           the lecture's small examples: values, gradients and their graphs`;

/**
 * Parses the CLI's arguments.
 *
 * @param argv - the arguments after the script name
 * @returns the command to run
 * @throws UsageError naming the flag and quoting the bad value
 */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        steps: { type: 'string' },
        seed: { type: 'string' },
        samples: { type: 'string' },
        noise: { type: 'string' },
        dataset: { type: 'string' },
        hidden: { type: 'string' },
        engine: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs throws TypeErrors with Node's wording ("Unknown option '--x'"): good enough to show.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  const out = values.out ?? 'out';
  if (out === '') throw new UsageError('--out must not be empty');
  const json = values.json === true;
  const [sub, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (sub === 'examples') {
    const trainFlags = (['steps', 'seed', 'samples', 'noise', 'dataset', 'hidden', 'engine'] as const).filter((f) => values[f] !== undefined);
    if (trainFlags.length > 0) throw new UsageError(`--${trainFlags[0]!} does not apply to examples`);
    return { kind: 'examples', out, json };
  }
  if (sub !== undefined) throw new UsageError(`unknown command ${JSON.stringify(sub)} (the only one is "examples")`);
  return {
    kind: 'train',
    options: {
      steps: integer(values.steps, 'steps', 100, 1, 1_000_000),
      seed: integer(values.seed, 'seed', 1337, 0, 0xffffffff),
      samples: integer(values.samples, 'samples', 100, 2, 100_000),
      noise: number(values.noise, 'noise', 0.1),
      dataset: choice(values.dataset, 'dataset', 'moons', DATASET_NAMES),
      hidden: hidden(values.hidden),
      engine: choice(values.engine, 'engine', 'compiled', ENGINES),
      out,
      json,
    },
  };
}

function integer(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return n;
}

function number(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} must be a number >= 0, got ${JSON.stringify(text)}`);
  return n;
}

function choice<T extends string>(text: string | undefined, flag: string, fallback: T, allowed: readonly T[]): T {
  if (text === undefined) return fallback;
  const found = allowed.find((a) => a === text);
  if (found === undefined) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
  return found;
}

function hidden(text: string | undefined): number[] {
  if (text === undefined) return [16, 16];
  const sizes = text.split(',').map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1 || n > 1024)) {
    throw new UsageError(`--hidden must be comma-separated layer sizes from 1 to 1024, such as 16,16; got ${JSON.stringify(text)}`);
  }
  return sizes;
}
