// The demo CLI: `pnpm demo --help`.
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
  const output: Output = { write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY };
  switch (command.kind) {
    case 'help':
      output.write(`${USAGE}\n`);
      return 0;
    case 'examples':
      await examplesCommand(command.out, command.json, output);
      return 0;
    case 'train':
      await trainCommand(command.options, output);
      return 0;
  }
}

process.exitCode = await main(process.argv.slice(2));
