import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDocCode } from './run-code.js';

// Every TypeScript block of the README runs as pasted (its imports included); where the README
// shows what a block prints, the block must print exactly that.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

interface Block {
  code: string;
  /** The plain block right after it, when the text in between says what it prints. */
  prints: string | undefined;
  line: number;
}

function tsBlocks(markdown: string): Block[] {
  const fences = [...markdown.matchAll(/^```(\w*)\n([^]*?)^```$/gm)].map((m) => ({
    lang: m[1]!,
    body: m[2]!,
    start: m.index,
    end: m.index + m[0].length,
    line: markdown.slice(0, m.index).split('\n').length,
  }));
  return fences.flatMap((f, i) => {
    if (f.lang !== 'ts') return [];
    const next = fences[i + 1];
    const between = next === undefined ? '' : markdown.slice(f.end, next.start).trim();
    const prints = next !== undefined && next.lang === '' && between === 'prints' ? next.body : undefined;
    return [{ code: f.body, prints, line: f.line }];
  });
}

/** Runs a block, its `@mg/engine` imports bound to this package's sources; returns what it printed. */
async function run(code: string): Promise<string> {
  const imports = /^import \{([^}]*)\} from '@mg\/engine';$/gm;
  const names = [...code.matchAll(imports)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()));
  const lines = await runDocCode(code.replace(imports, ''), names);
  return lines.map((line) => `${line}\n`).join('');
}

describe('README', () => {
  const blocks = tsBlocks(readme);

  it('has TypeScript blocks, each importing what it uses from @mg/engine', () => {
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks.filter((b) => !/^import \{[^}]*\} from '@mg\/engine';$/m.test(b.code)).map((b) => b.line)).toEqual([]);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('runs the block at line %i and prints what the README shows', async (_line, block) => {
    const printed = await run(block.code);

    if (block.prints !== undefined) expect(printed).toBe(block.prints);
  });
});
