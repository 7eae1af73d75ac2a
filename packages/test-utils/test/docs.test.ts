import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkClaim,
  claimsFromStderr,
  instrumentClaims,
  markdownBlocks,
  runInProcess,
  skipReason,
  toCommonJs,
  toNodeModule,
  tsdocExamples,
} from '../src/docs/index.js';

const fence = '```';

describe('markdownBlocks', () => {
  it('pairs a block with the untagged fence after it, across a line of prose', () => {
    const readme = `# x\n\n${fence}sh\nnpm i x\n${fence}\n\n${fence}ts\nconsole.log(1);\n${fence}\n\nprints\n\n${fence}\n1\n${fence}\n`;

    const blocks = markdownBlocks(readme, 'README.md');

    expect(blocks).toEqual([
      { file: 'README.md', line: 4, lang: 'sh', meta: [], code: 'npm i x' },
      { file: 'README.md', line: 8, lang: 'ts', meta: [], code: 'console.log(1);', output: '1' },
    ]);
  });

  it('leaves an untagged fence unpaired when a paragraph of more than two lines separates it from the block', () => {
    const readme = `${fence}ts\nf();\n${fence}\n\nOne.\nTwo.\nThree.\n\n${fence}\nan error message\n${fence}\n`;

    expect(markdownBlocks(readme)).toEqual([
      { file: 'README.md', line: 2, lang: 'ts', meta: [], code: 'f();' },
    ]);
  });

  it('reads the words after the language, and skips blocks marked norun or in languages that do not run', () => {
    const [browser, shell, code] = markdownBlocks(
      `${fence}ts norun\nx\n${fence}\n${fence}bash\ny\n${fence}\n${fence}js\nz\n${fence}\n`,
    );

    expect(browser?.meta).toEqual(['norun']);
    expect(skipReason(browser!)).toBe('marked norun');
    expect(skipReason(shell!)).toBe('bash blocks are not run');
    expect(skipReason(code!)).toBeUndefined();
  });
});

describe('tsdocExamples', () => {
  it('finds the fenced block of each @example with its line in the source file', () => {
    const source = [
      '/**',
      ' * Adds one.',
      ' *',
      ' * @example',
      ' * ```ts',
      ' * inc(1); // 2',
      ' * ```',
      ' * @returns x + 1',
      ' */',
      'export const inc = (x: number) => x + 1;',
    ].join('\n');

    const [example, ...rest] = tsdocExamples(source, 'inc.ts');

    expect(rest).toEqual([]);
    expect(example).toMatchObject({ file: 'inc.ts', line: 6, lang: 'ts', code: 'inc(1); // 2' });
  });
});

describe('instrumentClaims', () => {
  it('takes comments that start with a value as claims, and prose, declarations and assignments as prose', () => {
    const code = [
      'const a = f(); // 3',
      'a.grad = 2; // 2',
      'model.zeroGrad(); // every grad is 0',
      'a.grad; // 4',
      "console.log(a.data, 'x'); // 3 x",
      "url('http://x'); // 'http://x'",
      'logSumExp(zs); // 1000 + log 2',
      'model.forward(x); // [Value(data=…)], always an array',
      'console.log(dot);',
      '// digraph {',
      '// }',
    ].join('\n');

    const { claims } = instrumentClaims(code);

    expect(claims).toEqual([
      { line: 4, text: '4', kind: 'value' },
      { line: 5, text: '3 x', kind: 'print' },
      { line: 6, text: "'http://x'", kind: 'value' },
      { line: 9, text: 'digraph {\n}', kind: 'print' },
    ]);
  });
});

