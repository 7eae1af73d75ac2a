// The demo CLI: `pnpm demo --help`.
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), {
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY,
  // pnpm runs scripts in the package's folder; paths on the command line are the caller's.
  base: process.env.INIT_CWD ?? process.cwd(),
  onInterrupt: (listener) => {
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
});
