import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSvg, pngSize } from './svg.js';

const demo = fileURLToPath(new URL('..', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `pnpm demo` does, with stdout a pipe (not a terminal) and `cwd` as the caller's folder. */
function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, '--conditions=@mg/source', 'src/cli/main.ts', ...args], {
      cwd: demo,
      env: { ...process.env, INIT_CWD: cwd },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const scratch = () => mkdtempSync(join(tmpdir(), 'mg-demo-'));

describe('demo CLI', () => {
  it("prints the notebook's trajectory one plain line per step and writes valid pictures", async () => {
    const cwd = scratch();

    const run = await cli([], cwd);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const steps = [...run.stdout.matchAll(/^step (\d+) loss (\S+) accuracy (\S+)%$/gm)].map((m) => ({
      step: Number(m[1]),
      loss: Number(m[2]),
      accuracy: Number(m[3]),
    }));
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    const notebook = [
      [0, 0.8958441028683222, 50],
      [1, 1.7235905336972022, 81],
      [40, 0.06016009895234464, 100],
      [99, 0.010978370135492717, 100],
    ] as const;
    for (const [step, loss, accuracy] of notebook) {
      expect(Math.abs(steps[step]!.loss - loss) / loss).toBeLessThan(1e-12);
      expect(steps[step]!.accuracy).toBe(accuracy);
    }
    expect(steps.findIndex((s) => s.accuracy === 100)).toBe(40);

    for (const name of ['decision-boundary', 'training-curves', 'neuron-graph']) {
      expect(run.stdout).toContain(`out/${name}.svg`);
      expect(parseSvg(readFileSync(join(cwd, 'out', `${name}.svg`), 'utf8')).width).toBeGreaterThan(100);
      const png = pngSize(readFileSync(join(cwd, 'out', `${name}.png`)));
      expect(png.width).toBeGreaterThanOrEqual(640);
      expect(png.height).toBeGreaterThanOrEqual(200);
    }
    expect(readFileSync(join(cwd, 'out', 'neuron-graph.dot'), 'utf8')).toMatch(/^digraph \{/);
    expect(readFileSync(join(cwd, 'out', 'decision-boundary.svg'), 'utf8').match(/<circle /g)).toHaveLength(100);
  });

  it('prints one JSON object per step and a summary with timing when --json', async () => {
    const cwd = scratch();

    const run = await cli(['--json', '--steps', '3', '--dataset', 'circles', '--hidden', '8', '--engine', 'eager', '--out', 'pics'], cwd);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((l) => Object.keys(l))).toEqual([
      ['step', 'loss', 'accuracy'],
      ['step', 'loss', 'accuracy'],
      ['step', 'loss', 'accuracy'],
    ]);
    const summary = lines[3]!;
    expect(summary).toMatchObject({ done: true, steps: 3, engine: 'eager', loss: lines[2]!.loss });
    expect(summary.ms_per_step).toBeGreaterThan(0);
    expect(summary.total_ms).toBeGreaterThanOrEqual(summary.ms_per_step as number);
    expect(existsSync(join(cwd, 'pics', 'decision-boundary.png'))).toBe(true);
  });

  it('runs the lecture examples, printing their gradients and writing their graphs', async () => {
    const cwd = scratch();

    const run = await cli(['examples', '--out', 'ex'], cwd);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}x1 +data +2\.0000 +grad +-1\.5000$/m);
    expect(run.stdout).toMatch(/^ {2}b +data +2\.0000 +grad +645\.5773$/m);
    for (const name of ['tanh-xy', 'neuron', 'expression', 'readme']) {
      expect(parseSvg(readFileSync(join(cwd, 'ex', 'examples', `${name}.svg`), 'utf8')).width).toBeGreaterThan(0);
      expect(readFileSync(join(cwd, 'ex', 'examples', `${name}.dot`), 'utf8')).toMatch(/^digraph/);
    }
  });

  it('prints the usage and exits 0 for --help', async () => {
    const run = await cli(['--help'], scratch());

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: pnpm demo/);
  });

  it('exits 2 with a message and the usage for each bad command line', async () => {
    const cases: [string[], RegExp][] = [
      [['--bogus'], /Unknown option '--bogus'/],
      [['--steps', 'ten'], /--steps must be an integer .* got "ten"/],
      [['--steps', '0'], /--steps must be an integer from 1/],
      [['--seed', '-1'], /--seed/],
      [['--noise', 'loud'], /--noise must be a number >= 0, got "loud"/],
      [['--dataset', 'iris'], /--dataset must be one of moons, circles, spiral, got "iris"/],
      [['--hidden', '16,,16'], /--hidden .* got "16,,16"/],
      [['--engine', 'gpu'], /--engine must be one of eager, compiled, got "gpu"/],
      [['train'], /unknown command "train"/],
      [['examples', '--steps', '5'], /--steps does not apply to examples/],
    ];

    const runs = await Promise.all(cases.map(([args]) => cli(args, scratch())));

    runs.forEach((run, i) => {
      const [args, message] = cases[i]!;
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr).toContain('Usage: pnpm demo');
      expect(run.stdout).toBe('');
    });
  });
});
