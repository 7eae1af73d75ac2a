import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDocCode } from './run-code.js';

// The @example of every export documented in these files runs, with the package's exports in
// scope as a user's import would bring them, and each `console.log(...); // text` prints the text.

const files = ['value.ts', 'errors.ts', 'gradcheck.ts', 'functional.ts', 'graph.ts'];

function examples(file: string): { name: string; code: string }[] {
  const source = readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');
  return [...source.matchAll(/@example\n \* ```ts\n([^]*?) \* ```\n \*\/\n(?:export )?(?:function|class|const) (\w+)/g)].map((m) => ({
    name: `${file}: ${m[2]!}`,
    code: m[1]!.replace(/^ \* ?/gm, ''),
  }));
}

/** What the example says it prints: the comment after each `console.log(...);`, in order. */
function expected(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]!);
}

describe('TSDoc examples', () => {
  const all = files.flatMap(examples);

  it('are found, one per documented export, each saying what it prints', () => {
    expect(all.map((e) => e.name)).toEqual(
      expect.arrayContaining(['value.ts: Value', 'errors.ts: describe', 'errors.ts: checkOptions', 'functional.ts: valueAndGrad', 'functional.ts: dot']),
    );
    expect(all.filter((e) => expected(e.code).length === 0).map((e) => e.name)).toEqual([]);
  });

  it.each(all.map((e) => [e.name, e] as const))('%s prints what its comments say', async (_name, example) => {
    const lines = await runDocCode(example.code);

    expect(lines).toEqual(expected(example.code));
  });
});
