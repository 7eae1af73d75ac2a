import { describe, expect, it } from 'vitest';
import { LIMITS, parseCommand, UsageError, type TrainCommand } from '../src/cli/args.js';
import { eagerValuesPerStep, gridAcross } from '../src/cli/limits.js';
import { median } from '../src/core/median.js';
import { liveProgress, percent, plainProgress } from '../src/cli/progress.js';

const NOTEBOOK: TrainCommand = {
  steps: 100,
  seed: 1337,
  samples: 100,
  noise: 0.1,
  dataset: 'moons',
  hidden: [16, 16],
  engine: 'compiled',
  out: 'out',
  json: false,
  verbose: false,
};

function train(argv: string[]): TrainCommand {
  const command = parseCommand(argv);
  if (command.kind !== 'train') throw new Error(`expected a training command, got ${command.kind}`);
  return command.options;
}

describe('parseCommand', () => {
  it("defaults to the notebook's run", () => {
    expect(parseCommand([])).toEqual({ kind: 'train', options: NOTEBOOK });
  });

  it('reads every flag', () => {
    const argv = [
      '--steps=7',
      '--seed',
      '0',
      '--samples',
      '50',
      '--noise',
      '0',
      '--dataset',
      'spiral',
      '--hidden',
      '8, 4,2',
      '--engine',
      'eager',
    ];

    const options = train([...argv, '--out', 'x', '--json', '--verbose']);

    expect(options).toEqual({
      steps: 7,
      seed: 0,
      samples: 50,
      noise: 0,
      dataset: 'spiral',
      hidden: [8, 4, 2],
      engine: 'eager',
      out: 'x',
      json: true,
      verbose: true,
    });
  });

  it('recognises help and the examples subcommand', () => {
    expect(parseCommand(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommand(['examples', '--json'])).toEqual({
      kind: 'examples',
      out: 'out',
      json: true,
      verbose: false,
    });
  });

  // Every numeric flag: both ends accepted, one past each end refused, and every spelling that
  // Number() would take but that is not plain decimal refused, each with the range in the message.
  const whole = (['steps', 'seed', 'samples'] as const).map((flag) => {
    const [min, max] = LIMITS[flag];
    const message = (got: string) =>
      `--${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(got)}`;
    return { flag, min, max, message, below: String(min - 1), above: String(max + 1) };
  });
  const decimal = (['noise'] as const).map((flag) => {
    const [min, max] = LIMITS[flag];
    const message = (got: string) =>
      `--${flag} must be a decimal number from ${min} to ${max}, got ${JSON.stringify(got)}`;
    return { flag, min, max, message, below: '-0.001', above: '1.001' };
  });

  describe.each([...whole, ...decimal])('--$flag', ({ flag, min, max, message, below, above }) => {
    it(`accepts ${min} and ${max}`, () => {
      expect(train([`--${flag}`, String(min)])[flag]).toBe(min);
      expect(train([`--${flag}`, String(max)])[flag]).toBe(max);
    });

    const refused = [
      below,
      above,
      '0x10',
      '0b1',
      '0o7',
      '1_0',
      ' 5',
      '5 ',
      '+1',
      'Infinity',
      'NaN',
      '',
      'ten',
      '1e400',
    ];
    it.each(refused)('refuses %j, naming the range', (text) => {
      expect(() => train([`--${flag}=${text}`])).toThrow(new UsageError(message(text)));
    });
  });

  it('reads decimal spellings of --noise: fractions and exponents', () => {
    expect([
      train(['--noise', '.5']).noise,
      train(['--noise', '2.5e-1']).noise,
      train(['--noise', '1E-3']).noise,
    ]).toEqual([0.5, 0.25, 0.001]);
  });

  it('refuses an exponent or a fraction where a whole number is needed', () => {
    expect(() => train(['--samples', '1e3'])).toThrow(
      new UsageError('--samples must be a whole number from 2 to 100000, got "1e3"'),
    );
    expect(() => train(['--steps', '1.5'])).toThrow(
      new UsageError('--steps must be a whole number from 1 to 100000, got "1.5"'),
    );
  });

  it('accepts 1 to 4 hidden layers of 1 to 256 neurons, spaces allowed around the commas', () => {
    expect(train(['--hidden', '1']).hidden).toEqual([1]);
    expect(train(['--hidden', '256,256']).hidden).toEqual([256, 256]);
    expect(train(['--hidden', ' 8 ,1,2,256']).hidden).toEqual([8, 1, 2, 256]);
  });

  it.each(['', '0', '257', '16,,16', '16,', '0x10', '1e2', '-4', '4.5', '1,2,3,4,5'])(
    'refuses --hidden %j, naming the bounds',
    (text) => {
      const message = `--hidden must be 1 to 4 comma-separated layer sizes, each a whole number from 1 to 256, such as 16,16; got ${JSON.stringify(text)}`;

      expect(() => train([`--hidden=${text}`])).toThrow(new UsageError(message));
    },
  );

  it.each([
    [['--dataset', 'iris'], '--dataset must be one of moons, circles, spiral, got "iris"'],
    [['--engine', 'gpu'], '--engine must be one of eager, compiled, got "gpu"'],
    [['--out', ''], '--out must not be empty'],
    [['--bogus'], 'unknown flag --bogus (--help lists them)'],
    [['--json=yes'], '--json takes no value, got "yes"'],
    [['train'], 'unknown command "train" (the only one is "examples")'],
    [['examples', 'extra'], 'unexpected argument "extra"'],
    [['examples', '--steps', '5'], '--steps does not apply to examples'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(new UsageError(message));
  });
});

describe("the CLI's own messages for flags parseArgs would refuse", () => {
  it.each([
    [['--step', '5'], 'unknown flag --step (did you mean --steps?)'],
    [['--hiden', '8'], 'unknown flag --hiden (did you mean --hidden?)'],
    [['--Seed', '1'], 'unknown flag --Seed (did you mean --seed?)'],
    [['--verb'], 'unknown flag --verb (did you mean --verbose?)'],
    [['-help'], 'unknown flag -help (did you mean --help?)'],
    [['-x'], 'unknown flag -x (--help lists them)'],
    [['--s', '3'], 'unknown flag --s (--help lists them)'],
    [['examples', '--jsn'], 'unknown flag --jsn (did you mean --json?)'],
    [['--steps', '--json'], '--steps needs a value, got the flag --json'],
    [['--seed', '-h'], '--seed needs a value, got the flag -h'],
    [['--out', '--json=1'], '--out needs a value, got the flag --json'],
    [['--json', '--steps'], '--steps needs a value'],
    [
      ['--out', '-x'],
      '--out needs a value, got "-x", which looks like a flag; for a value that starts with a dash, write --out=-x',
    ],
    [['--verbose=no'], '--verbose takes no value, got "no"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(new UsageError(message));
  });

  it('still reads a value that starts with a dash written with =, and a negative number for its range', () => {
    expect(train(['--out=-x']).out).toBe('-x');
    expect(() => train(['--steps', '-5'])).toThrow(
      new UsageError('--steps must be a whole number from 1 to 100000, got "-5"'),
    );
  });
});

describe('the eager memory check', () => {
  const GB = 2 ** 30;

  it('counts the Values of one eager step: two per weight and one per neuron and five per sample, two per parameter', () => {
    // 2-16-16-1: 2*16 + 16*16 + 16 = 304 weights, 33 neurons.
    expect(eagerValuesPerStep(100, [16, 16])).toBe(100 * (2 * 304 + 33 + 5) + 2 * (304 + 33));
  });

  it('refuses an eager run that cannot fit in the heap, with the estimate and the way out', () => {
    const argv = ['--engine', 'eager', '--samples', '100000'];

    expect(() => parseCommand(argv, 4 * GB)).toThrow(
      new UsageError(
        '--engine eager would build about 65 million Values (9.0 GB) per step for 100000 samples through MLP 2-16-16-1, ' +
          "more than this process's heap allows (2.4 of its 4.0 GB); use --engine compiled, or fewer --samples or smaller --hidden",
      ),
    );
  });

  it('lets the same run through compiled, and a smaller eager one', () => {
    expect(train(['--samples', '100000']).samples).toBe(100000);
    expect(parseCommand(['--engine', 'eager', '--samples', '10000'], 4 * GB).kind).toBe('train');
  });
});

describe('gridAcross', () => {
  it("draws the notebook's model at full resolution and large models on coarser grids, never under 64 cells", () => {
    expect([
      gridAcross([16, 16]),
      gridAcross([64, 64]),
      gridAcross([128, 128]),
      gridAcross([256, 256]),
    ]).toEqual([320, 176, 89, 64]);
  });
});

describe('progress', () => {
  it('writes `step K loss L accuracy A%` with the loss in full precision', () => {
    const lines: string[] = [];

    plainProgress((t) => lines.push(t)).step({
      step: 1,
      loss: 1.7235905336972022,
      accuracy: 0.81,
      learningRate: 0.991,
    });

    expect(lines).toEqual(['step 1 loss 1.7235905336972022 accuracy 81%\n']);
  });

  it('ends the live line when the run stops before its summary, so that an error starts a line', () => {
    let text = '';
    const write = (t: string) => (text += t);
    const live = liveProgress(write, 10);
    live.stop();
    const beforeAnyStep = text;

    live.step({ step: 0, loss: 0.5, accuracy: 0.5, learningRate: 1 });
    live.stop();
    live.stop();

    expect(beforeAnyStep).toBe('');
    expect(text.endsWith('accuracy 50%\x1b[K\n')).toBe(true);
    expect(text.match(/\n/g)).toHaveLength(1);
  });

  it('prints shares as whole percentages where the product in binary is not', () => {
    expect([percent(0.81), percent(0.5), percent(0.07)]).toEqual([81, 50, 7]);
  });
});

describe('median', () => {
  it('takes the middle value, the mean of the middle two, or 0 for none', () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([])]).toEqual([2, 2.5, 0]);
  });
});
