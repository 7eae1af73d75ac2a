import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as nn from '../src/index.js';

describe('README', () => {
  it('prints what it says the first example prints', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const [, code = '', printed = ''] = /```ts\n([\s\S]*?)```\s*prints\s*```\n([\s\S]*?)```/.exec(readme) ?? [];
    const body = code.replace(/^import .*$/gm, '');
    const lines: string[] = [];
    const console = { log: (...args: unknown[]) => lines.push(args.map(String).join(' ')) };

    // The example is plain JavaScript apart from its import, so it runs as a function body.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const run = new Function('console', ...Object.keys(nn), body) as (...args: unknown[]) => void;
    run(console, ...Object.values(nn));

    expect(body.length).toBeGreaterThan(100);
    expect(lines.join('\n') + '\n').toBe(printed);
  });
});
