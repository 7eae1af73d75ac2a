import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from '../src/cli/args.js';
import { median, percent, plainProgress } from '../src/cli/progress.js';

describe('parseCommand', () => {
  it("defaults to the notebook's run", () => {
    expect(parseCommand([])).toEqual({
      kind: 'train',
      options: { steps: 100, seed: 1337, samples: 100, noise: 0.1, dataset: 'moons', hidden: [16, 16], engine: 'compiled', out: 'out', json: false },
    });
  });

  it('reads every flag', () => {
    const command = parseCommand(['--steps=7', '--seed', '0', '--samples', '50', '--noise', '0', '--dataset', 'spiral', '--hidden', '8, 4,2', '--engine', 'eager', '--out', 'x', '--json']);

    expect(command).toEqual({
      kind: 'train',
      options: { steps: 7, seed: 0, samples: 50, noise: 0, dataset: 'spiral', hidden: [8, 4, 2], engine: 'eager', out: 'x', json: true },
    });
  });

  it('recognises help and the examples subcommand', () => {
    expect(parseCommand(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommand(['examples', '--json'])).toEqual({ kind: 'examples', out: 'out', json: true });
  });

  it('throws UsageError quoting the bad value', () => {
    expect(() => parseCommand(['--samples', '1.5'])).toThrow(UsageError);
    expect(() => parseCommand(['--samples', '1.5'])).toThrow('--samples must be an integer from 2 to 100000, got "1.5"');
    expect(() => parseCommand(['--seed', '4294967296'])).toThrow(/--seed .* got "4294967296"/);
    expect(() => parseCommand(['--hidden', ''])).toThrow(/--hidden/);
    expect(() => parseCommand(['--out', ''])).toThrow(/--out must not be empty/);
    expect(() => parseCommand(['--json=yes'])).toThrow(UsageError);
  });
});

describe('progress', () => {
  it('writes `step K loss L accuracy A%` with the loss in full precision', () => {
    const lines: string[] = [];

    plainProgress((t) => lines.push(t)).step({ step: 1, loss: 1.7235905336972022, accuracy: 0.81, learningRate: 0.991 }, 1);

    expect(lines).toEqual(['step 1 loss 1.7235905336972022 accuracy 81%\n']);
  });

  it('prints shares as percentages without float noise, and takes medians', () => {
    expect(0.07 * 100).not.toBe(7);
    expect([percent(0.81), percent(0.5), percent(0.07)]).toEqual([81, 50, 7]);
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([])]).toEqual([2, 2.5, 0]);
  });
});
