import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { graphStats, toDot, toSvg } from '../src/index.js';
import { bigSum } from '@mg/test-utils';
import { parseDot } from './parse-dot.js';

describe('the node cap', () => {
  it('throws a RangeError giving the size of a 10,001-value graph over the default cap of 1000', () => {
    const root = bigSum();

    expect(() => toDot(root)).toThrow(RangeError);
    expect(() => toDot(root)).toThrow(
      "toDot: the graph has 15001 nodes to draw (10001 values, 5000 ops), more than maxNodes (1000); raise maxNodes (Infinity draws any graph) or pass overflow: 'summary' to draw the 1000 nodes nearest the root",
    );
  });

  it.each([1000, 501, 3])('draws at most %i nodes nearest the root and one node for the rest in summary mode', (maxNodes) => {
    const root = bigSum();

    const dot = toDot(root, { maxNodes, overflow: 'summary' });

    const parsed = parseDot(dot);
    const drawn = parsed.values.size + parsed.ops.size + parsed.others.size;
    expect(drawn).toBeLessThanOrEqual(maxNodes);
    expect(drawn).toBeGreaterThanOrEqual(maxNodes - 1); // a value with its op needs two nodes
    const hiddenValues = 10001 - parsed.values.size;
    const hiddenOps = 5000 - parsed.ops.size;
    expect(parsed.others.get('more')).toBe(
      `${hiddenValues} more values and ${hiddenOps} more ops not drawn\\n(maxNodes ${maxNodes}; the whole graph has 15001 nodes)`,
    );
    // The summary is the start of the full drawing: same ids, same labels, same edges.
    const full = parseDot(toDot(root, { maxNodes: Infinity }));
    for (const [id, node] of parsed.values) expect(full.values.get(id)).toEqual(node);
    const fullEdges = new Set(full.edges.map((e) => `${e.from} -> ${e.to}`));
    for (const e of parsed.edges.filter((e) => e.from !== 'more')) expect(fullEdges).toContain(`${e.from} -> ${e.to}`);
    // Every op node whose operands are cut off gets a dashed edge from the summary node.
    for (const [id] of parsed.ops) {
      const operands = parsed.edges.filter((e) => e.to === id).length;
      expect(operands).toBe(2);
    }
  });

  it('renders the summary of the 10,001-value graph to SVG', async () => {
    const root = bigSum();

    const svg = await toSvg(root, { overflow: 'summary' });

    expect(svg).toContain('more values and');
    expect(svg.match(/class="node"/g)!.length).toBeLessThanOrEqual(1000);
  });

  it('draws a chain 10,000 ops deep in full without recursion', () => {
    let x = new Value(1, { label: 'x' });
    for (let i = 0; i < 10000; i++) x = x.mul(1);
    x.backward();

    const parsed = parseDot(toDot(x, { maxNodes: Infinity }));

    expect(parsed.values.size).toBe(20001);
    expect(parsed.ops.size).toBe(10000);
    expect(parsed.edges.length).toBe(30000);
    expect(graphStats(x)).toMatchObject({ values: 20001, ops: 10000, edges: 30000, depth: 10000 });
  });
});
