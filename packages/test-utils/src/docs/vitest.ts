import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CodeBlock, markdownBlocks, skipReason, tsdocExamples } from './code-blocks.js';
import { normaliseOutput, type RunOptions, runInProcess } from './run-block.js';

function title(block: CodeBlock): string {
  const checks =
    block.output !== undefined ? 'prints what the README shows' : 'runs, and its comments state its results';
  return `${block.file}:${block.line} (${block.lang}) ${checks}`;
}

const id = (block: CodeBlock): string => `${block.file}:${block.line}`;

function testBlock(block: CodeBlock, options: RunOptions): void {
  const reason = skipReason(block);
  if (reason !== undefined) {
    it.skip(`${id(block)} (${block.lang || 'untagged'}): ${reason}`, () => undefined);
    return;
  }
  it(title(block), async () => {
    const run = await runInProcess(block.code, options).catch((error: unknown) => {
      throw new Error(`${block.file}:${block.line}: the block throws: ${String(error)}`, { cause: error });
    });

    // Claims count lines within the block; the message points into the file.
    const wrong = run.wrongClaims.map((message) =>
      message.replace(/^line (\d+)/, (_, n: string) => `${block.file}:${block.line + Number(n) - 1}`),
    );
    expect(wrong).toEqual([]);
    if (block.output !== undefined) expect(normaliseOutput(run.stdout)).toBe(normaliseOutput(block.output));
  });
}

function describeBlocks(name: string, blocks: CodeBlock[], options: RunOptions): void {
  describe(name, () => {
    for (const block of blocks) testBlock(block, options);
  });
}

/**
 * One test per code block of a Markdown file (skipped ones listed as skipped): each runnable block
 * runs as pasted, prints its output fence and keeps its comments' claims (see ./run-block.ts).
 *
 * @param file - the Markdown file, e.g. `new URL('../README.md', import.meta.url)`
 * @param options - the modules its imports get (`{ '@mg/nn': nn }`) and a loader for the rest
 */
export function describeMarkdown(file: URL, options: RunOptions): void {
  const path = fileURLToPath(file);
  const name = relative(process.cwd(), path) || path;
  describeBlocks(name, markdownBlocks(readFileSync(path, 'utf8'), name), options);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * One test per TSDoc `@example` block under a source folder: each runs with `options.globals`
 * in scope (the package's exports) and keeps its comments' claims.
 *
 * @param dir - the source folder, e.g. `new URL('../src/', import.meta.url)`
 */
export function describeExamples(dir: URL, options: RunOptions): void {
  const root = fileURLToPath(dir);
  // Named from the package folder (`src/sgd.ts`), wherever the tests run from.
  const blocks = sources(root)
    .sort()
    .flatMap((path) => tsdocExamples(readFileSync(path, 'utf8'), relative(join(root, '..'), path)));
  describeBlocks('TSDoc examples', blocks, options);
}
