import { afterEach, describe, expect, it, vi } from 'vitest';
import { TraceError, Value, compile, ready, sum } from '../src/index.js';
import { thrownBy } from '@mg/test-utils';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('compile tracing limits', () => {
  it('throws a TypeError that explains why when the function reads .data of an input', () => {
    const w = new Value(2);

    const build = () => compile(([x]) => (x!.data > 0 ? x!.mul(w) : x!.neg()), { inputs: 1 });

    expect(build).toThrow(TypeError);
    expect(build).toThrow(
      /cannot read \.data of a traced value \(an input or parameter labelled "input 0"\).*control flow that depends on data/,
    );
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

  it('refuses a read of .data of a captured Value used only as a number: a later change would be ignored', () => {
    const scale = new Value(3, 'scale');
    const w = new Value(2);

    expect(() => compile(([x]) => x!.mul(w).mul(scale.data), { inputs: 1 })).toThrow(
      /^compile: the traced function reads \.data of a Value made outside it \(Value\(data=3, grad=0, label="scale"\)\): its number would be fixed into the program/,
    );
    // The fixes it names: the Value itself in an op (a parameter, read every run), or a plain number.
    const live = compile(([x]) => x!.mul(w).mul(scale), { inputs: 1 });
    const s = scale.data;
    const fixed = compile(([x]) => x!.mul(w).mul(s), { inputs: 1 });
    scale.data = 4;
    expect(live.run([5])).toBe(40);
    expect(fixed.run([5])).toBe(30);
  });

  it('refuses a Value computed outside the traced function, naming its op', () => {
    const w = new Value(3);
    const w2 = w.mul(2);

    expect(() => compile(([x]) => x!.mul(w2), { inputs: 1 })).toThrow(/result of mul computed outside it/);
  });

  it.each(['wasm', 'interpreter'] as const)(
    '%s: refuses a parameter gradient that is not a number, as backward does, changing nothing',
    (backend) => {
      const w = new Value(2, 'w');
      const program = compile(([x]) => x!.mul(w), { inputs: 1, backend });

      for (const g of ['0.5', null]) {
        w.grad = g as unknown as number;
        expect(() => {
          new Value(1).mul(w).backward();
        }).toThrow(TypeError);
        expect(() => program.run([1])).toThrow(
          /^Program\.run: the gradient of leaf "w" \(data 2\) must be a finite number, got /,
        );
        expect(w.grad).toBe(g);
      }
    },
  );

  it.each(['wasm', 'interpreter'] as const)(
    '%s: refuses such a gradient of a parameter only the reduction uses, at the run that first traces it',
    (backend) => {
      const w = new Value(0.5);
      const extra = new Value(0.25, 'extra');
      const program = compile(([x]) => w.mul(x!).tanh(), {
        inputs: 1,
        backend,
        reduce: (o) => o[0]![0]!.add(o[1]![0]!).add(extra.mul(extra)),
      });
      for (const g of [true, '0', null, undefined]) {
        w.grad = 0;
        extra.grad = g as unknown as number;
        expect(() => program.run([1, 2])).toThrow(
          new RegExp(
            `^Program\\.run: the gradient of leaf "extra" \\(data 0\\.25\\) must be a finite number, got `,
          ),
        );
        expect([w.grad, extra.grad, program.parameters.length]).toEqual([0, g, 1]);
      }
      extra.grad = 0;
      program.run([1, 2]);
      expect(extra.grad).toBe(0.5);
    },
  );

  it.each(['wasm', 'interpreter'] as const)(
    '%s: names the parameter whose gradient was set to NaN or an infinity before the run, as backward does',
    (backend) => {
      const w = new Value(2, 'w');
      const program = compile(([x]) => x!.mul(w), { inputs: 1, backend });

      for (const [g, Kind] of [
        [Number.NaN, TypeError],
        [Number.POSITIVE_INFINITY, RangeError],
      ] as const) {
        w.grad = g;
        expect(() => {
          new Value(1).mul(w).backward();
        }).toThrow(Kind);
        expect(() => program.run([1])).toThrow(Kind);
        expect(() => program.run([1])).toThrow(
          /^compile: the gradient of parameter 0 \(data 2\) must be finite, got (NaN|Infinity); set grad to finite numbers only$/,
        );
        expect(w.grad).toBe(g);
      }
    },
  );

  it.each(['wasm', 'interpreter'] as const)(
    '%s: a run that fails keeps no parameter its reduction found',
    (backend) => {
      const w = new Value(1);
      const c = new Value(2);
      const program = compile(([x]) => x!.mul(w).log(), {
        inputs: 1,
        backend,
        reduce: (o) => sum(o.map((r) => r[0]!)).mul(c),
      });

      expect(() => program.run([1, 0])).toThrow(/log\(0\)/);
      expect(program.parameters).toEqual([w]);
      expect(c.grad).toBe(0);
      expect(program.run([1, 2])).toBe(2 * Math.log(2));
      expect(program.parameters).toEqual([w, c]);
    },
  );

  it('says how much memory the scalar replay needed when the host cannot give it, changing nothing', () => {
    const w = new Value(0.5);
    const ws = Array.from({ length: 20 }, (_, i) => new Value(i / 20));
    // An output that is also another output's operand: the batch-major schedule does not cover
    // reducing it, so the run replays the batch one scalar at a time.
    const fn = ([x]: Value[]) => {
      const s = ws.reduce((a, v) => a.add(v.mul(x!)), w);
      return [s, s.tanh()];
    };
    const program = compile(fn, { inputs: 1, reduce: (o) => sum(o.map((r) => r[0]!)) });
    // A host with little memory: typed arrays past a million numbers cannot be had.
    const Native = Int8Array;
    vi.stubGlobal(
      'Int8Array',
      class extends Native {
        constructor(n: number) {
          if (n > 1_000_000) throw new RangeError('Array buffer allocation failed');
          super(n);
        }
      },
    );
    w.grad = 0.25;

    expect(() => program.run(Array.from({ length: 40_000 }, (_, i) => i / 40_000))).toThrow(
      /^compile: replaying 40000 samples one scalar at a time \(\d+ nodes\) takes \d+ MB, more than this host gives \(Array buffer allocation failed\); run smaller batches$/,
    );
    expect(w.grad).toBe(0.25);
    vi.unstubAllGlobals();
    expect(program.run([1, 2])).toBe(sum([1, 2].map((x) => fn([new Value(x)])[0]!)).data);
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

  it.each(['wasm', 'interpreter'] as const)(
    '%s: names the op eager mode fails at first, an unused one made before the output included',
    (backend) => {
      const w = new Value(2);
      const fn = ([x]: Value[]) => {
        x!.log();
        return x!.pow(-1).mul(w);
      };
      const program = compile(fn, { inputs: 1, backend });

      expect(() => fn([new Value(0)])).toThrow(/^log: /);
      expect(() => program.run([1, 0])).toThrow(
        /the result of log\(0\) is not finite \(sample 1, node \d+\): log's argument must be positive$/,
      );
      expect(w.grad).toBe(0);
    },
  );

  it.each(['wasm', 'interpreter'] as const)(
    '%s: says why an op outside its domain has no finite result, as eager mode does',
    (backend) => {
      const w = new Value(3);
      const divide = compile(([x, y]) => x!.mul(w).div(y!), { inputs: 2, backend });
      const root = compile(([x]) => x!.mul(w).pow(0.5), { inputs: 1, backend });

      expect(() => new Value(1).div(new Value(-0))).toThrow(/^div: division by zero/);
      expect(() => divide.run([1, 2, 1, -0])).toThrow(
        /^compile: the result of pow\(-0\) with exponent -1 is not finite \(sample 1, node \d+\): 0 to a negative power is a division by zero \(x \/ y is x \* y \*\* -1\)$/,
      );
      expect(() => new Value(-3).pow(0.5)).toThrow(/^pow: a negative base \(-3\) with a fractional exponent/);
      expect(() => root.run([-1])).toThrow(
        /^compile: the result of pow\(-3\) with exponent 0\.5 is not finite \(sample 0, node \d+\): a negative base with a fractional exponent has no real value$/,
      );
      expect(w.grad).toBe(0);
    },
  );

  it.each(['wasm', 'interpreter'] as const)('%s: gives no reason when a result only overflows', (backend) => {
    const program = compile(([x]) => x!.exp(), { inputs: 1, backend });

    expect(() => program.run([1000])).toThrow(
      /^compile: the result of exp\(1000\) is not finite \(sample 0, node 1\)$/,
    );
  });

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

  it('rejects a batch that is not an array, or has a number that is not a number, quoting it', () => {
    const w = new Value(1);
    const program = compile(([x]) => x!.mul(w), { inputs: 1 });
    const run = (batch: unknown) => () => program.run(batch as number[]);

    expect(run(null)).toThrow(/^Program\.run: batch must be an array of numbers, got null$/);
    expect(run('12')).toThrow(/batch must be an array of numbers, got "12"/);
    expect(run(['1'])).toThrow(/batch\[0\] must be a finite number, got "1"$/);
    expect(() => program.predict(undefined as unknown as number[])).toThrow(
      /^Program\.predict: batch must be an array of numbers, got undefined$/,
    );
    const constant = compile(() => w.mul(2), { inputs: 0 });
    expect(constant.run([])).toBe(2);
    expect(() => constant.run([1, 2])).toThrow(
      /batch length 2 for a program of no inputs: pass an empty array/,
    );
  });

  it('rejects bad options with the value it got', () => {
    expect(() => compile(([x]) => x!, { inputs: -1 })).toThrow(
      /inputs must be a non-negative integer, got -1/,
    );
    expect(() => compile(([x]) => x!, { inputs: '2' as unknown as number })).toThrow(
      /inputs must be a non-negative integer, got "2"/,
    );
    // 2^31 inputs used to run out of heap while tracing, which ends the process.
    expect(() => compile(([x]) => x!, { inputs: 2 ** 31 })).toThrow(
      /^compile: options.inputs must be at most 16777216 \(2\^24\) numbers per sample, got 2147483648$/,
    );
    expect(() => compile(([x]) => x!, { inputs: 2 ** 40 })).toThrow(RangeError);
    expect(() => compile(([x]) => x!, { inputs: 1, backend: 'gpu' as 'wasm' })).toThrow(/got "gpu"/);
    expect(() => compile(([x]) => x!, { inputs: 1, backend: 1n as unknown as 'wasm' })).toThrow(
      /got 1n \(bigint\)/,
    );
    // A typo would otherwise drop the reduction silently and sum the outputs instead.
    const typo = { inputs: 1, reduction: (outs: Value[][]) => outs[0]![0]! };
    expect(() => compile(([x]) => x!, typo as unknown as { inputs: number })).toThrow(
      /^compile: unknown option "reduction"; the options are inputs, reduce, backend$/,
    );
    expect(() =>
      compile(([x]) => x!, { inputs: 1, backnd: 'wasm' } as unknown as { inputs: number }),
    ).toThrow(/unknown option "backnd" \(did you mean "backend"\?\)/);
    const symbolic = { inputs: 1, [Symbol('backend')]: 'wasm' };
    expect(() => compile(([x]) => x!, symbolic)).toThrow(
      /^compile: unknown option Symbol\(backend\); the options are inputs, reduce, backend$/,
    );
    expect(() => compile(([x]) => x!, { inputs: 1, reduce: 5 as unknown as () => Value })).toThrow(
      /^compile: options\.reduce must be a function, got 5 \(number\)$/,
    );
    expect(() => compile(([x]) => x!, { inputs: 1, backend: 'js' as 'wasm' })).toThrow(
      /'js' \(generated JavaScript\) was replaced by 'wasm'/,
    );
  });
});

describe('compile failures leave things as they were', () => {
  const backends = ['wasm', 'interpreter'] as const;

  it.each(backends)(
    '%s: gives eager numbers when the traced function changes its own inputs array',
    (backend) => {
      const w = new Value(0.5, 'w');
      const b = new Value(-1, 'b');
      // Common idioms: pop the target, scale an input in place, reorder.
      const fn = (x: Value[]) => {
        const target = x.pop()!;
        x[0] = x[0]!.mul(0.5);
        x.reverse();
        return w.mul(x[1]!).add(b.mul(x[0])).sub(target).pow(2);
      };
      const batch = [1, 2, 3, -4, 0.5, 6];
      const program = compile(fn, { inputs: 3, backend });

      const loss = program.run(batch);
      const compiled = [w.grad, b.grad];
      w.grad = 0;
      b.grad = 0;
      const eager = fn(batch.slice(0, 3).map((v) => new Value(v))).add(
        fn(batch.slice(3).map((v) => new Value(v))),
      );
      eager.backward();

      expect(program.parameters).toEqual([w, b]);
      expect(Object.is(loss, eager.data)).toBe(true);
      expect(Object.is(compiled[0], w.grad) && Object.is(compiled[1], b.grad)).toBe(true);
    },
  );

  it('refuses a call of a program from inside its own run, then runs as before', () => {
    const w = new Value(2);
    let nested = true;
    const program = compile(([x]) => x!.mul(w), {
      inputs: 1,
      reduce: (outs) => {
        if (nested) program.predict([5]);
        return outs[0]![0]!;
      },
    });

    expect(() => program.run([1])).toThrow(/^Program\.predict: this program is already running/);
    expect(w.grad).toBe(0);
    nested = false;
    expect(program.run([3])).toBe(6);
    expect(w.grad).toBe(3);
    expect(Array.from(program.predict([5]))).toEqual([10]);
  });

  it('refuses to trace inside a traced function, and traces as before afterwards', () => {
    const w = new Value(2);
    const inner = () => compile(([x]) => x!.mul(w), { inputs: 1 });
    const nestedCompile = () =>
      compile(
        ([x]) => {
          inner();
          return x!.mul(w);
        },
        { inputs: 1 },
      );
    expect(nestedCompile).toThrow(TraceError);
    expect(nestedCompile).toThrow(/cannot trace a function while another is being traced/);
    // A program's first run at a batch size traces its reduction: not inside a reduction either.
    const other = inner();
    const program = compile(([x]) => x!.mul(w), {
      inputs: 1,
      reduce: (outs) => {
        other.run([1]);
        return outs[0]![0]!;
      },
    });
    expect(() => program.run([1])).toThrow(/cannot trace a function while another is being traced/);
    expect(w.grad).toBe(0);

    // Tracing and eager mode work as before: a branch on .data is still refused.
    expect(() => compile(([x]) => (w.data > 0 ? x!.mul(w) : x!), { inputs: 1 })).toThrow(
      /cannot read \.data/,
    );
    expect(inner().run([3])).toBe(6);
    expect(w.grad).toBe(3);
    w.mul(w).backward();
    expect(w.grad).toBe(7);
  });

  it.each(backends)('%s: a run that fails leaves outputs as the last good run left them', (backend) => {
    const w = new Value(1);
    const program = compile(([x]) => x!.mul(w).log(), { inputs: 1, backend });
    program.run([1, 2]);
    const kept = program.outputs;
    const before = [0, Math.log(2)];

    expect(() => program.run([3, -1])).toThrow(/log\(-1\) is not finite \(sample 1/);
    expect(() => program.evaluate([-2, 4])).toThrow(/log\(-2\) is not finite \(sample 0/);
    expect(Array.from(program.outputs)).toEqual(before);
    expect(Array.from(kept)).toEqual(before);
    expect(program.output(1)).toBe(Math.log(2));
    expect(program.evaluate([4, 5])).toBe(Math.log(4) + Math.log(5));
    expect(Array.from(program.outputs)).toEqual([Math.log(4), Math.log(5)]);
  });

  it('a reduction that fails to trace adds no parameters', () => {
    const w = new Value(1, 'w');
    const extra = new Value(2, 'extra');
    let branch = true;
    const program = compile(([x]) => x!.mul(w), {
      inputs: 1,
      reduce: (outs) => {
        const loss = outs[0]![0]!.mul(extra);
        return branch && extra.data > 0 ? loss : loss.neg();
      },
    });

    expect(() => program.run([3])).toThrow(/cannot read \.data of a traced value/);
    expect(program.parameters).toEqual([w]);
    branch = false;
    expect(program.run([3])).toBe(-6);
    expect(program.parameters).toEqual([w, extra]);
  });

  it('says how much memory a batch too large for the host wanted', () => {
    const program = compile(([x]) => x!.mul(new Value(2)), { inputs: 1 });

    expect(() => program.run({ length: 2 ** 40 })).toThrow(
      /^Program\.run: 1099511627776 numbers \(8388608 MB\) are more than this host gives \(.*\); run smaller batches$/,
    );
  });
});

/** The parts of the host's WebAssembly these tests wrap. */
interface RealWasm {
  Memory: unknown;
  Instance: unknown;
  CompileError: new (message: string) => Error;
  Module: new (bytes: Uint8Array) => object;
  compile(bytes: Uint8Array): Promise<object>;
}

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

  it('gets WebAssembly ready without blocking: ready() compiles the module once, asynchronously, for every program', async () => {
    const real = (globalThis as unknown as { WebAssembly: RealWasm }).WebAssembly;
    const compiles = { sync: 0, async: 0 };
    // A WebAssembly object of its own: the back end's state (compiled or not) is kept per object.
    vi.stubGlobal('WebAssembly', {
      Memory: real.Memory,
      Instance: real.Instance,
      CompileError: real.CompileError,
      Module: function counted(bytes: Uint8Array) {
        compiles.sync++;
        return new real.Module(bytes);
      },
      compile: (bytes: Uint8Array) => {
        compiles.async++;
        return real.compile(bytes);
      },
    });

    expect(await ready()).toBe('wasm');
    expect(await ready()).toBe('wasm');
    const w = new Value(2);
    const program = compile(([x]) => x!.mul(w), { inputs: 1 });

    expect(program.backend).toBe('wasm');
    expect(program.run([3, 4])).toBe(14);
    expect(w.grad).toBe(7);
    expect(compiles).toEqual({ sync: 0, async: 1 });
  });

  it('ready() says interpreter where WebAssembly is forbidden or missing, and never rejects', async () => {
    const real = (globalThis as unknown as { WebAssembly: RealWasm }).WebAssembly;
    const refusal =
      "WebAssembly.compile(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source";
    vi.stubGlobal('WebAssembly', {
      Memory: real.Memory,
      Instance: real.Instance,
      CompileError: real.CompileError,
      Module: function refused() {
        throw new real.CompileError(refusal.replace('compile()', 'Module()'));
      },
      compile: () => Promise.reject(new real.CompileError(refusal)),
    });

    expect(await ready()).toBe('interpreter');
    expect(() => compile(([x]) => x!.mul(new Value(2)), { inputs: 1, backend: 'wasm' })).toThrow(
      /backend 'wasm' cannot run on this host \(compiling WebAssembly failed: WebAssembly\.Module\(\): Refused/,
    );

    vi.stubGlobal('WebAssembly', undefined);

    expect(await ready()).toBe('interpreter');
    expect(compile(([x]) => x!.mul(new Value(2)), { inputs: 1 }).backend).toBe('interpreter');
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
      /sample must be an integer from 0 to 2, got 3 \(number\) \(the last run had 3 samples of 2 outputs\)/,
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
