import { parseArgs } from 'node:util';
import { ENGINES, type Engine } from '@mg/nn';
import { DATASET_NAMES, type DatasetName } from '../core/datasets.js';
import { checkEagerMemory } from './limits.js';

/** A bad command line: the CLI prints the message and the usage, and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the command line asks for. */
export type Command =
  | { kind: 'help' }
  | { kind: 'examples'; out: string; json: boolean; verbose: boolean }
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
  verbose: boolean;
  /** Where to write the trained model as ONNX, if anywhere. */
  onnx?: string;
}

/**
 * The numeric flags' ranges: wide enough for any run worth watching, narrow enough that every run
 * in them either trains to the end or stops at a divergence within a few steps, saying so (noise
 * 100 only diverges, 1e100 overflows the first product; eight layers of 256 take minutes for one
 * step). Deep or wide networks diverge at the notebook's learning rate: `--hidden 32,32,32` does.
 */
export const LIMITS = {
  steps: [1, 100_000],
  seed: [0, 2 ** 32 - 1],
  samples: [2, 100_000],
  noise: [0, 1],
  layerSize: [1, 256],
  layers: [1, 4],
} as const;

export const USAGE = `Usage: pnpm demo [options]
       pnpm demo examples [--out DIR] [--json] [--verbose]

Trains micrograd's demo.ipynb classifier (MLP 2-16-16-1, SVM loss, SGD) and draws it.

Options:
  --steps N          training steps, ${range('steps')} (default 100)
  --seed N           seed for the data (NumPy) and the weights (Python random), ${range('seed')} (default 1337)
  --samples N        number of points, ${range('samples')} (default 100)
  --noise X          standard deviation of the noise added to the points, ${range('noise')} (default 0.1)
  --dataset NAME     ${DATASET_NAMES.join(' | ')} (default moons)
  --hidden LIST      hidden layer sizes, comma-separated: ${range('layers')} layers of ${range('layerSize')} (default 16,16)
  --engine NAME      ${ENGINES.join(' | ')} (default compiled; both give the same numbers)
  --out DIR          where pictures go (default out); a run replaces its own files there, all or none
  --onnx FILE        also write the trained model to FILE as ONNX, for ONNX Runtime (Node, browsers);
                     replaced with the pictures, all or none
  --json             one JSON object per step, then a summary with timing
  --verbose          on an unexpected error, print its stack too
  -h, --help         this help

Subcommands:
  examples           the lecture's small examples: values, gradients and their graphs`;

const TRAIN_ONLY = ['steps', 'seed', 'samples', 'noise', 'dataset', 'hidden', 'engine', 'onnx'] as const;

/** The flags that take a value. */
const VALUED = new Set([...TRAIN_ONLY, 'out'].map((flag) => `--${flag}`));

/**
 * `--steps -5` as `--steps=-5`: parseArgs refuses a value that starts with a dash as ambiguous
 * (in three lines that suggest the value is missing), where the flag's own check says what is wrong.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [arg, next] = [argv[i], argv[i + 1]];
    if (arg === '--') return [...args, ...argv.slice(i)];
    if (arg !== undefined && VALUED.has(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else if (arg !== undefined) {
      args.push(arg);
    }
  }
  return args;
}

/** The CLI's flags, as parseArgs takes them. */
const OPTIONS = {
  steps: { type: 'string' },
  seed: { type: 'string' },
  samples: { type: 'string' },
  noise: { type: 'string' },
  dataset: { type: 'string' },
  hidden: { type: 'string' },
  engine: { type: 'string' },
  out: { type: 'string' },
  onnx: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flag = keyof typeof OPTIONS;

function isFlag(name: string): name is Flag {
  return Object.hasOwn(OPTIONS, name);
}

/**
 * Checks every flag on the command line before parseArgs reads them, so that a mistake gets the
 * CLI's own message rather than Node's: an unknown flag with the closest known one, a flag with
 * a value it does not take, a flag missing its value (the next flag taken for it).
 *
 * @param args - the arguments, negative numbers already joined to their flags
 * @throws UsageError naming the flag
 */
function checkFlags(args: readonly string[]): void {
  const { tokens } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const { name, rawName, value } = token;
    if (!isFlag(name)) throw new UsageError(unknownFlag(rawName, args[token.index] ?? rawName));
    if (OPTIONS[name].type === 'boolean') {
      if (value !== undefined)
        throw new UsageError(`${rawName} takes no value, got ${JSON.stringify(value)}`);
    } else if (value === undefined) {
      throw new UsageError(`${rawName} needs a value`);
    } else if (!token.inlineValue && value.startsWith('-')) {
      throw new UsageError(missingValue(rawName, value));
    }
  }
}

/** `unknown flag --step (did you mean --steps?)`; `-help` (read as -h -e -l -p) is taken whole. */
function unknownFlag(rawName: string, arg: string): string {
  const typed = /^-[^-]/.test(arg) && arg.length > 2 ? (arg.split('=')[0] ?? arg) : rawName;
  const near = closestFlag(typed.replace(/^-+/, ''));
  return `unknown flag ${typed}${near === undefined ? ' (--help lists them)' : ` (did you mean --${near}?)`}`;
}

