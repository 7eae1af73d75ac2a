import { describe, expect, it, vi } from 'vitest';
import { Value, div, dot, gradcheck, sub, sum, topologicalOrder, valueAndGrad } from '../src/index.js';
import { thrownBy } from '@mg/test-utils';

// Every failure: the exact error class, the shape of its message (naming the argument and
// quoting the value), and the state it leaves: deep-equal to the state before the call.

/** Smuggles a wrongly typed argument past TypeScript, as plain JavaScript callers can. */
const untyped = (x: unknown): never => x as never;

/** Every data and grad of a graph, in order, plus the labels: what a failure must not change. */
const snapshot = (...roots: Value[]) =>
  roots.flatMap((root) =>
    topologicalOrder(root).map((v) => ({ data: v.data, grad: v.grad, label: v.label })),
  );

interface Failure {
  what: string;
  /** Builds the situation; `act` is the call that fails, `state` reads what it must not change. */
  arrange: () => { act: () => unknown; state: () => unknown };
  error: typeof TypeError | typeof RangeError;
  message: RegExp;
}

// A Value from a second copy of the engine, as an ESM and a CommonJS import of it would give:
// the module registry is emptied and the sources loaded again.
type Engine = typeof import('../src/index.js');
vi.resetModules();
const sources = '../src/index.js';
const other = (await import(/* @vite-ignore */ sources)) as Engine;
vi.resetModules();
const foreign = (x: number): Value => new other.Value(x);

