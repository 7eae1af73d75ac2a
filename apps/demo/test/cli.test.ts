import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../src/cli/args.js';
import { TRAIN_FILES } from '../src/cli/train-command.js';
import { DEMO_NODE_FLAGS, cli, plant, scratch, snapshot, spawnCli } from './cli-harness.js';
import { parseSvg, pngSize } from './svg.js';

/** What a previous run left in out/: every file a run writes, and one of the user's. */
const PREVIOUS: Record<string, string> = {
  ...Object.fromEntries(TRAIN_FILES.map((name) => [`out/${name}`, `previous ${name}`])),
  'out/notes.txt': 'mine',
};

function steps(stdout: string): { step: number; loss: number; accuracy: number }[] {
  return [...stdout.matchAll(/^step (\d+) loss (\S+) accuracy (\S+)%$/gm)].map((m) => ({
    step: Number(m[1]),
    loss: Number(m[2]),
    accuracy: Number(m[3]),
  }));
}

describe('pnpm demo', () => {
  it("prints the notebook's trajectory one plain line per step and writes valid pictures", async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);

    const run = await spawnCli([], cwd);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = steps(run.stdout);
    expect(rows.map((s) => s.step)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    // micrograd's demo.ipynb, before each update.
    const notebook = [
      [0, 0.8958441028683222, 50],
      [1, 1.7235905336972022, 81],
      [40, 0.06016009895234464, 100],
      [99, 0.010978370135492717, 100],
    ] as const;
    for (const [step, loss, accuracy] of notebook) {
      expect(Math.abs(rows[step]!.loss - loss) / loss).toBeLessThan(1e-12);
      expect(rows[step]!.accuracy).toBe(accuracy);
    }
    expect(rows.findIndex((s) => s.accuracy === 100)).toBe(40);
    for (const name of ['decision-boundary', 'training-curves', 'neuron-graph']) {
      expect(run.stdout).toContain(`out/${name}.svg`);
      expect(parseSvg(readFileSync(join(cwd, 'out', `${name}.svg`), 'utf8')).width).toBeGreaterThan(100);
      const png = pngSize(readFileSync(join(cwd, 'out', `${name}.png`)));
      expect(png.width).toBeGreaterThanOrEqual(640);
      expect(png.height).toBeGreaterThanOrEqual(200);
    }
    expect(readFileSync(join(cwd, 'out', 'neuron-graph.dot'), 'utf8')).toMatch(/^digraph \{/);
    expect(readFileSync(join(cwd, 'out', 'decision-boundary.svg'), 'utf8').match(/<circle /g)).toHaveLength(
      100,
    );
    // The run replaced its own files, left the user's, and no staging folder.
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual([...TRAIN_FILES, 'notes.txt'].sort());
    expect(readFileSync(join(cwd, 'out', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('leaves out/ holding one run or the other when Ctrl-C comes while it writes the pictures', async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);
    const before = snapshot(cwd);

    const run = await spawnCli(['--json', '--steps', '20'], cwd, (stdout, child) => {
      if (stdout.includes('"step":19')) child.kill('SIGINT');
    });

    const files = readdirSync(join(cwd, 'out')).sort();
    expect(files).toEqual([...TRAIN_FILES, 'notes.txt'].sort());
    const previous = TRAIN_FILES.filter(
      (name) => readFileSync(join(cwd, 'out', name), 'utf8') === `previous ${name}`,
    );
    if (run.signal === 'SIGINT') {
      // The signal came while the pictures were drawn: nothing was written.
      expect(snapshot(cwd)).toEqual(before);
    } else {
      // It came while they were put in place, which it waited for: all of them are new.
      expect(run.code).toBe(0);
      expect(previous).toEqual([]);
    }
  });
});

describe("the launcher's code cache", () => {
  const bundle = fileURLToPath(new URL('../node_modules/.cache/mg-demo/cli.cjs', import.meta.url));

  /** The training runs' caches of the bundle as built now: `flags` says which, those made under node flags or not. */
  const trainCaches = (flags: boolean): string[] => {
    const { size, mtimeMs } = statSync(bundle);
    const name = new RegExp(
      `^cli\\.cjs\\.${size}-${Math.round(mtimeMs)}\\.train${flags ? '\\.[0-9a-f]{8}' : ''}\\.cache$`,
    );
    return readdirSync(dirname(bundle))
      .filter((file) => name.test(file))
      .map((file) => join(dirname(bundle), file));
  };

  it('is written by a training run, replaced when V8 refuses it, and read, the output unchanged', async () => {
    const first = await spawnCli(['--steps', '3'], scratch());
    expect(first.code).toBe(0);
    // pnpm demo's node flags name a cache of their own.
    expect(DEMO_NODE_FLAGS).toEqual([
      '--max-semi-space-size=1',
      '--concurrent-sparkplug',
      '--v8-pool-size=0',
    ]);
    const [cache, ...others] = trainCaches(true);
    expect(others).toEqual([]);
    expect(statSync(cache!).size).toBeGreaterThan(100_000);
    writeFileSync(cache!, 'not a code cache');

    const refused = await spawnCli(['--steps', '3'], scratch());
    // Made anew from this run's code.
    expect(statSync(cache!).size).toBeGreaterThan(100_000);
    const read = await spawnCli(['--steps', '3'], scratch());

    for (const run of [refused, read]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(steps(run.stdout)).toEqual(steps(first.stdout));
    }
    expect(steps(first.stdout)).toHaveLength(3);
  });

  it("keeps one per set of node flags: a plain node run writes its own and leaves pnpm demo's", async () => {
    expect((await spawnCli(['--steps', '3'], scratch())).code).toBe(0);
    const [flagged] = trainCaches(true);
    const before = statSync(flagged!).mtimeMs;
    for (const cache of trainCaches(false)) rmSync(cache);

    const plain = await spawnCli(['--steps', '3'], scratch(), undefined, []);
    expect(plain.code).toBe(0);
    expect(trainCaches(false)).toHaveLength(1);
    expect(trainCaches(true)).toEqual([flagged]);
    expect(statSync(flagged!).mtimeMs).toBe(before);
  });

  it('runs under the same node flags from the root as from the app', () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      scripts: { demo: string };
    };
    expect(root.scripts.demo).toBe(`node ${DEMO_NODE_FLAGS.join(' ')} apps/demo/bin/demo.mjs`);
  });
});

describe('a reader that goes away (`pnpm demo | head`)', () => {
  it('ends the run quietly with exit 141, out/ holding one run or the other', async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);
    const before = snapshot(cwd);

    // Far more output than a pipe holds: the writes after the reader closes fail with EPIPE.
    const run = await spawnCli(['--json', '--steps', '3000', '--hidden', '4'], cwd, (_, child) => {
      child.stdout?.destroy();
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(141);
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual([...TRAIN_FILES, 'notes.txt'].sort());
    const previous = TRAIN_FILES.filter(
      (name) => readFileSync(join(cwd, 'out', name), 'utf8') === `previous ${name}`,
    );
    if (previous.length > 0) expect(snapshot(cwd)).toEqual(before);
  });

  it('stops training at the first flush after the reader leaves and writes nothing', async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);
    const before = snapshot(cwd);
    let printed = '';

    // Step lines are written a frame's worth at a time: the reader leaves after the first.
    const run = await cli(['--steps', '3000', '--hidden', '4'], cwd, {
      write: (text) => (printed += text),
      readerGone: () => printed.length > 0,
    });

    expect(run).toEqual({ code: 141, stdout: '', stderr: '' });
    expect(printed).toMatch(/^step 0 loss \S+ accuracy \S+%\n$/);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('stops examples at once and writes nothing', async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);
    const before = snapshot(cwd);
    let printed = '';

    const run = await cli(['examples'], cwd, {
      write: (text) => (printed += text),
      readerGone: () => true,
    });

    expect(run).toEqual({ code: 141, stdout: '', stderr: '' });
    expect(printed).toBe('');
    expect(snapshot(cwd)).toEqual(before);
  });
});

