import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { toDot, toSvg } from '../src/index.js';
import { parseDot, svgNodeTexts } from './parse-dot.js';
import { neuronExample, seeds } from './seeds.js';

describe('toSvg', () => {
  it.each(seeds)('renders %s with every value node, op node and edge', async (_, example) => {
    const { root } = example();
    const dot = toDot(root, { highlight: 'grad', title: 'seed' });
    const parsed = parseDot(dot);

    const svg = await toSvg(dot);

    expect(svg).toMatch(/^<\?xml[^]*<svg[^]*<\/svg>\s*$/);
    expect(svg.match(/class="node"/g)).toHaveLength(parsed.values.size + parsed.ops.size);
    expect(svg.match(/class="edge"/g)).toHaveLength(parsed.edges.length);
    for (const [id, node] of parsed.values) expect(svgNodeTexts(svg, id)).toEqual(node.fields);
    for (const [id, label] of parsed.ops) expect(svgNodeTexts(svg, id)).toEqual([label]);
  });

  it('draws a Value with the toDot options, the same as rendering its DOT', async () => {
    const { root } = neuronExample();

    const svg = await toSvg(root, { rankdir: 'TB', precision: 2 });

    expect(svg).toBe(await toSvg(toDot(root, { rankdir: 'TB', precision: 2 })));
    expect(svgNodeTexts(svg, 'v0')).toEqual(['o', 'data 0.71', 'grad 1.00']);
  });

  it('rejects invalid DOT with a SyntaxError quoting Graphviz and the input', async () => {
    await expect(toSvg('digraph { a -> }')).rejects.toThrow(SyntaxError);
    await expect(toSvg('digraph { a -> }')).rejects.toThrow(
      `toSvg: Graphviz could not render the DOT: syntax error in line 1 near '}' (DOT starts "digraph { a -> }")`,
    );
    await expect(toSvg('')).rejects.toThrow(
      'toSvg: Graphviz could not render the DOT: no graph in the input',
    );
  });

  it('renders again after a failed render', async () => {
    await expect(toSvg('graph {')).rejects.toThrow(SyntaxError);

    await expect(toSvg('digraph { a -> b }')).resolves.toContain('<svg');
  });

  it('rejects anything but a Value or a string, and options given with a DOT string', async () => {
    await expect(toSvg(42 as unknown as string)).rejects.toThrow(
      new TypeError('toSvg: input must be a Value or a DOT string, got 42 (number)'),
    );
    await expect(
      (toSvg as (dot: string, o: object) => Promise<string>)('digraph {}', { rankdir: 'TB' }),
    ).rejects.toThrow(TypeError);
  });

  it('rejects a graph over maxNodes the way toDot throws', async () => {
    const x = new Value(1);

    await expect(toSvg(x.add(x).add(x), { maxNodes: 3 })).rejects.toThrow(RangeError);
  });

  it('refuses a highlight colour Graphviz does not know (it would fill the node black), naming it', async () => {
    const a = new Value(2, 'a');

    await expect(toSvg(a, { highlight: () => 'lightblu' })).rejects.toThrow(
      /^toSvg: options\.highlight returned "lightblu", which Graphviz does not know as a colour/,
    );
    await expect(toSvg(a, { highlight: () => 'lightblu' })).rejects.toThrow(RangeError);
    expect(await toSvg(a, { highlight: () => 'lightblue' })).toContain('fill="lightblue"');
  });
});
