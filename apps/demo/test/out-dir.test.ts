import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareOut, writeAll } from '../src/cli/out-dir.js';
import { plant, scratch, snapshot } from './cli-harness.js';

const NAMES = ['a.svg', 'b.png', 'sub/c.dot'];

function counter() {
  const calls = { held: 0, released: 0 };
  const holdSignals = () => {
    calls.held++;
    return () => {
      calls.released++;
    };
  };
  return { calls, holdSignals };
}

describe('writeAll', () => {
  it("replaces the run's own files, leaves the others, and holds signals only while it writes", async () => {
    const dir = join(scratch(), 'out');
    plant(dir, { 'a.svg': 'old', 'mine.txt': 'mine' });
    const { calls, holdSignals } = counter();

    const paths = await writeAll(prepareOut(dir, NAMES, 'out'), holdSignals, [
      () => [{ name: 'a.svg', content: 'new a' }],
      () =>
        Promise.resolve([
          { name: 'b.png', content: Uint8Array.from([1, 2]) },
          { name: 'sub/c.dot', content: 'c' },
        ]),
    ]);

    expect(paths).toEqual(NAMES.map((name) => join(dir, name)));
    expect(readdirSync(dir).sort()).toEqual(['a.svg', 'b.png', 'mine.txt', 'sub']);
    expect([readFileSync(join(dir, 'a.svg'), 'utf8'), readFileSync(join(dir, 'mine.txt'), 'utf8')]).toEqual([
      'new a',
      'mine',
    ]);
    expect(calls).toEqual({ held: 1, released: 1 });
  });

  it('writes nothing when making a file fails, and removes the folder it created', async () => {
    const cwd = scratch();
    const { calls, holdSignals } = counter();

    const writing = writeAll(prepareOut(join(cwd, 'out'), NAMES, 'out'), holdSignals, [
      () => [{ name: 'a.svg', content: 'new a' }],
      () => Promise.reject(new Error('drawing failed')),
    ]);

    await expect(writing).rejects.toThrow('drawing failed');
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(calls).toEqual({ held: 0, released: 0 });
  });

  it('puts back nothing when staging fails part way, and leaves no staging folder', async () => {
    const dir = join(scratch(), 'out');
    plant(dir, { 'a.svg': 'old', 'b.png': 'old' });
    const before = snapshot(dir);
    const { calls, holdSignals } = counter();

    const writing = writeAll(prepareOut(dir, NAMES, 'out'), holdSignals, [
      () => [
        { name: 'a.svg', content: 'new a' },
        { name: 'b.png', content: 'new b' },
        { name: 'undeclared.txt', content: '?' },
      ],
    ]);

    await expect(writing).rejects.toThrow(
      'Staging.write: "undeclared.txt" is not one of the files this run declared',
    );
    expect(snapshot(dir)).toEqual(before);
    expect(calls).toEqual({ held: 1, released: 1 });
  });
});

describe('prepareOut', () => {
  it('creates nothing when it only checks', () => {
    const cwd = scratch();

    prepareOut(join(cwd, 'a', 'b'), NAMES, 'a/b');

    expect(readdirSync(cwd)).toEqual([]);
  });
});
