import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { opLabel, toDot } from '../src/index.js';
import { parseDot } from './parse-dot.js';
import { lossExample, neuronExample, seeds, tanhExample } from './seeds.js';

/** Checks that `dot` draws exactly the graph under `root`: every value, every op, every edge. */
function expectDrawsGraph(dot: string, values: Record<string, Value>): void {
  const parsed = parseDot(dot);
  const idOf = new Map<Value, string>();
  for (const [id, node] of parsed.values) {
    const v = Object.values(values).find((value) => value.label === node.fields[0]);
    expect(v, `node ${id} is a value of the graph`).toBeDefined();
    idOf.set(v!, id);
  }
  expect(idOf.size).toBe(Object.keys(values).length);

  const expectedEdges: string[] = [];
  for (const v of Object.values(values)) {
    const id = idOf.get(v)!;
    if (v.op === '') {
      expect(parsed.ops.has(`${id}_op`)).toBe(false);
      continue;
    }
    expect(parsed.ops.get(`${id}_op`)).toBe(opLabel(v));
    expectedEdges.push(`${id}_op -> ${id}`, ...v.children.map((c) => `${idOf.get(c)!} -> ${id}_op`));
  }
  expect(parsed.edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual(expectedEdges.sort());
}

describe('toDot', () => {
  // Counted by hand from the expressions: a leaf is one node, an op a value node and an op node;
  // each op has an edge per operand and one to its result.
  it.each([
    ['x, y, z = x + y, a = tanh(z), b = a * x', tanhExample, { values: 5, ops: 3, edges: 3 + 2 + 3 }],
    ['the neuron', neuronExample, { values: 10, ops: 5, edges: 4 * 3 + 2 }],
    ['L = (a*b + c) * f', lossExample, { values: 7, ops: 3, edges: 3 * 3 }],
  ])('draws exactly the value nodes, op nodes and edges of %s', (_, example, counts) => {
    const { root, values } = example();

    const dot = toDot(root);

    const parsed = parseDot(dot);
    expect({ values: parsed.values.size, ops: parsed.ops.size, edges: parsed.edges.length }).toEqual(counts);
    expectDrawsGraph(dot, values);
  });

  it("shows the lecture's numbers for the neuron after backward", () => {
    const { root } = neuronExample();

    const fields = [...parseDot(toDot(root)).values.values()].map((n) => n.fields.join(' | '));

    expect(fields).toEqual(
      expect.arrayContaining([
        'o | data 0.7071 | grad 1.0000',
        'x1 | data 2.0000 | grad -1.5000',
        'w1 | data -3.0000 | grad 1.0000',
        'x2 | data 0.0000 | grad 0.5000',
        'w2 | data 1.0000 | grad 0.0000',
        'n | data 0.8814 | grad 0.5000',
      ]),
    );
  });

  it("shows the lecture's gradients for L = (a*b + c) * f", () => {
    const { root } = lossExample();

    const fields = [...parseDot(toDot(root)).values.values()].map((n) => n.fields.join(' | '));

    expect(fields.sort()).toEqual(
      [
        'L | data -8.0000 | grad 1.0000',
        'a | data 2.0000 | grad 6.0000',
        'b | data -3.0000 | grad -4.0000',
        'c | data 10.0000 | grad -2.0000',
        'd | data 4.0000 | grad -2.0000',
        'e | data -6.0000 | grad -2.0000',
        'f | data -2.0000 | grad 4.0000',
      ].sort(),
    );
  });

  it.each([0, 2, 6])('writes every data and grad with %i decimals when precision is set', (precision) => {
    for (const [, example] of seeds) {
      const { root, values } = example();

      const parsed = parseDot(toDot(root, { precision }));

      const fields = [...parsed.values.values()].map((n) => n.fields);
      for (const v of Object.values(values)) {
        expect(fields).toContainEqual([
          v.label,
          `data ${v.data.toFixed(precision)}`,
          `grad ${v.grad.toFixed(precision)}`,
        ]);
      }
      for (const [, field] of fields)
        expect(field).toMatch(
          precision === 0 ? /^data -?\d+$/ : new RegExp(`^data -?\\d+\\.\\d{${precision}}$`),
        );
    }
  });

  // Python's own output: `'%.4f' % 1e21`, `'%.4f' % -1.5e22`, `'%.0f' % 1e21`, `'%.2f' % 1.7976931348623157e308`.
  it.each([
    { x: 1e21, precision: undefined, text: '1000000000000000000000.0000' },
    { x: -1.5e22, precision: undefined, text: '-15000000000000000000000.0000' },
    { x: 1e21, precision: 0, text: '1000000000000000000000' },
    {
      x: Number.MAX_VALUE,
      precision: 2,
      text: '179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.00',
    },
  ])(
    'writes $x with every digit, as Python formats it, at precision $precision',
    ({ x, precision, text }) => {
      const v = new Value(x, 'big');
      v.grad = x;

      const fields = parseDot(toDot(v, precision === undefined ? {} : { precision })).values.get(
        'v0',
      )!.fields;

      expect(fields).toEqual(['big', `data ${text}`, `grad ${text}`]);
    },
  );

  // Python's own output: `'%.4f' % (1 / 32)` and so on; toFixed rounds these exact ties away from zero.
  it.each([
    { x: 1 / 32, precision: undefined, text: '0.0312' },
    { x: -1 / 32, precision: undefined, text: '-0.0312' },
    { x: 0.15625, precision: undefined, text: '0.1562' },
    { x: 0.5, precision: 0, text: '0' },
    { x: 2.5, precision: 0, text: '2' },
    { x: 1.5, precision: 0, text: '2' },
    { x: -0.5, precision: 0, text: '-0' },
    { x: 0.99995, precision: undefined, text: '1.0000' }, // not a tie: 0.99995 is a little above
    { x: 9.99995, precision: undefined, text: '10.0000' },
  ])('rounds $x half to even at precision $precision as Python does: $text', ({ x, precision, text }) => {
    const fields = parseDot(
      toDot(new Value(x, 'x'), precision === undefined ? {} : { precision }),
    ).values.get('v0')!.fields;

    expect(fields[1]).toBe(`data ${text}`);
  });

  it('writes a gradient a user set to NaN or an infinity as Python does: nan, inf, -inf', () => {
    const texts = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map((g) => {
      const v = new Value(1, 'x');
      v.grad = g;
      return parseDot(toDot(v)).values.get('v0')!.fields[2];
    });

    expect(texts).toEqual(['grad nan', 'grad inf', 'grad -inf']);
  });

  it.each([
    { precision: undefined, text: '-0.0000' },
    { precision: 0, text: '-0' },
    { precision: 2, text: '-0.00' },
    { precision: 10, text: '-0.0000000000' },
  ])(
    'writes -0 with its sign as $text, as Python formats it, at precision $precision',
    ({ precision, text }) => {
      const v = new Value(-0, 'z');
      v.grad = -0;

      const fields = parseDot(toDot(v, precision === undefined ? {} : { precision })).values.get(
        'v0',
      )!.fields;

      expect(fields).toEqual(['z', `data ${text}`, `grad ${text}`]);
      expect(parseDot(toDot(new Value(0, 'z'), { precision: 2 })).values.get('v0')!.fields).toEqual([
        'z',
        'data 0.00',
        'grad 0.00',
      ]);
    },
  );

  it('formats numbers with a format function and leaves grad out when showGrad is false', () => {
    const { root } = lossExample();

    const parsed = parseDot(toDot(root, { format: (x) => x.toExponential(1), showGrad: false }));

    expect(parsed.values.get('v0')!.fields).toEqual(['L', 'data -8.0e+0']);
  });

  it('numbers nodes breadth-first from the root, so the same graph always gives the same text', () => {
    const first = lossExample();
    const second = lossExample();

    const dot = toDot(first.root);

    expect(toDot(second.root)).toBe(dot);
    expect(toDot(first.root)).toBe(dot);
    const labels = [...parseDot(dot).values.values()].map((n) => n.fields[0]);
    expect(labels).toEqual(['L', 'd', 'f', 'e', 'c', 'a', 'b']);
  });

  it('draws an edge per operand, two for a value used twice by one op', () => {
    const a = new Value(3, { label: 'a' });
    const b = a.add(a);

    const parsed = parseDot(toDot(b));

    expect(parsed.edges).toEqual([
      { from: 'v1', to: 'v0_op' },
      { from: 'v1', to: 'v0_op' },
      { from: 'v0_op', to: 'v0' },
    ]);
  });

  it('lays out left to right by default and top to bottom on request, with a title', () => {
    const { root } = tanhExample();

    expect(parseDot(toDot(root)).graph).toBe('  graph [rankdir=LR];');
    expect(parseDot(toDot(root, { rankdir: 'TB', title: 'b = tanh(x + y) * x' })).graph).toBe(
      '  graph [rankdir=TB, label="b = tanh(x + y) * x", labelloc=t];',
    );
  });

  it('colours values by the sign of grad, stronger for larger |grad|, when highlight is grad', () => {
    const { root } = neuronExample();

    const nodes = new Map(
      [...parseDot(toDot(root, { highlight: 'grad' })).values.values()].map((n) => [n.fields[0], n.fill]),
    );

    expect(nodes.get('w2')).toBeUndefined(); // grad 0
    expect(nodes.get('x1')).toMatch(/^#d8432f[0-9a-f]{2}$/); // grad -1.5, the largest |grad|
    expect(nodes.get('w1')).toMatch(/^#2f7fd8[0-9a-f]{2}$/); // grad 1
    expect(nodes.get('x2')).toMatch(/^#2f7fd8[0-9a-f]{2}$/); // grad 0.5
    const alpha = (label: string) => parseInt(nodes.get(label)!.slice(7), 16);
    expect(alpha('x1')).toBeGreaterThan(alpha('w1'));
    expect(alpha('w1')).toBeGreaterThan(alpha('x2'));
  });

  it('fills the values a highlight function picks', () => {
    const { root, values } = lossExample();
    const leaves = new Set([values.a, values.b]);

    const parsed = parseDot(toDot(root, { highlight: (v) => (leaves.has(v) ? 'gold' : undefined) }));

    const filled = [...parsed.values.values()]
      .filter((n) => n.fill !== undefined)
      .map((n) => [n.fields[0], n.fill]);
    expect(filled).toEqual([
      ['a', 'gold'],
      ['b', 'gold'],
    ]);
  });

  it('throws a TypeError naming the input when root is not a Value', () => {
    expect(() => toDot(2 as unknown as Value)).toThrow(
      new TypeError('toDot: root must be a Value, got 2 (number)'),
    );
  });

  it.each([
    [{ rankdir: 'RL' }, RangeError, `rankdir must be 'LR' or 'TB', got "RL"`],
    [{ precision: 1.5 }, RangeError, 'precision must be an integer from 0 to 100, got 1.5 (number)'],
    [{ precision: 2, format: String }, TypeError, 'give precision or format, not both'],
    [{ showGrad: 'yes' }, TypeError, 'showGrad must be a boolean, got "yes"'],
    [{ maxNodes: 2 }, RangeError, 'maxNodes must be an integer of at least 3 (or Infinity), got 2 (number)'],
    [{ overflow: 'truncate' }, RangeError, `overflow must be 'error' or 'summary', got "truncate"`],
    [{ highlight: 'red' }, RangeError, `highlight must be 'none', 'grad' or a function, got "red"`],
    [{ format: () => 1 }, TypeError, 'format(-8) must return a string, got 1 (number)'],
  ])('rejects the option %o', (options, type, message) => {
    const { root } = lossExample();

    expect(() => toDot(root, options as never)).toThrow(type);
    expect(() => toDot(root, options as never)).toThrow(message);
  });
});

describe('opLabel', () => {
  it('names each op as people write it', () => {
    const x = new Value(0.5);

    const names = [
      x.add(1),
      x.mul(2),
      x.pow(2),
      x.div(new Value(4)).children[1]!,
      x.relu(),
      x.tanh(),
      x.exp(),
      x.log(),
      x.sigmoid(),
      x,
    ].map(opLabel);

    expect(names).toEqual(['+', '*', '**2', '**-1', 'relu', 'tanh', 'exp', 'log', 'sigmoid', '']);
  });
});
