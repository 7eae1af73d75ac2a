/** A README's first TypeScript example and the output block that follows it. */
export interface ReadmeExample {
  code: string;
  output: string;
}

interface Fence {
  lang: string;
  body: string;
}

function fences(markdown: string): Fence[] {
  const found: Fence[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^```\s*([\w-]*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    found.push({ lang: (open[1] ?? '').toLowerCase(), body: body.join('\n') });
  }
  return found;
}

const codeLangs = new Set(['ts', 'typescript', 'js', 'javascript', 'tsx', 'jsx', 'sh', 'bash', 'json']);

/**
 * The first ```ts block of a README and the block right after it, which holds what the example
 * prints; undefined when there is no such pair.
 */
export function readmeExample(markdown: string): ReadmeExample | undefined {
  const all = fences(markdown);
  const index = all.findIndex((fence) => fence.lang === 'ts' || fence.lang === 'typescript');
  const code = all[index];
  const output = all[index + 1];
  if (index < 0 || code === undefined || output === undefined || codeLangs.has(output.lang)) return undefined;
  return { code: code.body, output: output.body };
}

/**
 * Rewrites an ES module's static imports (as esbuild prints them) as `require` calls, and wraps the
 * rest in an async function when it awaits at top level, which CommonJS cannot.
 *
 * @throws Error on an import form a CommonJS user would not write the same way (default imports).
 */
export function toCommonJs(esm: string): string {
  const requires: string[] = [];
  const body = esm.replace(/^import\s+(?:(.+?)\s+from\s+)?("[^"]+"|'[^']+');?[ \t]*$/gm, (line, clause: string | undefined, spec: string) => {
    if (clause === undefined) requires.push(`require(${spec});`);
    else if (clause.startsWith('* as ')) requires.push(`const ${clause.slice(5)} = require(${spec});`);
    else if (clause.startsWith('{')) requires.push(`const ${clause.replace(/\s+as\s+/g, ': ')} = require(${spec});`);
    else throw new Error(`toCommonJs: cannot translate ${JSON.stringify(line)}`);
    return '';
  }).trim();
  const main = /\bawait\b/.test(body)
    ? `(async () => {\n${body}\n})().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});`
    : body;
  return `'use strict';\n${requires.join('\n')}\n${main}\n`;
}
