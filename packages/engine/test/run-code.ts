import { format } from 'node:util';
import ts from 'typescript';
import * as engine from '../src/index.js';

type AsyncFunctionConstructor = new (...args: string[]) => (...values: unknown[]) => Promise<void>;
const AsyncFunction = (Object.getPrototypeOf(async function () {}) as { constructor: AsyncFunctionConstructor }).constructor;

/**
 * Runs TypeScript from the docs with this package's sources standing in for `@mg/engine`:
 * `names` are bound to its exports (a block's own `import { ... } from '@mg/engine'` lines are
 * replaced by them). Returns the lines it printed with `console.log`, formatted as Node does.
 */
export async function runDocCode(code: string, names: readonly string[] = Object.keys(engine)): Promise<string[]> {
  const js = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const lines: string[] = [];
  const console = { log: (...args: unknown[]) => lines.push(format(...args)) };
  const exports = engine as Record<string, unknown>;
  await new AsyncFunction('console', ...names, js)(console, ...names.map((n) => exports[n]));
  return lines;
}
