import { describe, expect, it, vi } from 'vitest';
import type { Value as ValueType } from '@mg/engine';
import type { toSvg as toSvgType } from '../src/svg.js';
import { svgNodeTexts } from './parse-dot.js';

// Graphviz 16.1 leaves the first line of a label uninitialised when it is empty, and calls a
// function pointer read from that garbage when it frees the label: a WebAssembly trap that
// depends on what the memory held. Each test renders first on a fresh instance (a fresh module
// of src/svg.ts), where the DOT below crashes every time. The renderer is the real one; the
// wrapper only counts the instances made.
const made = vi.hoisted(() => ({ instances: 0 }));
vi.mock('@viz-js/viz', async (importOriginal) => {
  const real = await importOriginal<typeof import('@viz-js/viz')>();
  return {
    ...real,
    instance: () => {
      made.instances++;
      return real.instance();
    },
  };
});

/** `toSvg` from fresh modules, whose first render makes a new Graphviz instance, and their `Value`. */
async function fresh(): Promise<{ toSvg: typeof toSvgType; Value: typeof ValueType }> {
  vi.resetModules();
  const engineName = '@mg/engine';
  const { Value } = (await import(/* @vite-ignore */ engineName)) as typeof import('@mg/engine');
  return { toSvg: (await import('../src/svg.js')).toSvg, Value };
}

/** What toDot wrote for `new Value(1, '\n')` with `{ title: '\n' }` before labels were fixed. */
const CRASHING_DOT = String.raw`digraph {
  graph [rankdir=LR, label="\n", labelloc=t];
  v0 [shape=record, label="{ \n | data 1.0000 | grad 0.0000 }"];
}`;

describe('labels that start with a line break', () => {
  it('draws a label and a title that are a line break (Graphviz crashed on them)', async () => {
    const { toSvg, Value } = await fresh();

    const svg = await toSvg(new Value(1, '\n'), { title: '\n' });

    expect(svgNodeTexts(svg, 'v0')).toEqual(['\u00a0', 'data 1.0000', 'grad 0.0000']);
  });
});

describe('a Graphviz crash', () => {
  it('rejects with a SyntaxError that says Graphviz crashed and why, and the next call gets a fresh instance', async () => {
    const { toSvg, Value } = await fresh();
    const before = made.instances;

    const error: unknown = await toSvg(CRASHING_DOT).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toBe(
      'toSvg: Graphviz could not render the DOT: it crashed (RuntimeError: table index is out of bounds) ' +
        `(DOT starts ${JSON.stringify(`${CRASHING_DOT.slice(0, 60)}...`)})`,
    );
    const cause = (error as Error).cause as Error;
    expect([cause.constructor.name, cause.message]).toEqual(['RuntimeError', 'table index is out of bounds']);
    expect(made.instances).toBe(before + 1);
    const svg = await toSvg(new Value(2, 'after'));
    expect(made.instances).toBe(before + 2);
    expect(svgNodeTexts(svg, 'v0')).toEqual(['after', 'data 2.0000', 'grad 0.0000']);
  });
});
