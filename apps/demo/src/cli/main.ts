// The demo CLI: `pnpm demo --help`.
import { resolve } from 'node:path';
import { parseCommand, USAGE, UsageError, type Command } from './args.js';
import { examplesCommand } from './examples-command.js';
import { trainCommand, type Output } from './train-command.js';

async function main(argv: string[]): Promise<number> {
  // `pnpm demo -- --steps 5` passes the `--` along.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let command: Command;
  try {
    command = parseCommand(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  // pnpm runs scripts in the package's folder; paths on the command line are the caller's.
  const base = process.env.INIT_CWD ?? process.cwd();
  const output: Output = {
    write: (text) => process.stdout.write(text),
    isTTY: process.stdout.isTTY,
    base,
  };
  switch (command.kind) {
    case 'help':
      output.write(`${USAGE}\n`);
      return 0;
    case 'examples':
      await examplesCommand(resolve(base, command.out), command.json, output);
      return 0;
    case 'train':
      await trainCommand({ ...command.options, out: resolve(base, command.options.out) }, output);
      return 0;
  }
}

process.exitCode = await main(process.argv.slice(2));