/** `--steps needs a value, got the flag --json`, or the dash-led value that parseArgs would not take. */
function missingValue(rawName: string, next: string): string {
  const flag = next.split('=')[0] ?? next;
  if (flag === '-h' || (flag.startsWith('--') && isFlag(flag.slice(2))))
    return `${rawName} needs a value, got the flag ${flag}`;
  return `${rawName} needs a value, got ${JSON.stringify(next)}, which looks like a flag; for a value that starts with a dash, write ${rawName}=${next}`;
}

/**
 * The known flag `name` most likely stands for: the only one it begins, else the nearest within
 * two edits (and fewer edits than its length), the first of equals in the usage's order.
 */
function closestFlag(name: string): Flag | undefined {
  const flags = Object.keys(OPTIONS).filter(isFlag);
  const lower = name.toLowerCase();
  const starting = flags.filter((flag) => lower.length >= 2 && flag.startsWith(lower));
  if (starting.length === 1) return starting[0];
  let best: { flag: Flag; distance: number } | undefined;
  for (const flag of flags) {
    const distance = editDistance(lower, flag);
    if (distance <= 2 && distance < lower.length && (best === undefined || distance < best.distance))
      best = { flag, distance };
  }
  return best?.flag;
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions from `a` to `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/**
 * Parses the CLI's arguments.
 *
 * @param argv - the arguments after the script name
 * @param heapBytes - the memory an eager run may use (default: this process's V8 heap limit)
 * @returns the command to run
 * @throws UsageError naming the flag and quoting the bad value
 */
export function parseCommand(argv: readonly string[], heapBytes?: number): Command {
  const args = joinNegativeValues(argv);
  checkFlags(args);
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    // checkFlags found what parseArgs refuses; should Node refuse more, its message, on one line.
    throw new UsageError((error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' '));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  const out = values.out ?? 'out';
  if (out === '') throw new UsageError('--out must not be empty');
  if (values.onnx === '') throw new UsageError('--onnx must not be empty');
  const json = values.json === true;
  const verbose = values.verbose === true;
  const [sub, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (sub === 'examples') {
    const trainFlag = TRAIN_ONLY.find((f) => values[f] !== undefined);
    if (trainFlag !== undefined) throw new UsageError(`--${trainFlag} does not apply to examples`);
    return { kind: 'examples', out, json, verbose };
  }
  if (sub !== undefined)
    throw new UsageError(`unknown command ${JSON.stringify(sub)} (the only one is "examples")`);
  const options: TrainCommand = {
    steps: whole(values.steps, 'steps', 100),
    seed: whole(values.seed, 'seed', 1337),
    samples: whole(values.samples, 'samples', 100),
    noise: decimal(values.noise, 'noise', 0.1),
    dataset: choice(values.dataset, 'dataset', 'moons', DATASET_NAMES),
    hidden: hidden(values.hidden),
    engine: choice(values.engine, 'engine', 'compiled', ENGINES),
    out,
    json,
    verbose,
    ...(values.onnx === undefined ? {} : { onnx: values.onnx }),
  };
  const tooBig = checkEagerMemory(options, heapBytes);
  if (tooBig !== null) throw new UsageError(tooBig);
  return { kind: 'train', options };
}

function range(key: keyof typeof LIMITS): string {
  const [min, max] = LIMITS[key];
  return `${min} to ${max}`;
}

// Decimal digits only: Number() would also take "0x10", "0b1", "1e3", " 7" and "Infinity".
const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function whole(text: string | undefined, flag: 'steps' | 'seed' | 'samples', fallback: number): number {
  return bounded(text, flag, fallback, WHOLE, 'a whole number');
}

function decimal(text: string | undefined, flag: 'noise', fallback: number): number {
  return bounded(text, flag, fallback, DECIMAL, 'a decimal number');
}

function bounded(
  text: string | undefined,
  flag: 'steps' | 'seed' | 'samples' | 'noise',
  fallback: number,
  pattern: RegExp,
  kind: string,
): number {
  if (text === undefined) return fallback;
  const [min, max] = LIMITS[flag];
  const n = pattern.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(`--${flag} must be ${kind} from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

function choice<T extends string>(
  text: string | undefined,
  flag: string,
  fallback: T,
  allowed: readonly T[],
): T {
  if (text === undefined) return fallback;
  const found = allowed.find((a) => a === text);
  if (found === undefined)
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
  return found;
}

function hidden(text: string | undefined): number[] {
  if (text === undefined) return [16, 16];
  const [minSize, maxSize] = LIMITS.layerSize;
  const [minLayers, maxLayers] = LIMITS.layers;
  const sizes = text.split(',').map((s) => (WHOLE.test(s.trim()) ? Number(s) : NaN));
  if (
    sizes.length < minLayers ||
    sizes.length > maxLayers ||
    !sizes.every((n) => n >= minSize && n <= maxSize)
  ) {
    throw new UsageError(
      `--hidden must be ${minLayers} to ${maxLayers} comma-separated layer sizes, each a whole number from ${minSize} to ${maxSize}, such as 16,16; got ${JSON.stringify(text)}`,
    );
  }
  return sizes;
}
