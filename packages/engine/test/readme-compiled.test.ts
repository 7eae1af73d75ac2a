import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as engine from '../src/index.js';

// The README's compiled-mode example, run as a reader would paste it, against the output the
// README says it prints.
describe('README: compiled mode', () => {
  it('prints what the README shows', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Compiled mode'));
    const [, code, printed] = /```ts\n([\s\S]*?)```\s*prints\s*```\n([\s\S]*?)```/.exec(section)!;
    const js = ts.transpileModule(code!.replace(/^import .*$/m, ''), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    const lines: string[] = [];

    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the README's code is the test
    const run = new Function('Value', 'compile', 'console', js) as (...args: unknown[]) => void;
    run(engine.Value, engine.compile, { log: (...xs: unknown[]) => lines.push(xs.join(' ')) });

    expect(lines.join('\n')).toBe(printed!.trimEnd());
  });
});
