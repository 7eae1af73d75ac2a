import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as engine from '@mg/engine';
import * as viz from '../src/index.js';

// The @example of every export runs, with @mg/engine's and this package's exports in scope as a
// user's imports would bring them, and prints what its comments say: the comment after a
// `console.log(...);`, or the comment lines right below it.

const files = ['dot.ts', 'stats.ts', 'op-label.ts', 'svg.ts'];

function examples(file: string): { name: string; code: string }[] {
  const source = readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');
  return [...source.matchAll(/@example\n \* ```ts\n([^]*?) \* ```\n[^]*?export (?:async )?function (\w+)/g)].map((m) => ({
    name: `${file}: ${m[2]!}`,
    code: m[1]!.replace(/^ \* ?/gm, ''),
  }));
}

function expected(code: string): string[] {
  const lines = code.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    const call = /^\s*console\.log\(.*\);(?: \/\/ (.*))?$/.exec(line);
    if (call === null) return;
    if (call[1] !== undefined) {
      out.push(call[1]);
      return;
    }
    const below: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('// '); j++) below.push(lines[j]!.slice(3));
    out.push(below.join('\n'));
  });
  return out;
}

type AsyncFunctionConstructor = new (...args: string[]) => (...values: unknown[]) => Promise<void>;
const AsyncFunction = (Object.getPrototypeOf(async function () {}) as { constructor: AsyncFunctionConstructor }).constructor;

async function printed(code: string): Promise<string[]> {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const lines: string[] = [];
  const console = { log: (...args: unknown[]) => lines.push(format(...args)) };
  const scope: Record<string, unknown> = { ...engine, ...viz };
  const names = Object.keys(scope);
  await new AsyncFunction('console', ...names, js)(console, ...names.map((n) => scope[n]));
  return lines;
}

describe('TSDoc examples', () => {
  const all = files.flatMap(examples);

  it('are found for every export, each saying what it prints', () => {
    expect(all.map((e) => e.name).sort()).toEqual(['dot.ts: toDot', 'op-label.ts: opLabel', 'stats.ts: graphStats', 'svg.ts: toSvg']);
    expect(all.filter((e) => expected(e.code).length === 0).map((e) => e.name)).toEqual([]);
  });

  it.each(all.map((e) => [e.name, e] as const))('%s prints what its comments say', async (_name, example) => {
    const lines = await printed(example.code);

    expect(lines).toEqual(expected(example.code));
  });
});
