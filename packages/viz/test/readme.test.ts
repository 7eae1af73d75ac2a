import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bigSum } from '@mg/test-utils';
import * as viz from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The fenced blocks of the README, in order, with their language. */
const blocks = [...readme.matchAll(/^```(\w*)\n([^]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));

describe('README', () => {
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
    const note = /label="(.*)"\];$/m.exec(
      viz
        .toDot(root, { overflow: 'summary' })
        .split('\n')
        .find((l) => l.startsWith('  more'))!,
    )![1]!;

    expect(blocks.map((b) => b.body)).toContain(`${error}\n`);
    expect(blocks.map((b) => b.body)).toContain(`${note.replace('\\n', '\n')}\n`);
  });

  it('shows the SVG that scripts/render-docs.ts writes, by an absolute URL into the repository (docs/ is not published)', () => {
    const { repository } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      repository: { url: string; directory: string };
    };
    const repo = /github\.com\/([^/]+\/[^/.]+)/.exec(repository.url)![1]!;

    expect(readme).toContain(
      `](https://raw.githubusercontent.com/${repo}/main/${repository.directory}/docs/neuron.svg)`,
    );
    expect(readme).not.toMatch(/\]\(\.{1,2}\//);
  });
});
