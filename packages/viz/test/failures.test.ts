import { describe, expect, it, vi } from 'vitest';
import { Value, topologicalOrder } from '@mg/engine';
import { thrownBy } from '@mg/test-utils';
import { graphStats, opLabel, toDot, toSvg } from '../src/index.js';
import { parseDot } from './parse-dot.js';

// Every failure: the exact error class, the shape of its message (naming the argument and
// quoting the value), and the state it leaves: the graph deep-equal to what it was before.

/** Smuggles a wrongly typed argument past TypeScript, as plain JavaScript callers can. */
const untyped = (x: unknown): never => x as never;

/** Every data, grad and label of a graph, in order: what drawing must never change. */
const snapshot = (root: Value) =>
  topologicalOrder(root).map((v) => ({ data: v.data, grad: v.grad, label: v.label }));

/** The lecture's L = (a*b + c) * f, after backward. */
function lecture(): Value {
  const [a, b, c, f] = [new Value(2, 'a'), new Value(-3, 'b'), new Value(10, 'c'), new Value(-2, 'f')];
  const L = a.mul(b).add(c).mul(f);
  L.label = 'L';
  L.backward();
  return L;
}

// A Value from a second copy of @mg/engine (an ESM and a CommonJS import of it in one process).
type Engine = typeof import('@mg/engine');
vi.resetModules();
const engineName = '@mg/engine';
const other = (await import(/* @vite-ignore */ engineName)) as Engine;
vi.resetModules();
const foreign = (): Value => new other.Value(1).mul(2);

interface Failure {
  what: string;
  act: (root: Value) => unknown;
  error: typeof TypeError | typeof RangeError;
  message: RegExp;
}

const failures: Failure[] = [
  {
    what: 'toDot(null)',
    act: () => toDot(untyped(null)),
    error: TypeError,
    message: /^toDot: root must be a Value, got null$/,
  },
  {
    what: 'graphStats(null)',
    act: () => graphStats(untyped(null)),
    error: TypeError,
    message: /^graphStats: root must be a Value, got null$/,
  },
  {
    what: 'opLabel(null)',
    act: () => opLabel(untyped(null)),
    error: TypeError,
    message: /^opLabel: value must be a Value, got null$/,
  },
  {
    what: 'opLabel of a string',
    act: () => opLabel(untyped('tanh')),
    error: TypeError,
    message: /^opLabel: value must be a Value, got "tanh"$/,
  },
  {
    what: 'toDot of a Value from another copy of @mg/engine',
    act: () => toDot(foreign()),
    error: TypeError,
    message: /^toDot: root is a Value from another copy of @mg\/engine: .*dedupe.*peer dependency/,
  },
  {
    what: 'graphStats of a Value from another copy of @mg/engine',
    act: () => graphStats(foreign()),
    error: TypeError,
    message: /^graphStats: root is a Value from another copy of @mg\/engine/,
  },
  {
    what: 'a label set to a number before drawing',
    act: (root) => {
      root.label = untyped(42);
      return toDot(root);
    },
    error: TypeError,
    message: /^Value\.label: expected a string, got 42 \(number\)$/,
  },
  {
    what: 'a grad set to a string before drawing',
    act: (root) => {
      const leaf = topologicalOrder(root)[0]!;
      const grad = leaf.grad;
      leaf.grad = untyped('0.5');
      try {
        return toDot(root);
      } finally {
        leaf.grad = grad;
      }
    },
    error: TypeError,
    message:
      /^toDot: the grad of every value drawn must be a number, got "0\.5" \(Value\(data=2, grad=0\.5, label="a"\)\)$/,
  },
  {
    what: 'an unknown toDot option',
    act: (root) => toDot(root, untyped({ bogus: 1 })),
    error: TypeError,
    message:
      /^toDot: unknown option "bogus"; the options are rankdir, precision, format, showGrad, title, maxNodes, overflow, highlight$/,
  },
  {
    what: 'a misspelt toDot option',
    act: (root) => toDot(root, untyped({ rankDir: 'TB' })),
    error: TypeError,
    message: /^toDot: unknown option "rankDir" \(did you mean "rankdir"\?\); the options are /,
  },
  {
    what: 'toDot options that are a string',
    act: (root) => toDot(root, untyped('TB')),
    error: TypeError,
    message: /^toDot: options must be an object, got "TB"$/,
  },
  {
    what: 'toDot options that are a Map',
    act: (root) => toDot(root, untyped(new Map([['rankdir', 'XX']]))),
    error: TypeError,
    message: /^toDot: options must be a plain object \(\{ \.\.\. \}\), got a Map$/,
  },
  {
    what: 'toDot options that are a Date',
    act: (root) => toDot(root, untyped(new Date(0))),
    error: TypeError,
    message: /^toDot: options must be a plain object \(\{ \.\.\. \}\), got a Date$/,
  },
  {
    what: 'toDot options that inherit their keys',
    act: (root) => toDot(root, untyped(Object.create({ rankdir: 'XX' }))),
    error: TypeError,
    message:
      /^toDot: options must be a plain object \(\{ \.\.\. \}\), got an object whose prototype is not Object\.prototype$/,
  },
  {
    what: 'graphStats options that are a Map',
    act: (root) => graphStats(root, untyped(new Map([['maxNodes', 1]]))),
    error: TypeError,
    message: /^graphStats: options must be a plain object \(\{ \.\.\. \}\), got a Map$/,
  },
  {
    what: 'maxNodes given as a string',
    act: (root) => toDot(root, untyped({ maxNodes: '10' })),
    error: TypeError,
    message: /^toDot: maxNodes must be an integer of at least 3 \(or Infinity\), got "10"$/,
  },
  {
    what: 'a graph over the cap',
    act: (root) => toDot(root, { maxNodes: 5 }),
    error: RangeError,
    message: /^toDot: the graph has more than maxNodes \(5\) nodes to draw; .*graphStats\(root\)$/,
  },
  {
    what: 'graphStats of a graph over its cap',
    act: (root) => graphStats(root, { maxNodes: 5 }),
    error: RangeError,
    message: /^graphStats: the graph has more than maxNodes \(5\) nodes \(values plus ops\)$/,
  },
  {
    what: 'graphStats with a cap of 0',
    act: (root) => graphStats(root, { maxNodes: 0 }),
    error: RangeError,
    message: /^graphStats: maxNodes must be an integer of at least 1 \(or Infinity\), got 0 \(number\)$/,
  },
  {
    what: 'an unknown graphStats option',
    act: (root) => graphStats(root, untyped({ max: 5 })),
    error: TypeError,
    message: /^graphStats: unknown option "max"; the options are maxNodes$/,
  },
  {
    what: 'a highlight function returning a number',
    act: (root) => toDot(root, { highlight: untyped(() => 7) }),
    error: TypeError,
    message:
      /^toDot: highlight\(Value\(data=-8, grad=1, label="L"\)\) must return a colour string or undefined, got 7 \(number\)$/,
  },
];

