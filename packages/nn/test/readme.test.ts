import { readFileSync, readdirSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as engine from '@mg/engine';
import * as nn from '../src/index.js';

const modules: Record<string, Record<string, unknown>> = { '@mg/engine': engine, '@mg/nn': nn };

/** Every ts block of the README, with the output shown after it (`prints` and a plain block), if any. */
function blocks(readme: string): { code: string; printed: string | null }[] {
  const found: { code: string; printed: string | null }[] = [];
  const pattern = /```ts\n([\s\S]*?)```(\s*prints\s*```\n([\s\S]*?)```)?/g;
  for (let m = pattern.exec(readme); m !== null; m = pattern.exec(readme)) found.push({ code: m[1]!, printed: m[3] ?? null });
  return found;
}

/** Runs a block as a function body, its imports bound to the packages' exports, and returns what it logged. */
function run(code: string): string {
  const names: string[] = [];
  const values: unknown[] = [];
  const body = code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, list: string, from: string) => {
    const exports = modules[from];
    if (exports === undefined) throw new Error(`the README imports from ${from}`);
    for (const name of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      if (!(name in exports)) throw new Error(`${from} has no export ${name}`);
      names.push(name);
      values.push(exports[name]);
    }
    return '';
  });
  const lines: string[] = [];
  const console = { log: (...args: unknown[]) => lines.push(format(...args)) };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function('console', ...names, body) as (...args: unknown[]) => void;
  fn(console, ...values);
  return lines.map((l) => `${l}\n`).join('');
}

describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  blocks(readme).forEach(({ code, printed }, i) => {
    it(`block ${i + 1} runs as pasted${printed === null ? '' : ' and prints what the README shows'} (${code.split('\n').find((l) => !l.startsWith('import') && l !== '')})`, () => {
      expect(code).toMatch(/^import /);

      const output = run(code);

      if (printed !== null) expect(output).toBe(printed);
    });
  });
});

/** Every `@example` in the sources: the code, and what each `console.log(...); // shown` line says it prints. */
function examples(): { where: string; code: string; shown: string[] }[] {
  const dir = new URL('../src/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((file) => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      return [...text.matchAll(/@example\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)].map((m) => {
        const code = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
        const shown = [...code.matchAll(/^console\.log\(.*\); \/\/ (.*)$/gm)].map((c) => c[1]!);
        return { where: `${file}: ${code.split('\n').find((l) => !l.startsWith('import') && l !== '')}`, code, shown };
      });
    });
}

describe('TSDoc examples', () => {
  for (const { where, code, shown } of examples()) {
    it(`${where} runs as pasted and prints what its comments say`, () => {
      expect(code).toMatch(/^import /);

      const output = run(code);

      expect(output).toBe(shown.map((l) => `${l}\n`).join(''));
    });
  }
});
