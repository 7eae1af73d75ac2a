// The demo CLI: `pnpm demo --help`.
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), {
  write: (text) => process.stdout.write(text),
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
});