describe('checkClaim', () => {
  const value = (text: string) => ({ line: 1, text, kind: 'value' as const });

  it('holds for the exact value, ignoring prose after it', () => {
    expect(checkClaim(value('3.125 (mean of 2.25 and 4)'), 3.125)).toBeUndefined();
    expect(checkClaim(value("['leaf', 'mul']"), ['leaf', 'mul'])).toBeUndefined();
    expect(checkClaim(value('{ ok: false, index: 0 }'), { ok: false, index: 0 })).toBeUndefined();
    expect(checkClaim(value('-0'), -0)).toBeUndefined();
  });

  it('holds for a number given with fewer digits that the value rounds to, and not otherwise', () => {
    expect(checkClaim(value('2.9e-10'), 2.8731e-10)).toBeUndefined();
    expect(checkClaim(value('2.9e-10'), 2.8e-10)).toBe('line 1 claims `// 2.9e-10` but the value is 2.8e-10');
  });

  it('quotes the claim and the value when they differ', () => {
    expect(checkClaim(value('3.125 (mean)'), 5.625)).toBe(
      'line 1 claims `// 3.125 (mean)` but the value is 5.625',
    );
    expect(checkClaim(value('0'), -0)).toBe('line 1 claims `// 0` but the value is -0');
    expect(checkClaim({ line: 2, text: '10 7', kind: 'print' }, '10 8')).toBe(
      'line 2 claims `// 10 7` but prints "10 8"',
    );
  });
});

describe('runInProcess', () => {
  it('gives the block its imports, captures what it prints and checks its claims', async () => {
    const code =
      "import { double } from 'lib';\nimport * as all from 'lib';\nconsole.log(double(2)); // 4\nall.double(3); // 7\n";

    const run = await runInProcess(code, { modules: { lib: { double: (x: number) => 2 * x } } });

    expect(run).toEqual({
      stdout: '4\n',
      claims: 2,
      wrongClaims: ['line 4 claims `// 7` but the value is 6'],
    });
  });

  it('runs TypeScript with top-level await, and TSDoc examples with globals in scope', async () => {
    const run = await runInProcess('const x: number = await Promise.resolve(inc(1));\nx; // 2\n', {
      globals: { lib: { inc: (x: number) => x + 1 } },
    });

    expect(run.wrongClaims).toEqual([]);
    expect(run.claims).toBe(1);
  });

  it('fails naming an import it was not given', async () => {
    await expect(runInProcess("import { a } from 'nowhere';\na();\n")).rejects.toThrow(
      'the block imports "nowhere", which the runner was not given',
    );
  });
});

describe('toCommonJs', () => {
  const evaluate = (code: string, modules: Record<string, unknown>): string[] => {
    const printed: string[] = [];
    runInNewContext(code, {
      require: (name: string) => modules[name],
      console: { log: (...args: unknown[]) => printed.push(args.join(' ')) },
    });
    return printed;
  };

  it('turns named, renamed and namespace imports into requires', () => {
    const esm = 'import { a, b as c } from "x";\nimport * as y from "y";\nconsole.log(a, c, y.d);\n';

    const cjs = toCommonJs(esm);

    expect(evaluate(cjs, { x: { a: 1, b: 2 }, y: { d: 3 } })).toEqual(['1 2 3']);
    expect(cjs).not.toMatch(/^import /m);
  });

  it('runs a top-level await when the example awaits, which CommonJS cannot do at top level', async () => {
    const cjs = toCommonJs('import { f } from "x";\nconst v = await f();\nconsole.log(v);\n');

    const printed = evaluate(cjs, { x: { f: () => Promise.resolve('done') } });
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(printed).toEqual(['done']);
  });

  it('throws on a default import, which CommonJS users write differently', () => {
    expect(() => toCommonJs('import x from "x";\n')).toThrow(/cannot translate "import x from \\"x\\";"/);
  });
});

describe('toNodeModule and claimsFromStderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-docs-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a block without claims as pasted, apart from its types', async () => {
    expect(await toNodeModule('const x: number = 1;\nconsole.log(x);\n')).toBe(
      'const x = 1;\nconsole.log(x);\n',
    );
  });

  it('reports, from a separate Node process, the claims that held and those that did not', async () => {
    const code =
      "const x = 0.1 + 0.2;\nconsole.log(x.toFixed(1)); // 0.3\nx; // 0.30000000000000004\n-x * 0; // 0\n[x > 0, 'a']; // [true, 'a']\n";
    writeFileSync(join(dir, 'block.mjs'), await toNodeModule(code));

    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(dir, 'block.mjs')]);
    const checked = claimsFromStderr(code, stderr);

    expect(stdout).toBe('0.3\n');
    expect(checked).toEqual({ stderr: '', wrongClaims: ['line 4 claims `// 0` but the value is -0'] });
  });
});
