import { describe, expect, it } from 'vitest';
import { Value, gradcheck } from '../src/index.js';

// Bad input throws a typed error naming the operation and quoting the value, never a silent NaN.
// Non-numbers and NaN are TypeErrors; ±Infinity, domain errors and non-finite results RangeErrors.

/** Smuggles a wrongly typed argument past TypeScript, as plain JavaScript callers can. */
const untyped = (x: unknown): never => x as never;

interface BadInput {
  what: string;
  run: () => unknown;
  error: typeof TypeError | typeof RangeError;
  message: RegExp;
}

const badInputs: BadInput[] = [
  // new Value and Value.data
  {
    what: 'new Value of a string',
    run: () => new Value(untyped('1')),
    error: TypeError,
    message: /^new Value: .*"1"/,
  },
  {
    what: 'new Value of undefined',
    run: () => new Value(untyped(undefined)),
    error: TypeError,
    message: /^new Value: .*undefined/,
  },
  { what: 'new Value of NaN', run: () => new Value(NaN), error: TypeError, message: /^new Value: .*NaN/ },
  {
    what: 'new Value of Infinity',
    run: () => new Value(Infinity),
    error: RangeError,
    message: /^new Value: .*Infinity/,
  },
  {
    what: 'new Value of -Infinity',
    run: () => new Value(-Infinity),
    error: RangeError,
    message: /^new Value: .*-Infinity/,
  },
  {
    what: 'new Value with a non-string label',
    run: () => new Value(1, { label: untyped(5) }),
    error: TypeError,
    message: /^new Value: label .*5/,
  },
  {
    what: 'setting data to NaN',
    run: () => (new Value(1).data = NaN),
    error: TypeError,
    message: /^Value\.data: .*NaN/,
  },
  {
    what: 'setting data to Infinity',
    run: () => (new Value(1).data = Infinity),
    error: RangeError,
    message: /^Value\.data: .*Infinity/,
  },
  // operands of every binary op
  {
    what: 'add of a string',
    run: () => new Value(1).add(untyped('2')),
    error: TypeError,
    message: /^add: .*"2"/,
  },
  { what: 'add of NaN', run: () => new Value(1).add(NaN), error: TypeError, message: /^add: .*NaN/ },
  {
    what: 'add of Infinity',
    run: () => new Value(1).add(Infinity),
    error: RangeError,
    message: /^add: .*Infinity/,
  },
  {
    what: 'mul of null',
    run: () => new Value(1).mul(untyped(null)),
    error: TypeError,
    message: /^mul: .*null/,
  },
  { what: 'mul of NaN', run: () => new Value(1).mul(NaN), error: TypeError, message: /^mul: .*NaN/ },
  {
    what: 'mul of -Infinity',
    run: () => new Value(1).mul(-Infinity),
    error: RangeError,
    message: /^mul: .*-Infinity/,
  },
  {
    what: 'sub of an object',
    run: () => new Value(1).sub(untyped({})),
    error: TypeError,
    message: /^sub: .*object/,
  },
  { what: 'sub of NaN', run: () => new Value(1).sub(NaN), error: TypeError, message: /^sub: .*NaN/ },
  {
    what: 'div of an array',
    run: () => new Value(1).div(untyped([2])),
    error: TypeError,
    message: /^div: .*array/,
  },
  { what: 'div of NaN', run: () => new Value(1).div(NaN), error: TypeError, message: /^div: .*NaN/ },
  {
    what: 'div of a boolean',
    run: () => new Value(1).div(untyped(true)),
    error: TypeError,
    message: /^div: .*true/,
  },
  // pow's exponent
  {
    what: 'pow with a Value exponent',
    run: () => new Value(2).pow(untyped(new Value(3))),
    error: TypeError,
    message: /^pow: exponent .*Value\(data=3/,
  },
  {
    what: 'pow with a NaN exponent',
    run: () => new Value(2).pow(NaN),
    error: TypeError,
    message: /^pow: .*NaN/,
  },
  {
    what: 'pow with an infinite exponent',
    run: () => new Value(2).pow(Infinity),
    error: RangeError,
    message: /^pow: .*Infinity/,
  },
  // domain errors
  { what: 'log of 0', run: () => new Value(0).log(), error: RangeError, message: /^log: .*0/ },
  {
    what: 'log of a negative number',
    run: () => new Value(-2.5).log(),
    error: RangeError,
    message: /^log: .*-2\.5/,
  },
  {
    what: 'division by the number 0',
    run: () => new Value(3).div(0),
    error: RangeError,
    message: /^div: division by zero.*data=3/,
  },
  {
    what: 'division by a Value holding 0',
    run: () => new Value(3).div(new Value(0)),
    error: RangeError,
    message: /^div: division by zero.*data=0/,
  },
  {
    what: 'a negative base with a fractional exponent',
    run: () => new Value(-8).pow(1 / 3),
    error: RangeError,
    message: /^pow: .*-8.*0\.333/,
  },
  {
    what: '0 to a negative power',
    run: () => new Value(0).pow(-2),
    error: RangeError,
    message: /^pow: .*-2/,
  },
  // results that overflow
  {
    what: 'exp overflowing',
    run: () => new Value(710).exp(),
    error: RangeError,
    message: /^exp: result is Infinity .*710/,
  },
  {
    what: 'mul overflowing',
    run: () => new Value(1e200).mul(-1e200),
    error: RangeError,
    message: /^mul: result is -Infinity .*1e\+200/,
  },
  {
    what: 'add overflowing',
    run: () => new Value(1.7e308).add(1.7e308),
    error: RangeError,
    message: /^add: result is Infinity .*1\.7e\+308/,
  },
  {
    what: 'pow overflowing',
    run: () => new Value(10).pow(400),
    error: RangeError,
    message: /^pow: result is Infinity .*400/,
  },
  {
    what: 'div overflowing',
    run: () => new Value(1e300).div(1e-300),
    error: RangeError,
    message: /^mul: result is Infinity/,
  },
  // gradients that overflow
  {
    what: 'a gradient overflowing through mul',
    run: () => {
      new Value(1e-300).mul(1e200).mul(1e200).backward();
    },
    error: RangeError,
    message: /^backward: gradient through mul\(1e-300, 1e\+200\)/,
  },
  {
    what: 'a gradient overflowing through log',
    run: () => {
      new Value(1e-320).log().backward();
    },
    error: RangeError,
    message: /^backward: gradient through log\(1e-320\)/,
  },
  {
    what: 'a gradient overflowing through pow',
    run: () => {
      new Value(1e-320).pow(0.001).backward();
    },
    error: RangeError,
    message: /^backward: gradient through pow\(1e-320\) with exponent 0\.001/,
  },
  // gradcheck's inputs
  {
    what: 'gradcheck at NaN',
    run: () => gradcheck(([x]) => x!.exp(), [NaN]),
    error: TypeError,
    message: /^gradcheck: inputs\[0\].*NaN/,
  },
];

describe('bad input', () => {
  it.each(badInputs)(
    'throws a $error.name naming the op and the value for $what',
    ({ run, error, message }) => {
      const act = run;

      expect(act).toThrow(error);
      expect(act).toThrow(message);
    },
  );
});
