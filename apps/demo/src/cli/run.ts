import { resolve } from 'node:path';
import { parseCommand, USAGE, UsageError, type Command } from './args.js';
import { examplesCommand } from './examples-command.js';
import { OutputError, ReaderGone, type Output } from './output.js';
import { DIVERGED_EXIT, RunDiverged, trainCommand } from './train-command.js';

/** What the CLI reads from and writes to: the process's, or a test's. */
export interface Io extends Output {
  /** Standard error. */
  error: (text: string) => void;
  /** The heap an eager run may fill (default: this process's limit). */
  heapBytes?: number;
}

/** The exit code of a process that SIGPIPE ended, as shells report it: 128 + 13. */
export const READER_GONE_EXIT = 141;

/**
 * Runs the CLI on `argv` (the arguments after the script name).
 *
 * @returns the exit code: 0 done, 1 the files could not be put in place (one line saying what
 *   was left) or an unexpected error (one line; its stack with `--verbose`), 2 a bad command line
 *   (the message, then the usage), 3 the training diverged (one line: where, and what to change;
 *   nothing written), 141 the reader of stdout went away (nothing more said)
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  // `pnpm demo -- --steps 5` passes the `--` along.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let command: Command | undefined;
  try {
    command = parseCommand(args, io.heapBytes);
    switch (command.kind) {
      case 'help':
        io.write(`${USAGE}\n`);
        break;
      case 'examples':
        await examplesCommand(resolve(io.base, command.out), command.json, io, command.out);
        break;
      case 'train':
        await trainCommand(
          {
            ...command.options,
            out: resolve(io.base, command.options.out),
            ...(command.options.onnx === undefined ? {} : { onnx: resolve(io.base, command.options.onnx) }),
          },
          io,
          command.options.out,
        );
        break;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.error(`demo: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ReaderGone) return READER_GONE_EXIT;
    if (error instanceof OutputError) {
      io.error(`demo: ${error.message}\n`);
      return 1;
    }
    if (error instanceof RunDiverged) {
      io.error(`demo: ${error.message}\n`);
      return DIVERGED_EXIT;
    }
    const verbose =
      command !== undefined &&
      command.kind !== 'help' &&
      (command.kind === 'train' ? command.options.verbose : command.verbose);
    io.error(`demo: ${describe(error)}${verbose ? '' : ' (--verbose shows where)'}\n`);
    if (verbose && error instanceof Error && error.stack !== undefined) io.error(`${error.stack}\n`);
    return 1;
  }
}

/** `RangeError: message`, on one line. */
function describe(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${typeof error}: ${String(error)}`;
  return text.replace(/\s*\n\s*/g, ' ');
}