describe('failures', () => {
  it('have a second copy of the engine to test with', () => {
    expect(other.Value).not.toBe(Value);
  });

  it.each(failures)('$what: a $error.name, and the graph unchanged', ({ act, error, message }) => {
    const root = lecture();
    const before = structuredClone(snapshot(root));

    const thrown = thrownBy(() => act(root));

    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).constructor).toBe(error);
    expect((thrown as Error).message).toMatch(message);
    expect(snapshot(root)).toEqual(before);
  });

  it('names toSvg, the function called, in the errors of the options it draws a Value with', async () => {
    const root = lecture();

    await expect(toSvg(root, untyped({ rankDir: 'TB' }))).rejects.toThrow(
      new TypeError(
        'toSvg: unknown option "rankDir" (did you mean "rankdir"?); the options are rankdir, precision, format, showGrad, title, maxNodes, overflow, highlight',
      ),
    );
    await expect(toSvg(root, { precision: 101 })).rejects.toThrow(
      new RangeError('toSvg: precision must be an integer from 0 to 100, got 101 (number)'),
    );
    await expect(toSvg(root, untyped(new Map()))).rejects.toThrow(
      new TypeError('toSvg: options must be a plain object ({ ... }), got a Map'),
    );
    await expect(toSvg(root, { maxNodes: 5 })).rejects.toThrow(
      /^toSvg: the graph has more than maxNodes \(5\)/,
    );
  });

  it('rejects (not throws) from toSvg, for a Value of another copy too', async () => {
    await expect(toSvg(foreign())).rejects.toThrow(
      /^toSvg: input is a Value from another copy of @mg\/engine/,
    );
    await expect(toSvg(untyped(null))).rejects.toThrow(
      new TypeError('toSvg: input must be a Value or a DOT string, got null'),
    );
  });
});

describe("highlight: 'grad' with gradients a user has set to anything", () => {
  it('never writes NaN into a colour: Infinity at full strength, NaN grey, the others scaled by the largest finite one', () => {
    const [a, b, c] = [new Value(1, 'a'), new Value(2, 'b'), new Value(3, 'c')];
    const root = a.add(b).add(c);
    root.label = 'root';
    [a.grad, b.grad, c.grad, root.grad] = [Infinity, NaN, -2, 1];

    const fills = new Map(
      [...toDot(root, { highlight: 'grad' }).matchAll(/fillcolor="([^"]*)", label="\{ (\w+) /g)].map((m) => [
        m[2]!,
        m[1]!,
      ]),
    );

    expect(Object.fromEntries(fills)).toEqual({
      root: '#2f7fd873',
      a: '#2f7fd8bf',
      b: '#b0b0b0',
      c: '#d8432fbf',
    });
    expect(parseDot(toDot(root, { highlight: 'grad' })).values.size).toBe(5);
  });
});
