import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromOnnx } from '@mg/onnx';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../src/core/datasets.js';
import { Training } from '../src/core/train.js';
import { cli, scratch, snapshot } from './cli-harness.js';

describe('pnpm demo --onnx FILE', () => {
  it('writes the trained model, every weight exact, and lists the file with the pictures', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'model.onnx'), 'an older model');

    const run = await cli(['--steps', '7', '--hidden', '4,3', '--onnx', 'model.onnx'], cwd);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}model\.onnx$/m);
    const training = new Training(makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 }), {
      seed: 1337,
      hidden: [4, 3],
      steps: 7,
      engine: 'compiled',
    });
    for (let k = 0; k < 7; k++) training.step();
    const model = fromOnnx(readFileSync(join(cwd, 'model.onnx')));
    expect(String(model)).toBe(String(training.model));
    expect(model.parameters().map((p) => p.data)).toEqual(training.model.parameters().map((p) => p.data));
  });

  it('takes a file in the --out folder that the run creates', async () => {
    const cwd = scratch();

    const run = await cli(['--steps', '1', '--out', 'new', '--onnx', 'new/model.onnx'], cwd);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}new\/model\.onnx$/m);
    expect(String(fromOnnx(readFileSync(join(cwd, 'new', 'model.onnx'))))).toMatch(/^MLP/);
  });

  it.each([
    [
      ['--steps', '3', '--out', 'pics', '--onnx', 'pics'],
      'demo: --onnx "pics" must be a file, but --out "pics" puts a folder there',
    ],
    [
      ['--steps', '3', '--out', 'folder', '--onnx', 'folder'],
      'demo: --onnx "folder" must be a file, but --out "folder" puts a folder there',
    ],
    [
      ['--steps', '3', '--out', 'pics/run', '--onnx', 'pics'],
      'demo: --onnx "pics" must be a file, but --out "pics/run" puts a folder there',
    ],
    [
      ['--steps', '3', '--out', 'folder', '--onnx', 'folder/neuron-graph.png'],
      'demo: --onnx "folder/neuron-graph.png" is one of the files --out "folder" writes; give the model another name',
    ],
    [
      ['--steps', '3', '--out', 'pics', '--onnx', 'pics/training-curves.svg'],
      'demo: --onnx "pics/training-curves.svg" is one of the files --out "pics" writes; give the model another name',
    ],
    [
      ['--steps', '3', '--onnx', 'missing/model.onnx'],
      'demo: --onnx "missing/model.onnx" is in "missing", which is not a folder',
    ],
    [['--steps', '3', '--onnx', 'folder'], 'demo: --onnx "folder" is a folder, not a file'],
    [['--steps', '3', '--onnx', ''], 'demo: --onnx must not be empty'],
    [['examples', '--onnx', 'model.onnx'], 'demo: --onnx does not apply to examples'],
  ])('refuses %j before training, and writes nothing', async (args, message) => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'folder'));
    const before = snapshot(cwd);

    const run = await cli(args, cwd);

    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(run.stdout).toBe('');
    expect(snapshot(cwd)).toEqual(before);
  });
});
