import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { graphStats, toDot, toSvg } from '../src/index.js';
import { bigSum } from '@mg/test-utils';
import { parseDot } from './parse-dot.js';

/** How many times `act` reads `children` of any Value: a graph walk reads it once per value it visits. */
function childrenReads(act: () => unknown): number {
  const proto = Value.prototype as object;
  const original = Object.getOwnPropertyDescriptor(proto, 'children')!;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- a getter, called with its receiver below
  const get = original.get! as (this: Value) => unknown;
  let reads = 0;
  Object.defineProperty(proto, 'children', {
    ...original,
    get(this: Value): unknown {
      reads++;
      return get.call(this);
    },
  });
  try {
    act();
  } finally {
    Object.defineProperty(proto, 'children', original);
  }
  return reads;
}

describe('the node cap', () => {
  it('throws a RangeError for a 10,001-value graph over the default cap of 1000', () => {
    const root = bigSum();

    expect(() => toDot(root)).toThrow(RangeError);
    expect(() => toDot(root)).toThrow(
      "toDot: the graph has more than maxNodes (1000) nodes to draw; raise maxNodes (Infinity draws any graph), pass overflow: 'summary' to draw the 1000 nodes nearest the root, or see its size with graphStats(root)",
    );
  });

  it('stops walking as soon as it has found more nodes than the cap: toDot and graphStats on 524,287 values', () => {
    // A balanced tree of adds over 2^18 leaves. A walk visits a value by reading its children.
    let level = Array.from({ length: 2 ** 18 }, (_, i) => new Value(i));
    while (level.length > 1) {
      const next: Value[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(level[i]!.add(level[i + 1]!));
      level = next;
    }
    const root = level[0]!;

    const refused = childrenReads(() => {
      expect(() => toDot(root)).toThrow(/^toDot: the graph has more than maxNodes \(1000\)/);
    });
    const counted = childrenReads(() => {
      expect(() => graphStats(root, { maxNodes: 100 })).toThrow(RangeError);
    });
    const summarised = childrenReads(() => toDot(root, { overflow: 'summary', maxNodes: 50 }));

    expect([refused, counted, summarised].map((reads) => reads <= 1000)).toEqual([true, true, true]);
    expect(refused).toBeGreaterThan(0);
  });

  it.each([1000, 501, 3])(
    'draws at most %i nodes nearest the root and one node for the rest in summary mode',
    (maxNodes) => {
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
      for (const e of parsed.edges.filter((e) => e.from !== 'more'))
        expect(fullEdges).toContain(`${e.from} -> ${e.to}`);
      // Every op node whose operands are cut off gets a dashed edge from the summary node.
      for (const [id] of parsed.ops) {
        const operands = parsed.edges.filter((e) => e.to === id).length;
        expect(operands).toBe(2);
      }
    },
  );

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