describe('the CLI, in process', () => {
  it('prints one JSON object per step and a summary with timing when --json', async () => {
    const cwd = scratch();

    const run = await cli(
      [
        '--json',
        '--steps',
        '3',
        '--dataset',
        'circles',
        '--hidden',
        '8',
        '--engine',
        'eager',
        '--out',
        'pics',
      ],
      cwd,
    );

    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((l) => Object.keys(l))).toEqual(
      Array.from({ length: 3 }, () => ['step', 'loss', 'accuracy']),
    );
    const summary = lines[3]!;
    expect(summary).toMatchObject({
      done: true,
      steps: 3,
      engine: 'eager',
      loss: lines[2]!.loss,
      artifacts: TRAIN_FILES.map((name) => `pics/${name}`),
    });
    expect(summary.ms_per_step).toBeGreaterThan(0);
    // The total is the sum of the steps' times: at least two of three are the median or more.
    expect(summary.total_ms).toBeGreaterThanOrEqual(2 * (summary.ms_per_step as number));
    expect(readdirSync(join(cwd, 'pics')).sort()).toEqual([...TRAIN_FILES].sort());
  });

  it('runs the lecture examples, printing their gradients and writing their graphs', async () => {
    const cwd = scratch();

    const run = await cli(['examples', '--out', 'ex'], cwd);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}x1 +data +2\.0000 +grad +-1\.5000$/m);
    expect(run.stdout).toMatch(/^ {2}b +data +2\.0000 +grad +645\.5773$/m);
    expect(run.stdout).toContain(
      'wrote ex/examples/neuron.dot, ex/examples/neuron.svg, ex/examples/neuron.png',
    );
    for (const name of ['tanh-xy', 'neuron', 'expression', 'readme']) {
      expect(
        parseSvg(readFileSync(join(cwd, 'ex', 'examples', `${name}.svg`), 'utf8')).width,
      ).toBeGreaterThan(0);
      // A text file, ending in one newline as the SVGs do.
      expect(readFileSync(join(cwd, 'ex', 'examples', `${name}.dot`), 'utf8')).toMatch(
        /^digraph \{\n[^]*\n\}\n$/,
      );
    }
    expect(readdirSync(join(cwd, 'ex'))).toEqual(['examples']);
  });

  it('prints the usage and exits 0 for --help', async () => {
    const run = await cli(['--help'], scratch());

    expect(run).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
  });
});

