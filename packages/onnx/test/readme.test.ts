import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as engine from '@mg/engine';
import * as nn from '@mg/nn';
import { markdownBlocks } from '@mg/test-utils/docs';
import { describeExamples, describeMarkdown } from '@mg/test-utils/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as onnx from '../src/index.js';

const readme = new URL('../README.md', import.meta.url);
const fixtures = new URL('./fixtures/', import.meta.url);

// The blocks write and read model.onnx in the current folder: they run in a scratch one, where
// the PyTorch section finds the model.onnx its Python example wrote.
const scratch = mkdtempSync(`${tmpdir()}/mg-onnx-readme-`);
const home = process.cwd();
beforeAll(() => {
  process.chdir(scratch);
});
beforeEach(() => {
  copyFileSync(new URL('torch_readme.onnx', fixtures), 'model.onnx');
});
afterAll(() => {
  process.chdir(home);
  rmSync(scratch, { recursive: true, force: true });
});

const options = {
  modules: { '@mg/onnx': onnx, '@mg/nn': nn, '@mg/engine': engine },
  load: (specifier: string): Promise<object> => import(/* @vite-ignore */ specifier) as Promise<object>,
  globals: { engine, nn, onnx },
};
describeMarkdown(readme, options);
describeExamples(new URL('../src/', import.meta.url), options);

describe('README', () => {
  it('shows the PyTorch example that made the fixture, and what it printed', () => {
    const blocks = markdownBlocks(readFileSync(readme, 'utf8'));
    const python = blocks.find((b) => b.lang === 'python');
    const script = readFileSync(new URL('make_torch_fixture.py', fixtures), 'utf8');

    expect(script).toContain(`README_EXAMPLE = """\\\n${python?.code ?? ''}\n"""`);
    expect(`${python?.output ?? ''}\n`).toBe(readFileSync(new URL('torch_readme.txt', fixtures), 'utf8'));
  });
});
