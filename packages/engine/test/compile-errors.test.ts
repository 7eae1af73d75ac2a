import { afterEach, describe, expect, it, vi } from 'vitest';
import { TraceError, Value, compile } from '../src/index.js';
import { thrownBy } from '@mg/test-utils';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('compile tracing limits', () => {
  it('throws a TypeError that explains why when the function reads .data of an input', () => {
    const w = new Value(2);

    const build = () => compile(([x]) => (x!.data > 0 ? x!.mul(w) : x!.neg()), { inputs: 1 });

    expect(build).toThrow(TypeError);
    expect(build).toThrow(/cannot read \.data of a traced value.*control flow that depends on data/);
  });

  it('throws when the function branches on .data of a captured parameter', () => {
    const w = new Value(2);

    const build = () => compile(([x]) => (w.data > 0 ? x!.mul(w) : x!), { inputs: 1 });

    expect(build).toThrow(/cannot read \.data of a traced value \(an input or parameter\)/);
    expect(w.data).toBe(2);
  });

  it('throws when the function branches on .data of a value computed from parameters alone', () => {
    const w = new Value(2);

    const build = () =>
      compile(
        ([x]) => {
          const w2 = w.mul(w);
          return w2.data > 1 ? x!.mul(w2) : x!;
        },
        { inputs: 1 },
      );

    expect(build).toThrow(/cannot read \.data of a traced value \(the result of mul\)/);
  });

  it('lets the function read .data of a captured Value it uses only as a number', () => {
    const scale = new Value(3);
    const w = new Value(2);

    const program = compile(([x]) => x!.mul(w).mul(scale.data), { inputs: 1 });

    expect(program.parameters).toEqual([w]);
    expect(program.run([5])).toBe(30);
    expect(w.grad).toBe(15);
  });

  it('refuses a Value computed outside the traced function, naming its op', () => {
    const w = new Value(3);
    const w2 = w.mul(2);

    expect(() => compile(([x]) => x!.mul(w2), { inputs: 1 })).toThrow(/result of mul computed outside it/);
  });

  it('refuses a function that returns something other than Values', () => {
    expect(() => compile(() => 3 as unknown as Value, { inputs: 1 })).toThrow(/must return Values/);
  });

  it('treats captured leaves as parameters and Values made inside as constants', () => {
    const w = new Value(3, { label: 'w' });

    const program = compile(([x]) => x!.mul(w).add(new Value(1)), { inputs: 1 });
    const loss = program.run([2]);

    expect(program.parameters).toEqual([w]);
    expect(loss).toBe(7);
    expect(w.grad).toBe(2);
  });
});