/** The first hidden neuron's graph as written: its title, and the data of its sum `n`. */
function neuronGraphDot(cwd: string, out = 'out'): { dot: string; title: string; n: number } {
  const dot = readFileSync(join(cwd, out, 'neuron-graph.dot'), 'utf8');
  return {
    dot,
    title: /label="([^"]*)", labelloc=t/.exec(dot)?.[1] ?? '',
    n: Number(/\{ n \| data (\S+) \|/.exec(dot)?.[1]),
  };
}

describe('the neuron graph', () => {
  it('shows a neuron where it is active when the first is dead everywhere (--seed 10), and ends in a newline', async () => {
    const cwd = scratch();

    const run = await cli(['--seed', '10'], cwd);

    expect(run.code).toBe(0);
    const { dot, title, n } = neuronGraphDot(cwd);
    expect(title).toMatch(
      /^hidden neuron 3 at \(-?\d\.\d{4}, -?\d\.\d{4}\), the first of layer 1 active at any point$/,
    );
    expect(n).toBeGreaterThan(0);
    expect(dot).toMatch(/\{ w1 \| data \S+ \| grad (?!0\.0000 )/);
    expect(dot.endsWith('}\n')).toBe(true);
    expect(run.stdout).not.toContain('note:');
  });

  it('says so, in its title and in the output, when no neuron of the first layer is active anywhere', async () => {
    const cwd = scratch();
    // One hidden neuron, dead at every point after the first step.
    const args = ['--hidden', '1', '--seed', '11', '--steps', '1'];

    const text = await cli(args, cwd);
    const json = await cli([...args, '--json', '--out', 'j'], cwd);

    const note =
      'no neuron of the first hidden layer is active at any point (all are dead ReLUs), so neuron-graph shows neuron 1 with every gradient 0';
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`\nnote: ${note}\nwrote:\n`);
    expect(neuronGraphDot(cwd).title).toMatch(
      /^first hidden neuron at \(.*\): no neuron of layer 1 is active at any point, every gradient is 0$/,
    );
    expect(neuronGraphDot(cwd).n).toBeLessThanOrEqual(0);
    const summary = JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '') as { notes: string[] };
    expect(summary.notes).toEqual([note]);
  });
});

