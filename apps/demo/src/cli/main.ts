// The demo CLI: `pnpm demo --help`.
import { READER_GONE_EXIT, run } from './run.js';

// A reader that goes away (`pnpm demo | head`) fails the writes still queued with EPIPE, reported
// later as an 'error' event: without a listener, Node would print a stack trace. The run stops
// instead, quietly, as a Unix tool killed by SIGPIPE would.
let stdoutFailed: NodeJS.ErrnoException | undefined;
let finished = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  stdoutFailed ??= error;
  if (finished && process.exitCode === 0) process.exitCode = exitCode(0);
});
// Messages to a closed stderr are lost; the exit code still says what happened.
process.stderr.on('error', () => undefined);

// Not top-level await: the launcher runs the CLI as a script (see bin/demo.mjs).
void run(process.argv.slice(2), {
  write: (text) => {
    if (stdoutFailed === undefined) process.stdout.write(text);
  },
  error: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY,
  // pnpm runs scripts in the package's folder; paths on the command line are the caller's.
  base: process.env.INIT_CWD ?? process.cwd(),
  holdSignals: () => {
    // While a listener is installed, a signal waits for the event loop, which the synchronous
    // writes do not yield to; without one, it would end the process mid-write.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    process.on('SIGTERM', ignore);
    return () => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', ignore);
    };
  },
  readerGone: () => stdoutFailed !== undefined,
}).then((code) => {
  finished = true;
  process.exitCode = exitCode(code);
});

/** The run's exit code, or, when it stopped or ended because stdout failed, SIGPIPE's or 1. */
function exitCode(code: number): number {
  if (stdoutFailed === undefined || (code !== 0 && code !== READER_GONE_EXIT)) return code;
  if (stdoutFailed.code === 'EPIPE') return READER_GONE_EXIT;
  process.stderr.write(
    `demo: could not write to standard output (${stdoutFailed.code ?? stdoutFailed.message})\n`,
  );
  return 1;
}
