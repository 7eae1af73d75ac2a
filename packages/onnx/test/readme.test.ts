import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const source = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const fixtures = new URL('./fixtures/', import.meta.url);

/** The README's fenced blocks in order, each with its language and the prose just before it. */
const blocks = [...readme.matchAll(/([^`]*)^```(\w*)\n([^]*?)^```$/gm)].map((m) => ({ before: m[1]!, lang: m[2]!, body: m[3]! }));
/** Each TypeScript block with the block it says it prints (the next block, introduced by "prints"). */
const examples = blocks.flatMap((block, i) => {
  const next = blocks[i + 1];
  if (block.lang !== 'ts') return [];
  const heading = [...readme.slice(0, readme.indexOf(`\`\`\`ts\n${block.body}`)).matchAll(/^## (.+)$/gm)].pop()?.[1] ?? 'the opening example';
  return [{ index: i, heading, code: block.body, output: next !== undefined && next.lang === '' && /^\s*prints\b/.test(next.before) ? next.body : undefined }];
});

// Blocks run as ES modules in a scratch directory (they write and read model.onnx there); the
// module files themselves sit in the package so that their imports resolve as the tests' do.
const scratch = mkdtempSync(`${tmpdir()}/mg-onnx-readme-`);
const modules = fileURLToPath(new URL('../reports/readme/', import.meta.url));
const home = process.cwd();

beforeAll(() => {
  mkdirSync(modules, { recursive: true });
  process.chdir(scratch);
});
afterAll(() => {
  process.chdir(home);
  rmSync(scratch, { recursive: true, force: true });
});

async function run(code: string, name: string): Promise<string> {
  const file = `${modules}${name}.ts`;
  writeFileSync(file, code.replaceAll("from '@mg/onnx'", `from ${JSON.stringify(source)}`));
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(format(...args));
  });
  try {
    await import(/* @vite-ignore */ file);
  } finally {
    log.mockRestore();
  }
  return `${printed.join('\n')}\n`;
}

describe('TSDoc examples', () => {
  const files = ['to-onnx.ts', 'from-onnx.ts'];
  const tsdoc = files.flatMap((file) =>
    [...readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8').matchAll(/^\s*\* ```ts\n([^]*?)^\s*\* ```$/gm)].map((m, i) => ({
      name: `${file} #${i + 1}`,
      code: m[1]!.replace(/^\s*\* ?/gm, ''),
    })),
  );

  it('finds one example per exported function', () => {
    expect(tsdoc.map((e) => e.name)).toEqual(['to-onnx.ts #1', 'from-onnx.ts #1']);
  });

  it.each(tsdoc)('runs $name as pasted', async ({ name, code }) => {
    await expect(run(code, name.replace(/\W+/g, '-'))).resolves.toBeTypeOf('string');
  });
});

describe('README', () => {
  it('has an example and its output first, then one for Node, the browser and PyTorch', () => {
    expect(blocks[0]!.lang).toBe('ts');
    expect(examples.map((e) => e.output !== undefined)).toEqual([true, true, true, true]);
  });

  it.each(examples)('prints what it shows under the example in $heading', async ({ index, code, output }) => {
    // The PyTorch section reads the model.onnx that its Python example wrote.
    copyFileSync(new URL('torch_readme.onnx', fixtures), 'model.onnx');

    const printed = await run(code, `block-${index}`);

    expect(printed).toBe(output);
  });

  it('shows the PyTorch example that made the fixture, and what it printed', () => {
    const python = blocks.find((b) => b.lang === 'python')!;
    const script = readFileSync(new URL('make_torch_fixture.py', fixtures), 'utf8');
    const after = blocks[blocks.indexOf(python) + 1]!;

    expect(script).toContain(`README_EXAMPLE = """\\\n${python.body}"""`);
    expect(after.body).toBe(readFileSync(new URL('torch_readme.txt', fixtures), 'utf8'));
  });
});