describe('a run that diverges', () => {
  // The web page's bound: 15478 at step 3 is over 1000 times step 0's 7.06.
  const args = ['--hidden', '32,32,32', '--steps', '5'];
  const message =
    "demo: diverged at step 3: loss 15500, over 1000 times the first step's 7.06, with --hidden 32,32,32 and --steps 5 " +
    "(learning rate 1 - 0.9*k/5 = 0.46); nothing was written. Try fewer or smaller hidden layers, such as the notebook's --hidden 16,16 (the learning rate is the notebook's schedule, which no flag changes)\n";

  it('stops there, says where and what to change, exits 3 and writes nothing', async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);
    const before = snapshot(cwd);

    const run = await cli([...args, '--onnx', 'out/model.onnx'], cwd);
    const fresh = await cli([...args, '--out', 'new/pics'], cwd);

    expect(run.code).toBe(3);
    expect(run.stderr).toBe(message);
    expect(steps(run.stdout).map((s) => s.step)).toEqual([0, 1, 2, 3]);
    expect(run.stdout).not.toContain('wrote');
    expect(snapshot(cwd)).toEqual(before);
    expect(fresh.code).toBe(3);
    expect(readdirSync(cwd).sort()).toEqual(['out']);
  });

  it('ends the live progress line on a terminal before saying so', async () => {
    let transcript = '';

    const { code } = await cli(args, scratch(), {
      write: (text) => (transcript += text),
      error: (text) => (transcript += text),
      isTTY: true,
    });

    expect(code).toBe(3);
    expect(transcript).toContain(
      '] step 3/4  loss 15478.011717  accuracy 50%\x1b[K\ndemo: diverged at step 3: ',
    );
    expect(transcript.endsWith(message)).toBe(true);
  });
});

/** A usage error: exit 2, the message and the usage on stderr, nothing on stdout, no file touched. */
interface Failure {
  name: string;
  args: string[];
  /** Files to create first (name to text), relative to the working folder. */
  files?: Record<string, string>;
  setup?: (cwd: string) => void;
  /** The first line on stderr, after `demo: `. */
  message: string;
  heapBytes?: number;
}

// Numbers are decimal: `Number('0x10')` would take these, the CLI must not. Each rule ends as
// the message punctuates it.
const hexadecimal: [flag: string, rule: string][] = [
  ['--steps', 'a whole number from 1 to 100000,'],
  ['--seed', 'a whole number from 0 to 4294967295,'],
  ['--samples', 'a whole number from 2 to 100000,'],
  ['--hidden', '1 to 4 comma-separated layer sizes, each a whole number from 1 to 256, such as 16,16;'],
];

