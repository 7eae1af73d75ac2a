import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import * as viz from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The fenced blocks of the README, in order, with their language. */
const blocks = [...readme.matchAll(/^```(\w*)\n([^]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));

function bigSum(): Value {
  let sum = new Value(0, { label: 'x0' });
  for (let i = 1; i <= 5000; i++) sum = sum.add(new Value(i, { label: `x${i}` }));
  return sum;
}

describe('README', () => {
  it('opens with an example that prints exactly the output shown under it', () => {
    const [example, output] = blocks;
    expect(example!.lang).toBe('ts');
    const code = example!.body.replace(/^import .*$/gm, '');
    const printed: string[] = [];
    const log = (x: unknown) => printed.push(String(x));

    // The README's own text is run, with its imports passed in, so the example cannot drift from the output.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const run = new Function('Value', 'toDot', 'graphStats', 'console', code) as (...args: unknown[]) => void;
    run(Value, viz.toDot, viz.graphStats, { log });

    expect(example!.body).toMatch(/^import \{ Value \} from '@mg\/engine';\nimport \{ graphStats, toDot \} from '@mg\/viz';\n/);
    expect(`${printed.join('\n')}\n`).toBe(output!.body);
  });

  it('quotes the error and the summary note that the 10,001-value sum really gives', () => {
    const root = bigSum();

    const error = (() => {
      try {
        viz.toDot(root);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    const note = /label="(.*)"\];$/m.exec(viz.toDot(root, { overflow: 'summary' }).split('\n').find((l) => l.startsWith('  more'))!)![1]!;

    expect(blocks.map((b) => b.body)).toContain(`${error}\n`);
    expect(blocks.map((b) => b.body)).toContain(`${note.replace('\\n', '\n')}\n`);
  });

  it('shows the SVG that scripts/render-docs.ts writes, by an absolute URL into the repository (docs/ is not published)', () => {
    const { repository } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { repository: { url: string; directory: string } };
    const repo = /github\.com\/([^/]+\/[^/.]+)/.exec(repository.url)![1]!;

    expect(readme).toContain(`](https://raw.githubusercontent.com/${repo}/main/${repository.directory}/docs/neuron.svg)`);
    expect(readme).not.toMatch(/\]\(\.{1,2}\//);
  });
});
