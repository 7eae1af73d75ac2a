import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { toSvg } from '@mg/viz';
import { cli, plant, scratch, snapshot } from './cli-harness.js';

// The graph drawing fails the way a broken install would: after two pictures are already staged.
vi.mock('@mg/viz', async (original) => ({ ...(await original<typeof import('@mg/viz')>()), toSvg: vi.fn() }));
const failing = vi.mocked(toSvg);
failing.mockRejectedValue(new Error('toSvg: could not load @viz-js/viz\n(the wasm file is missing)'));

describe('an unexpected error', () => {
  it('is one line naming it, exit 1, and leaves the old pictures', async () => {
    const cwd = scratch();
    plant(cwd, { 'out/decision-boundary.svg': 'previous', 'out/neuron-graph.svg': 'previous' });
    const before = snapshot(cwd);

    const run = await cli(['--steps', '1'], cwd);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'demo: Error: toSvg: could not load @viz-js/viz (the wasm file is missing) (--verbose shows where)\n',
    );
    expect(snapshot(cwd)).toEqual(before);
  });

  it('starts on a line of its own after the live progress line of a terminal', async () => {
    let transcript = '';

    const run = await cli(['--steps', '2'], scratch(), {
      write: (text) => (transcript += text),
      error: (text) => (transcript += text),
      isTTY: true,
    });

    expect(run.code).toBe(1);
    expect(transcript).toContain('%\x1b[K\ndemo: Error: toSvg: could not load');
    expect(transcript).not.toContain('\x1b[Kdemo:');
  });

  it('leaves no folder behind when --out did not exist', async () => {
    const cwd = scratch();

    const run = await cli(['--steps', '1', '--out', 'new/pics'], cwd);

    expect(run.code).toBe(1);
    expect(existsSync(join(cwd, 'new'))).toBe(false);
  });

  it('comes with its stack under --verbose', async () => {
    const run = await cli(['examples', '--verbose'], scratch());

    const [first, ...stack] = run.stderr.trimEnd().split('\n');
    expect(run.code).toBe(1);
    expect(first).toBe('demo: Error: toSvg: could not load @viz-js/viz (the wasm file is missing)');
    expect(stack.slice(0, 2)).toEqual([
      'Error: toSvg: could not load @viz-js/viz',
      '(the wasm file is missing)',
    ]);
    expect(stack[2]).toMatch(/^ {4}at /);
  });
});
