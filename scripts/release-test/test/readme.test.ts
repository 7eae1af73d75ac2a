import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readmeExample, toCommonJs } from '../src/readme.js';

describe('readmeExample', () => {
  it('returns the first ts block and the block after it when a README shows an example and its output', () => {
    const readme = '# x\n\n```sh\nnpm i x\n```\n\n```ts\nimport { a } from "x";\nconsole.log(a);\n```\n\nprints\n\n```\n1\n2\n```\n\n```ts\nlater();\n```\n';

    const example = readmeExample(readme);

    expect(example).toEqual({ code: 'import { a } from "x";\nconsole.log(a);', output: '1\n2' });
  });

  it('returns undefined when the ts block is followed by more code instead of output', () => {
    const readme = '```ts\nconst a = 1;\n```\n\n```js\nconst b = 2;\n```\n';

    expect(readmeExample(readme)).toBeUndefined();
  });

  it('returns undefined when the README has no ts block', () => {
    expect(readmeExample('# x\n\n```\n1\n```\n')).toBeUndefined();
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
