// Finds the code a reader would paste: fenced blocks in Markdown and `@example` blocks in TSDoc.
// The conventions they follow are described in ./run-block.ts.

/** Fence languages that are run; every other language (sh, json, dot, ...) is shown, not run. */
const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'mts']);
/** Fence languages that hold what the block before them prints. */
const OUTPUT = new Set(['', 'text', 'output', 'console']);
/** The most lines of prose ("prints", "Output:") allowed between a block and its output fence. */
const MAX_PROSE_LINES = 2;

/** A fenced code block as written, with where it starts. */
export interface CodeBlock {
  /** The file it was found in, for messages. */
  file: string;
  /** 1-based line of its first code line in that file. */
  line: number;
  /** The fence's language, lower case (`ts`, `sh`, `''` for none). */
  lang: string;
  /** The words after the language in the fence's info string (`norun`, ...). */
  meta: string[];
  code: string;
  /** What it prints, when an output fence follows it. */
  output?: string;
}

interface Fence {
  lang: string;
  meta: string[];
  body: string;
  line: number;
  end: number;
}

function fences(text: string): Fence[] {
  const found: Fence[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', marker = '', lang = '', meta = ''] = open;
    const body: string[] = [];
    const start = i + 1;
    for (
      i++;
      i < lines.length &&
      !new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[i] ?? '');
      i++
    ) {
      body.push((lines[i] ?? '').slice(indent.length));
    }
    found.push({
      lang: lang.toLowerCase(),
      meta: meta.split(/\s+/).filter(Boolean),
      body: body.join('\n'),
      line: start + 1,
      end: i + 1,
    });
  }
  return found;
}

function withOutputs(all: Fence[], text: string, file: string): CodeBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < all.length; i++) {
    const fence = all[i]!;
    if (OUTPUT.has(fence.lang)) continue;
    const block: CodeBlock = { file, line: fence.line, lang: fence.lang, meta: fence.meta, code: fence.body };
    const next = all[i + 1];
    if (next !== undefined && OUTPUT.has(next.lang)) {
      const between = lines.slice(fence.end, next.line - 2).filter((l) => l.trim() !== '');
      if (between.length <= MAX_PROSE_LINES) {
        block.output = next.body;
        i++;
      }
    }
    blocks.push(block);
  }
  return blocks;
}

/** Every fenced block of a Markdown document except output fences, each with the output fence that follows it. */
export function markdownBlocks(markdown: string, file = 'README.md'): CodeBlock[] {
  return withOutputs(fences(markdown), markdown, file);
}

/**
 * The fenced blocks inside the `@example` tags of a TypeScript source's doc comments, each with
 * the line it starts on in the source.
 */
export function tsdocExamples(source: string, file = 'source.ts'): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const comment of source.matchAll(/\/\*\*[^]*?\*\//g)) {
    const startLine = source.slice(0, comment.index).split('\n').length;
    // The comment's text without its leading ` * `, line for line, so line numbers still hold.
    const text = comment[0]
      .split('\n')
      .map((l) => l.replace(/^\s*\/?\*\*?\/?\s?/, '').replace(/\s*\*\/$/, ''))
      .join('\n');
    for (const example of text.matchAll(/@example[^\n]*\n([^]*?)(?=\n\s*@\w|$)/g)) {
      const offset = text.slice(0, example.index).split('\n').length;
      for (const block of withOutputs(fences(example[1] ?? ''), example[1] ?? '', file)) {
        blocks.push({ ...block, line: block.line + startLine + offset - 1 });
      }
    }
  }
  return blocks;
}

/** Why a block is not run, or undefined when it runs: its language, or a `norun` word in its fence. */
export function skipReason(block: CodeBlock): string | undefined {
  if (!RUNNABLE.has(block.lang)) return `${block.lang === '' ? 'untagged' : block.lang} blocks are not run`;
  if (block.meta.some((word) => word === 'norun' || word.startsWith('norun='))) return 'marked norun';
  return undefined;
}