describe('compile run-time errors', () => {
  it.each(['wasm', 'interpreter'] as const)(
    '%s: names the op when a value is not finite and leaves gradients unchanged',
    (backend) => {
      const w = new Value(1.5);
      w.grad = 0.25;
      const program = compile(([x]) => x!.mul(w).log(), { inputs: 1, backend });

      expect(() => program.run([1, -1])).toThrow(/the result of log\(-1\.5\) is not finite \(sample 1, node/);
      expect(w.grad).toBe(0.25);
    },
  );

  it.each(['wasm', 'interpreter'] as const)('%s: names the op when a gradient is not finite', (backend) => {
    const w = new Value(0);
    const program = compile(([x]) => w.mul(x!).pow(0.5), { inputs: 1, backend });

    expect(() => program.run([2])).toThrow(
      /the gradient of pow\(0\) with exponent 0\.5 is not finite \(sample 0, node/,
    );
  });

  it('rejects batches that are not whole samples of finite numbers', () => {
    const w = new Value(1);
    const program = compile(([x, y]) => x!.mul(w).sub(y!), { inputs: 2 });

    expect(() => program.run([1, 2, 3])).toThrow(/batch length 3 is not a positive multiple of 2/);
    expect(() => program.run([1, Number.NaN])).toThrow(/batch\[1\] must be a finite number, got NaN/);
    expect(() => program.run([])).toThrow(RangeError);
  });

  it('rejects bad options with the value it got', () => {
    expect(() => compile(([x]) => x!, { inputs: -1 })).toThrow(
      /inputs must be a non-negative integer, got -1/,
    );
    expect(() => compile(([x]) => x!, { inputs: 1, backend: 'gpu' as 'wasm' })).toThrow(/got "gpu"/);
    expect(() => compile(([x]) => x!, { inputs: 1, backend: 'js' as 'wasm' })).toThrow(
      /'js' \(generated JavaScript\) was replaced by 'wasm'/,
    );
  });
});

describe('compile back ends', () => {
  it('picks the interpreter where compiling WebAssembly is forbidden (a CSP without wasm-unsafe-eval), and refuses wasm there', () => {
    const real = (
      globalThis as unknown as {
        WebAssembly: { CompileError: new (message: string) => Error; Memory: unknown };
      }
    ).WebAssembly;
    vi.stubGlobal('WebAssembly', {
      ...real,
      Memory: real.Memory,
      Module: function refused() {
        throw new real.CompileError(
          "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source",
        );
      },
    });
    const w = new Value(2);

    const program = compile(([x]) => x!.mul(w), { inputs: 1 });

    expect(program.backend).toBe('interpreter');
    expect(program.run([3])).toBe(6);
    expect(() => compile(([x]) => x!.mul(w), { inputs: 1, backend: 'wasm' })).toThrow(
      /backend 'wasm' cannot run on this host \(compiling WebAssembly failed: .*wasm-unsafe-eval/,
    );
  });

  it('picks WebAssembly by default where it can', () => {
    const w = new Value(2);

    expect(compile(([x]) => x!.mul(w), { inputs: 1 }).backend).toBe('wasm');
  });

  it('runs several batch sizes with one program, and evaluate leaves gradients alone', () => {
    const w = new Value(0.5);
    const b = new Value(-1);
    const program = compile(([x]) => [w.mul(x!).add(b).tanh(), w.mul(x!)], { inputs: 1 });

    const one = program.run([0.3]);
    const gradAfterOne = w.grad;
    const three = program.evaluate([0.3, 1, -2]);

    expect(one).toBe(new Value(0.5).mul(0.3).add(-1).tanh().data);
    expect(three).toBe(
      [0.3, 1, -2].map((x) => new Value(0.5).mul(x).add(-1).tanh()).reduce((s, v) => s.add(v)).data,
    );
    expect(w.grad).toBe(gradAfterOne);
    expect(Array.from(program.outputs)).toEqual(
      [0.5 * 0.3 - 1, 0.15, 0.5 - 1, 0.5, -1 - 1, -1].map((v, i) => (i % 2 === 0 ? Math.tanh(v) : v)),
    );
    expect(program.output(2, 1)).toBe(-1);
    expect(() => program.output(3, 0)).toThrow(
      /no output 0 of sample 3 \(the last run had 3 samples of 2 outputs\)/,
    );
  });
});

describe('TraceError', () => {
  it('is what tracing throws for every refusal, and still a TypeError', () => {
    const w = new Value(2);
    const w2 = w.mul(2);
    const refusals = [
      () => compile(([x]) => (x!.data > 0 ? x! : x!.neg()), { inputs: 1 }),
      () => compile(([x]) => x!.mul(w2), { inputs: 1 }),
      () => compile(() => 3 as unknown as Value, { inputs: 1 }),
      () => compile(([x]) => x!.mul(w), { inputs: 1, reduce: () => 1 as unknown as Value }).run([1]),
    ];

    for (const refuse of refusals) {
      const caught = thrownBy(refuse);

      expect(caught).toBeInstanceOf(TraceError);
      expect(caught).toBeInstanceOf(TypeError);
      expect((caught as Error).name).toBe('TraceError');
    }
  });

  it('is not thrown for run-time errors, which are RangeErrors', () => {
    const w = new Value(1.5);
    const program = compile(([x]) => x!.mul(w).log(), { inputs: 1 });

    expect(() => program.run([-1])).toThrow(RangeError);
    expect(() => program.run([-1])).not.toThrow(TraceError);
  });
});
