import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TRAIN_FILES } from '../src/cli/train-command.js';
import { cli, plant, scratch, snapshot } from './cli-harness.js';

// The system refuses one rename, as a sticky folder (/tmp) does for a file another user owns:
// the commit must then leave every file as it was.
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return { ...real, renameSync: vi.fn(real.renameSync) };
});
const rename = vi.mocked(fs.renameSync);
const realRename = (await vi.importActual<typeof import('node:fs')>('node:fs')).renameSync;

/** Makes every rename that `refused` picks fail with EPERM. */
function refuseRenames(refused: (from: string, to: string) => boolean): void {
  rename.mockImplementation((from, to) => {
    if (refused(String(from), String(to))) {
      throw Object.assign(new Error(`EPERM: operation not permitted, rename '${String(from)}'`), {
        code: 'EPERM',
      });
    }
    realRename(from, to);
  });
}

afterEach(() => {
  rename.mockImplementation(realRename);
});

const PREVIOUS: Record<string, string> = {
  ...Object.fromEntries(TRAIN_FILES.map((name) => [`out/${name}`, `previous ${name}`])),
  'out/notes.txt': 'mine',
};

describe('putting the files in place, all or none', () => {
  it('leaves every old picture when the last one cannot be moved (a sticky folder)', async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);
    const before = snapshot(cwd);
    const locked = join(cwd, 'out', 'neuron-graph.png');
    refuseRenames((from, to) => from === locked || to === locked);

    const run = await cli(['--steps', '1'], cwd);

    expect(run.stderr).toBe(
      'demo: could not replace "neuron-graph.png" in --out "out" (operation not permitted: EPERM); nothing was changed\n',
    );
    expect(run.code).toBe(1);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('moves the old pictures back when a new one cannot be moved in', async () => {
    const cwd = scratch();
    plant(cwd, PREVIOUS);
    const before = snapshot(cwd);
    const target = join(cwd, 'out', 'training-curves.png');
    refuseRenames((from, to) => to === target && from.includes('.demo-partial-'));

    const run = await cli(['--steps', '1'], cwd);

    expect(run.stderr).toBe(
      'demo: could not write "training-curves.png" in --out "out" (operation not permitted: EPERM); nothing was changed\n',
    );
    expect(run.code).toBe(1);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('leaves the pictures too when the --onnx file cannot be replaced', async () => {
    const cwd = scratch();
    plant(cwd, { ...PREVIOUS, 'model.onnx': 'an older model' });
    const before = snapshot(cwd);
    const model = join(cwd, 'model.onnx');
    refuseRenames((from, to) => from === model || to === model);

    const run = await cli(['--steps', '1', '--onnx', 'model.onnx'], cwd);

    expect(run.stderr).toBe(
      'demo: could not replace --onnx file "model.onnx" (operation not permitted: EPERM); nothing was changed\n',
    );
    expect(run.code).toBe(1);
    expect(snapshot(cwd)).toEqual(before);
  });
});