const failures: Failure[] = [
  ...[
    ['--steps', '-5', 'a whole number from 1 to 100000'],
    ['--seed', '-1', 'a whole number from 0 to 4294967295'],
    ['--noise', '-0.1', 'a decimal number from 0 to 1'],
  ].map(([flag, value, rule]) => ({
    name: `negative ${flag} ${value}`,
    args: [flag!, value!],
    message: `${flag} must be ${rule}, got "${value}"`,
  })),
  ...['1e100', '1e308'].map((noise) => ({
    name: `noise ${noise}, too large to train`,
    args: ['--noise', noise],
    message: `--noise must be a decimal number from 0 to 1, got "${noise}"`,
  })),
  ...hexadecimal.map(([flag, rule]) => ({
    name: `hexadecimal ${flag}`,
    args: [flag, '0x10'],
    message: `${flag} must be ${rule} got "0x10"`,
  })),
  {
    name: '--out an existing file',
    args: ['--out', 'taken'],
    files: { taken: 'a file' },
    message: '--out "taken" is a file, not a folder',
  },
  {
    name: '--out inside a file',
    args: ['--out', 'taken/pics/deeper'],
    files: { taken: 'a file' },
    message: '--out "taken/pics/deeper" is inside "taken", which is a file, not a folder',
  },
  {
    name: 'a value that starts with a dash, in one line',
    args: ['--out', '-x'],
    message:
      '--out needs a value, got "-x", which looks like a flag; for a value that starts with a dash, write --out=-x',
  },
  {
    name: 'an unknown flag, the closest known one suggested',
    args: ['--step', '5'],
    message: 'unknown flag --step (did you mean --steps?)',
  },
  {
    name: 'a flag missing its value, the next flag named',
    args: ['--steps', '--json'],
    message: '--steps needs a value, got the flag --json',
  },
  {
    name: '--out inside a broken symbolic link',
    args: ['--out', 'dangling/pics'],
    setup: (cwd) => {
      symlinkSync(join(cwd, 'nowhere'), join(cwd, 'dangling'));
    },
    message: '--out "dangling/pics" is inside "dangling", which is a broken symbolic link',
  },
  {
    name: '--out inside a device',
    args: ['--out', '/dev/null/pics'],
    message: '--out "/dev/null/pics" is inside "/dev/null", which is not a folder',
  },
  {
    name: '--out where the system allows no folder',
    args: ['--out', '/proc/nope'],
    message: '--out "/proc/nope" cannot be created (the system does not allow it there: ENOENT)',
  },
  {
    name: '--out holding a folder where a picture goes',
    args: ['--out', 'out'],
    setup: (cwd) => {
      rmSync(join(cwd, 'out', 'neuron-graph.png'));
      mkdirSync(join(cwd, 'out', 'neuron-graph.png'));
    },
    message: '--out "out" holds "neuron-graph.png", which is not a file',
  },
  {
    name: 'examples --out inside a file',
    args: ['examples', '--out', 'taken/ex'],
    files: { taken: 'a file' },
    message: '--out "taken/ex" is inside "taken", which is a file, not a folder',
  },
  {
    name: 'examples --out holding a file where its folder goes',
    args: ['examples'],
    files: { 'out/examples': 'a file' },
    message: '--out "out" holds "examples", which is not a folder',
  },
  {
    name: 'an eager run too large for the heap',
    args: ['--engine', 'eager', '--samples', '5000'],
    heapBytes: 256 * 2 ** 20,
    message:
      '--engine eager would build about 3.2 million Values (0.5 GB) per step for 5000 samples through MLP 2-16-16-1, ' +
      "more than this process's heap allows (0.1 of its 0.3 GB); use --engine compiled, or fewer --samples or smaller --hidden",
  },
];

describe('each failure', () => {
  it.each(failures)(
    '$name: exit 2, one message, files as they were',
    async ({ args, files = {}, setup, message, heapBytes }) => {
      const cwd = scratch();
      plant(cwd, { ...PREVIOUS, ...files });
      setup?.(cwd);
      const before = snapshot(cwd);

      const run = await cli(args, cwd, heapBytes === undefined ? {} : { heapBytes });

      expect(run).toEqual({ code: 2, stdout: '', stderr: `demo: ${message}\n\n${USAGE}\n` });
      expect(snapshot(cwd)).toEqual(before);
    },
  );

  it('takes an --out that is a symbolic link to a folder', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'real'));
    writeFileSync(join(cwd, 'real', 'notes.txt'), 'mine');
    symlinkSync(join(cwd, 'real'), join(cwd, 'link'));

    const run = await cli(['--steps', '1', '--out', 'link'], cwd);

    expect(run.code).toBe(0);
    expect(readdirSync(join(cwd, 'real')).sort()).toEqual([...TRAIN_FILES, 'notes.txt'].sort());
  });
});
