import { describe, expect, it } from 'vitest';
import { TraceError, Value, compile, getData, setData } from '../src/index.js';

describe('getData', () => {
  it("reads every value's data in order into out and returns out", () => {
    const values = [new Value(0.5), new Value(-0), new Value(1e308), new Value(-3).mul(2)];
    const out = new Float64Array(4).fill(7);

    expect(getData(values, out)).toBe(out);
    expect(Array.from(out)).toEqual(values.map((v) => v.data));
    expect(Object.is(out[1], -0)).toBe(true);
    expect(getData([], new Float64Array(0))).toHaveLength(0);
  });

  it('reads the numbers set since the last call, from a frozen array as from any other', () => {
    const values = Object.freeze([new Value(1), new Value(2)]);
    const out = new Float64Array(2);
    getData(values, out);
    values[1]!.data = 5;

    expect(Array.from(getData(values, out))).toEqual([1, 5]);
  });

  it('refuses what is not an array of Values, a Float64Array, or one number per value', () => {
    const v = new Value(1);

    expect(() => getData(2 as never, new Float64Array(1))).toThrow(
      new TypeError('getData: values must be an array of Values, got 2 (number)'),
    );
    expect(() => getData([v, 'x' as never], new Float64Array(2))).toThrow(
      new TypeError('getData: values[1] must be a Value, got "x"'),
    );
    expect(() => getData([v], [0] as never)).toThrow(
      new TypeError('getData: out must be a Float64Array, got [0] (an array of 1)'),
    );
    expect(() => getData([v, v], new Float64Array(1))).toThrow(
      new RangeError('getData: out has 1 number for 2 values; give one per value'),
    );
    expect(() => getData([v], new Float64Array(2))).toThrow(
      new RangeError('getData: out has 2 numbers for 1 value; give one per value'),
    );
  });

  it('checks an array that can still change on every call', () => {
    const values: Value[] = [new Value(1), new Value(2)];
    getData(values, new Float64Array(2));
    values[1] = {} as never;

    expect(() => getData(values, new Float64Array(2))).toThrow(
      new TypeError('getData: values[1] must be a Value, got an object'),
    );
  });

  it('inside a function being compiled, refuses a parameter as reading .data does', () => {
    const w = new Value(3, { label: 'w' });
    const message = (run: () => unknown): unknown => {
      try {
        run();
      } catch (e) {
        return e instanceof TraceError ? e.message : e;
      }
      return 'no error';
    };

    const expected = message(() => compile(([x]) => [x!.mul(w.data > 0 ? w : 1)], { inputs: 1 }));
    const got = message(() =>
      compile(([x]) => [x!.mul(getData([w], new Float64Array(1))[0]! > 0 ? w : 1)], { inputs: 1 }),
    );

    expect(expected).toMatch(
      /^compile: cannot read \.data of a traced value \(an input or parameter labelled "w"\)/,
    );
    expect(got).toBe(expected);
  });
});

describe('setData', () => {
  it("sets every value's data in order, -0 kept", () => {
    const values = [new Value(1), new Value(2), new Value(3)];

    setData(values, Float64Array.of(0.25, -0, -1e308));

    expect(values.map((v) => v.data)).toEqual([0.25, -0, -1e308]);
    expect(Object.is(values[1]!.data, -0)).toBe(true);
  });

  it('writes nothing when a number is not finite, and names it as setting data does', () => {
    const values = [new Value(1), new Value(2), new Value(3)];

    expect(() => {
      setData(values, Float64Array.of(4, 5, Infinity));
    }).toThrow(new RangeError('setData: from[2]: expected a finite number, got Infinity'));
    expect(() => {
      setData(values, Float64Array.of(4, NaN, 6));
    }).toThrow(new TypeError('setData: from[1]: expected a number, got NaN (number)'));
    expect(() => {
      setData(values, Float64Array.of(-Infinity, 5, 6));
    }).toThrow(new RangeError('setData: from[0]: expected a finite number, got -Infinity'));
    expect(values.map((v) => v.data)).toEqual([1, 2, 3]);
    // The same numbers set one at a time are refused the same way.
    expect(() => {
      values[2]!.data = Infinity;
    }).toThrow(RangeError);
  });

  it('refuses what is not an array of Values, a Float64Array, or one number per value, writing nothing', () => {
    const v = new Value(1);

    expect(() => {
      setData({ length: 1 } as never, new Float64Array(1));
    }).toThrow(new TypeError('setData: values must be an array of Values, got an object'));
    expect(() => {
      setData([v, null as never], new Float64Array(2));
    }).toThrow(new TypeError('setData: values[1] must be a Value, got null'));
    expect(() => {
      setData([v], new Float32Array(1) as never);
    }).toThrow(new TypeError('setData: from must be a Float64Array, got a Float32Array'));
    expect(() => {
      setData([v], Float64Array.of(2, 3));
    }).toThrow(new RangeError('setData: from has 2 numbers for 1 value; give one per value'));
    expect(v.data).toBe(1);
  });

  it('round-trips with getData', () => {
    const values = Array.from({ length: 50 }, (_, i) => new Value(i / 7 - 3));
    const numbers = getData(values, new Float64Array(50));
    const copies = values.map(() => new Value(0));

    setData(copies, numbers);

    expect(copies.map((v) => v.data)).toEqual(values.map((v) => v.data));
  });
});