const failures: Failure[] = [
  {
    what: 'backward through log(1e-320) puts back every grad, the ones it already wrote included',
    arrange() {
      const a = new Value(2);
      const b = new Value(1e-320);
      const loss = a.mul(3).add(b.log());
      a.grad = 0.5;
      b.grad = -2;
      return {
        act: () => {
          loss.backward();
        },
        state: () => snapshot(loss),
      };
    },
    error: RangeError,
    message: /^backward: gradient through log\(1e-320\) is not finite \(incoming gradient 1\)$/,
  },
  {
    what: 'backward failing after it has added into other leaves and interior values',
    arrange() {
      const a = new Value(2);
      const b = new Value(1e-320);
      const loss = b.log().add(a.mul(3)).mul(1.5); // a.grad is written before log fails
      loss.zeroGrad();
      new Value(1).add(a).backward(); // an earlier, unrelated pass left a.grad = 1
      return {
        act: () => {
          loss.backward();
        },
        state: () => snapshot(loss),
      };
    },
    error: RangeError,
    message: /^backward: gradient through log\(1e-320\) is not finite \(incoming gradient 1\.5\)$/,
  },
  {
    what: 'an operand from another copy of @mg/engine',
    arrange() {
      const x = new Value(1);
      const y = foreign(2);
      return { act: () => x.add(y), state: () => [snapshot(x), y.data, y.grad] };
    },
    error: TypeError,
    message: /^add: operand is a Value from another copy of @mg\/engine: .*dedupe.*peer dependency/,
  },
  {
    what: 'a Value from another copy of @mg/engine given to sum',
    arrange() {
      const x = new Value(1);
      return { act: () => sum([x, foreign(2)]), state: () => snapshot(x) };
    },
    error: TypeError,
    message: /^sum: values\[1\] is a Value from another copy of @mg\/engine/,
  },
  {
    what: 'a string operand is quoted',
    arrange() {
      const x = new Value(1);
      return { act: () => x.mul(untyped('2')), state: () => snapshot(x) };
    },
    error: TypeError,
    message: /^mul: operand must be a Value or a finite number, got "2"$/,
  },
  {
    what: 'a label that is not a string',
    arrange() {
      const v = new Value(1, 'v');
      return { act: () => (v.label = untyped(42)), state: () => snapshot(v) };
    },
    error: TypeError,
    message: /^Value\.label: expected a string, got 42 \(number\)$/,
  },
  {
    what: 'a misspelt option of new Value',
    arrange: () => ({ act: () => new Value(1, untyped({ lable: 'x' })), state: () => null }),
    error: TypeError,
    message: /^new Value: unknown option "lable" \(did you mean "label"\?\); the options are label$/,
  },
  {
    what: 'options of new Value that are neither a string nor an object',
    arrange: () => ({ act: () => new Value(1, untyped(null)), state: () => null }),
    error: TypeError,
    message: /^new Value: options must be an object, got null$/,
  },
  {
    what: 'gradcheck with inputs that are not an array',
    arrange: () => ({ act: () => gradcheck(([x]) => x!.exp(), untyped(1)), state: () => null }),
    error: TypeError,
    message: /^gradcheck: inputs must be an array of numbers, got 1 \(number\)$/,
  },
  {
    what: 'gradcheck with fn that is not a function',
    arrange: () => ({ act: () => gradcheck(untyped('x'), [1]), state: () => null }),
    error: TypeError,
    message: /^gradcheck: fn must be a function, got "x"$/,
  },
  {
    what: 'gradcheck with fn returning a number',
    arrange: () => ({
      act: () =>
        gradcheck(
          untyped(() => 3),
          [1],
        ),
      state: () => null,
    }),
    error: TypeError,
    message: /^gradcheck: the result of fn must be a Value, got 3 \(number\)$/,
  },
  {
    what: 'gradcheck with eps 0 (a division by zero)',
    arrange: () => ({ act: () => gradcheck(([x]) => x!.exp(), [1], { eps: 0 }), state: () => null }),
    error: RangeError,
    message: /^gradcheck: options\.eps must be a finite number above 0, got 0 \(number\)$/,
  },
  {
    what: 'gradcheck with a negative eps',
    arrange: () => ({ act: () => gradcheck(([x]) => x!.exp(), [1], { eps: -1 }), state: () => null }),
    error: RangeError,
    message: /^gradcheck: options\.eps must be a finite number above 0, got -1 \(number\)$/,
  },
  {
    what: 'gradcheck with a negative tolerance',
    arrange: () => ({ act: () => gradcheck(([x]) => x!.exp(), [1], { rtol: -1e-5 }), state: () => null }),
    error: RangeError,
    message: /^gradcheck: options\.rtol must be a finite number 0 or more, got -0\.00001 \(number\)$/,
  },
  {
    what: 'gradcheck with a tolerance that is a string',
    arrange: () => ({
      act: () => gradcheck(([x]) => x!.exp(), [1], { atol: untyped('1e-7') }),
      state: () => null,
    }),
    error: TypeError,
    message: /^gradcheck: options\.atol must be a number, got "1e-7"$/,
  },
  {
    what: 'gradcheck with an unknown option',
    arrange: () => ({
      act: () => gradcheck(([x]) => x!.exp(), [1], untyped({ epsilon: 1e-6 })),
      state: () => null,
    }),
    error: TypeError,
    message: /^gradcheck: unknown option "epsilon"; the options are eps, rtol, atol$/,
  },
  {
    what: 'gradcheck with an option set to null (a default taken by `??` before)',
    arrange: () => ({
      act: () => gradcheck(([x]) => x!.exp(), [1], untyped({ eps: null })),
      state: () => null,
    }),
    error: TypeError,
    message: /^gradcheck: option "eps" is null; leave it out for its default$/,
  },
  {
    what: 'sum of an empty array',
    arrange: () => ({ act: () => sum([]), state: () => null }),
    error: RangeError,
    message: /^sum: values is an empty array and there is no start/,
  },
  {
    what: 'sum of something that is not an array',
    arrange: () => ({ act: () => sum(untyped('xy')), state: () => null }),
    error: TypeError,
    message: /^sum: values must be an array of Values and numbers, got "xy"$/,
  },
  {
    what: 'sum with a string among the values',
    arrange() {
      const x = new Value(1);
      return { act: () => sum([x, untyped('2')]), state: () => snapshot(x) };
    },
    error: TypeError,
    message: /^sum: values\[1\] must be a Value or a finite number, got "2"$/,
  },
  {
    what: 'dot of arrays of different lengths',
    arrange() {
      const w = [new Value(1), new Value(2)];
      return { act: () => dot(w, [1]), state: () => snapshot(...w) };
    },
    error: RangeError,
    message: /^dot: ws and xs must have the same length, got 2 weights and 1 inputs$/,
  },
  {
    what: 'dot with a NaN input',
    arrange() {
      const w = [new Value(1), new Value(2)];
      return { act: () => dot(w, [1, NaN]), state: () => snapshot(...w) };
    },
    error: TypeError,
    message: /^dot: xs\[1\] must be a Value or a finite number, got NaN \(number\)$/,
  },
  {
    what: 'div(1, x) with x = 0',
    arrange() {
      const x = new Value(0);
      return { act: () => div(1, x), state: () => snapshot(x) };
    },
    error: RangeError,
    message: /^div: division by zero \(Value\(data=1, grad=0\) \/ Value\(data=0, grad=0\)\)$/,
  },
  {
    what: 'sub with a string first',
    arrange: () => ({ act: () => sub(untyped('1'), new Value(2)), state: () => null }),
    error: TypeError,
    message: /^sub: a must be a Value or a finite number, got "1"$/,
  },
  {
    what: 'valueAndGrad of something that is not a function',
    arrange: () => ({ act: () => valueAndGrad(untyped(null)), state: () => null }),
    error: TypeError,
    message: /^valueAndGrad: f must be a function, got null$/,
  },
  {
    what: 'valueAndGrad called with a string',
    arrange: () => ({ act: () => valueAndGrad((x) => x.exp())(untyped('1')), state: () => null }),
    error: TypeError,
    message: /^valueAndGrad: argument 0: expected a number, got "1"$/,
  },
  {
    what: 'valueAndGrad called with Infinity (a RangeError, as new Value(Infinity) is)',
    arrange: () => ({ act: () => valueAndGrad((x) => x.exp())(Infinity), state: () => null }),
    error: RangeError,
    message: /^valueAndGrad: argument 0: expected a finite number, got Infinity$/,
  },
  {
    what: 'backward with a leaf gradient a user set to NaN (a TypeError, as new Value(NaN) is)',
    arrange() {
      const w = new Value(2, 'w');
      const loss = w.mul(3).add(1);
      loss.backward();
      w.grad = NaN;
      return {
        act: () => {
          loss.backward();
        },
        state: () => snapshot(loss),
      };
    },
    error: TypeError,
    message:
      /^backward: the gradient of leaf "w" \(data 2\) must be a finite number, got NaN \(number\); set grad to finite numbers only$/,
  },
  {
    what: 'backward with a leaf gradient a user set to a string (it would become "02")',
    arrange() {
      const q = new Value(3);
      const loss = q.mul(2);
      (q as { grad: unknown }).grad = '0';
      return {
        act: () => {
          loss.backward();
        },
        state: () => [q.grad, snapshot(loss)],
      };
    },
    error: TypeError,
    message:
      /^backward: the gradient of a leaf \(data 3\) must be a finite number, got "0"; set grad to finite numbers only$/,
  },
  {
    what: 'backward with a leaf gradient a user set to -Infinity (a RangeError)',
    arrange() {
      const w = new Value(2);
      const loss = w.exp();
      w.grad = -Infinity;
      return {
        act: () => {
          loss.backward();
        },
        state: () => snapshot(loss),
      };
    },
    error: RangeError,
    message:
      /^backward: the gradient of a leaf \(data 2\) must be finite, got -Infinity; set grad to finite numbers only$/,
  },
  {
    what: 'topologicalOrder of something that is not a Value',
    arrange: () => ({ act: () => topologicalOrder(untyped('x')), state: () => null }),
    error: TypeError,
    message: /^topologicalOrder: root must be a Value, got "x"$/,
  },
  {
    what: 'gradcheck with a hole in its inputs',
    arrange: () => ({
      // eslint-disable-next-line no-sparse-arrays
      act: () => gradcheck(([a, , b]) => a!.add(b!), untyped([1, , 2])),
      state: () => null,
    }),
    error: TypeError,
    message: /^gradcheck: inputs\[1\]: expected a number, got undefined$/,
  },
  {
    what: 'gradcheck options given as a Map',
    arrange: () => ({
      act: () => gradcheck(([x]) => x!.exp(), [1], untyped(new Map([['eps', -1]]))),
      state: () => null,
    }),
    error: TypeError,
    message: /^gradcheck: options must be a plain object \(\{ \.\.\. \}\), got a Map$/,
  },
  {
    what: 'gradcheck where a probe overflows',
    arrange: () => ({ act: () => gradcheck(([x]) => x!.mul(0.5), [Number.MAX_VALUE]), state: () => null }),
    error: RangeError,
    message:
      /^gradcheck: inputs\[0\] \+ h is not finite \(inputs\[0\] = 1\.7976931348623157e\+308, h = 1\.7976931348623154e\+302\): take a smaller options\.eps$/,
  },
  {
    what: 'gradcheck where fn fails at a probe but not at the input',
    arrange: () => ({ act: () => gradcheck(([x]) => x!.log(), [1e-7]), state: () => null }),
    error: RangeError,
    message:
      /^gradcheck: fn failed at inputs\[0\] - h = -9e-7 \(h = 0\.000001\), a step outside its domain: log: argument must be positive, got -9e-7; take a smaller options\.eps$/,
  },
  {
    what: 'valueAndGrad whose backward fails leaves captured parameters as they were',
    arrange() {
      const w = new Value(3);
      w.grad = 0.25;
      const f = valueAndGrad((x) => x.log().mul(w));
      return { act: () => f(1e-320), state: () => snapshot(w) };
    },
    error: RangeError,
    message: /^backward: gradient through log\(1e-320\) is not finite \(incoming gradient 3\)$/,
  },
  {
    what: 'gradcheck whose backward fails leaves captured parameters as they were',
    arrange() {
      const w = new Value(3);
      w.grad = 0.25;
      return { act: () => gradcheck(([x]) => x!.log().mul(w), [1e-320]), state: () => snapshot(w) };
    },
    error: RangeError,
    message: /^backward: gradient through log\(1e-320\) is not finite \(incoming gradient 3\)$/,
  },
];

describe('failures', () => {
  it('has a second copy of the engine to test with: a different Value class with the same brand', () => {
    expect(other.Value).not.toBe(Value);
    expect(foreign(1) instanceof Value).toBe(false);
  });

  it.each(failures)('$what: a $error.name, and nothing changed', ({ arrange, error, message }) => {
    const { act, state } = arrange();
    const before: unknown = structuredClone(state());

    const thrown = thrownBy(act);

    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).constructor).toBe(error);
    expect((thrown as Error).message).toMatch(message);
    expect(state()).toEqual(before);
  });
});

describe('gradcheck', () => {
  it('leaves the gradients of the Values its function captures as they were', () => {
    const w = new Value(1.5);
    w.grad = -4;

    const result = gradcheck(([x]) => x!.mul(w).tanh(), [0.2]);

    expect(result.ok).toBe(true);
    expect(w.grad).toBe(-4);
  });
});
