import { afterEach, describe, expect, it } from 'vitest';
import { Value, compile, isAllFinite, type Backend } from '../src/index.js';
import { allFinite } from '../src/compile/finite.js';
import { setTileBudget } from '../src/compile/program.js';
import { TinyMLP, lcg, pySum } from './compile-workloads.js';

const backends: Backend[] = ['wasm', 'interpreter'];

afterEach(() => {
  setTileBudget(1 << 23);
});

/**
 * Runs the same batch eagerly and compiled, from the same starting gradients, and returns both
 * sides' loss and gradients (Object.is must hold for each).
 */
function both(
  backend: Backend,
  params: Value[],
  fn: (x: Value[]) => Value[],
  reduce: (outs: Value[][]) => Value,
  inputs: number,
  batch: number[],
): { eager: number[]; compiled: number[] } {
  const start = params.map((_, j) => (j % 3 === 0 ? 0 : 0.125 * j));
  params.forEach((p, j) => (p.grad = start[j]!));
  const count = batch.length / inputs;
  const outs = Array.from({ length: count }, (_, i) =>
    fn(batch.slice(i * inputs, (i + 1) * inputs).map((x) => new Value(x))),
  );
  const loss = reduce(outs);
  loss.backward();
  const eager = [loss.data, ...params.map((p) => p.grad)];
  params.forEach((p, j) => (p.grad = start[j]!));
  const program = compile(fn, { inputs, reduce, backend });
  const compiled = [program.run(batch), ...params.map((p) => p.grad)];
  return { eager, compiled };
}

function expectSame({ eager, compiled }: { eager: number[]; compiled: number[] }): void {
  expect(compiled.length).toBe(eager.length);
  compiled.forEach((x, j) => {
    expect(Object.is(x, eager[j]), `entry ${j}: ${x} vs ${eager[j]}`).toBe(true);
  });
}

describe.each(backends)('compiled mode, %s back end, equals eager mode bit for bit', (backend) => {
  const model = new TinyMLP([2, 6, 3], ['tanh', 'linear'], 77);
  const params = model.parameters();
  const rows = Array.from({ length: 7 * 2 }, (_, i) => Math.sin(i * 1.7) * 2);

  it('with several outputs per sample reduced as the sum of the firsts plus the sum of the seconds', () => {
    expectSame(
      both(
        backend,
        params,
        (x) => model.forward(x),
        (outs) => pySum(outs.map((o) => o[0]!)).add(pySum(outs.map((o) => o[1]!))),
        2,
        rows,
      ),
    );
  });

  it('with a parameter that each output uses on its own, the outputs reached one after the other', () => {
    // Eager mode adds w's contributions through every sample's second output, then through
    // every sample's first: each output's own nodes are back-propagated where the reduction
    // reaches that output, and the fold must add them there too.
    const w = new Value(0.7310585786300049);
    const b = new Value(-0.3);
    const fn = ([x, y]: Value[]) => [w.mul(x!).add(b).tanh(), w.mul(y!).add(x!).mul(w)];
    expectSame(
      both(
        backend,
        [w, b],
        fn,
        (outs) => pySum(outs.map((o) => o[0]!)).add(pySum(outs.map((o) => o[1]!))),
        2,
        rows,
      ),
    );
  });

  it('with a reduction that reuses and multiplies outputs (o0 + o1*w + o2*o2)', () => {
    const w = params[4]!;
    expectSame(
      both(
        backend,
        params,
        (x) => model.forward(x),
        (outs) => pySum(outs.map((o) => o[0]!.add(o[1]!.mul(w)).add(o[2]!.mul(o[2]!)))),
        2,
        rows,
      ),
    );
  });

  it('with a running sum of outputs that an L2 chain also starts from', () => {
    const reduce = (outs: Value[][]) => {
      const firstTwo = outs[0]![0]!.add(outs[1]![0]!);
      const all = outs.slice(2).reduce((s, o) => s.add(o[0]!), firstTwo);
      const l2 = params.reduce((s, p) => s.add(p.mul(p)), firstTwo);
      return all.add(l2.mul(1e-3));
    };
    expectSame(both(backend, params, (x) => model.forward(x), reduce, 2, rows));
  });

  it('with an L2 term before or after a mean', () => {
    const l2 = () => pySum(params.map((p) => p.mul(p))).mul(1e-3);
    const mean = (outs: Value[][]) => pySum(outs.map((o) => o[0]!.tanh())).div(outs.length);
    expectSame(
      both(
        backend,
        params,
        (x) => model.forward(x),
        (outs) => mean(outs).add(l2()),
        2,
        rows,
      ),
    );
    expectSame(
      both(
        backend,
        params,
        (x) => model.forward(x),
        (outs) => l2().add(mean(outs)),
        2,
        rows,
      ),
    );
  });

  it('with samples visited in descending order and the L2 term between two samples', () => {
    const reduce = (outs: Value[][]) =>
      pySum(
        [...outs].reverse().map((o, i) => (i === 3 ? o[1]!.add(pySum(params.map((p) => p.mul(p)))) : o[1]!)),
      );
    expectSame(both(backend, params, (x) => model.forward(x), reduce, 2, rows));
  });

  it('tile by tile, when a batch needs more memory than one tile (ascending and descending schedules)', () => {
    setTileBudget(400);
    const data = Array.from({ length: 61 * 2 }, (_, i) => Math.cos(i * 0.37) * 1.5);
    const ascending = (outs: Value[][]) =>
      outs
        .map((o) => o[0]!)
        .reduce((s, o) => s.add(o))
        .add(pySum(params.map((p) => p.mul(p))));
    const descending = (outs: Value[][]) => pySum([...outs].reverse().map((o) => o[2]!)).mul(0.5);

    expectSame(both(backend, params, (x) => model.forward(x), ascending, 2, data));
    expectSame(both(backend, params, (x) => model.forward(x), descending, 2, data));
  });

  it('with layers of 16 and 33 inputs, whose rows in the fold are padded, in both orders and several tiles', () => {
    const wide = new TinyMLP([2, 16, 33, 2], ['relu', 'tanh', 'linear'], 91);
    const wideParams = wide.parameters();
    const data = Array.from({ length: 23 * 2 }, (_, i) => Math.cos(i * 0.61) * 1.3);
    const ascending = (outs: Value[][]) =>
      pySum(outs.map((o) => o[0]!))
        .div(outs.length)
        .add(pySum(wideParams.map((p) => p.mul(p))).mul(1e-4));
    const descending = (outs: Value[][]) => pySum([...outs].reverse().map((o) => o[1]!)).mul(0.5);
    for (const reduce of [ascending, descending]) {
      expectSame(both(backend, wideParams, (x) => wide.forward(x), reduce, 2, data));
      setTileBudget(1 << 23, 1 << 10);
      expectSame(both(backend, wideParams, (x) => wide.forward(x), reduce, 2, data));
      setTileBudget(1 << 23);
    }
  });

  type Schedule = 'kept' | 'recomputed' | 'fused';
  /**
   * Runs `count` random samples, checks the schedule each reduction's batch gets (in several
   * tiles), then compiled = eager under each reduction.
   */
  const tiled = (
    count: number,
    seed: number,
    schedule: Schedule,
    reduces: ((outs: Value[][]) => Value)[],
  ) => {
    const rand = lcg(seed);
    const data = Array.from({ length: count * 2 }, () => rand() * 2 - 1);
    for (const reduce of reduces) {
      const program = compile((x) => model.forward(x), { inputs: 2, backend, reduce });
      program.run(data);
      const plans = (program as unknown as { plans: Map<number, { tiles: number; schedule: Schedule }> })
        .plans;
      expect(plans.get(count)).toMatchObject({ schedule });
      expect(plans.get(count)!.tiles).toBeGreaterThan(1);
      expectSame(both(backend, params, (x) => model.forward(x), reduce, 2, data));
    }
  };
  const meanAndL2 = (outs: Value[][]) =>
    pySum(outs.map((o) => o[0]!))
      .div(outs.length)
      .add(pySum(params.map((p) => p.mul(p))));
  const descendingHalf = (outs: Value[][]) => pySum([...outs].reverse().map((o) => o[1]!)).mul(0.5);

  it('tile by tile, each forward and backward in one pass, when a linear reduction takes several times the cache', () => {
    // A cache of 2^14 numbers: a tile holds a few hundred samples, the batch many times that.
    setTileBudget(1 << 23, 1 << 14);
    const scaledTwice = (outs: Value[][]) =>
      pySum(outs.map((o) => o[0]!))
        .mul(new Value(3).pow(-1))
        .mul(2);
    tiled(9001, 11, 'fused', [meanAndL2, descendingHalf, scaledTwice]);
  }, 60_000);

  it('tile by tile, each in cache and recomputed, when a reduction reads outputs (squares, an activation)', () => {
    setTileBudget(1 << 23, 1 << 14);
    const squares = (outs: Value[][]) => pySum(outs.map((o) => o[0]!.mul(o[0]!))).div(outs.length);
    const hinge = (outs: Value[][]) => pySum(outs.map((o) => o[1]!)).tanh();
    const weighted = (outs: Value[][]) => pySum(outs.map((o) => o[0]!)).mul(params[0]!);
    tiled(9001, 14, 'recomputed', [squares, hinge, weighted]);
  }, 60_000);

  it('tile by tile with every tile kept, when the batch takes a few times the cache', () => {
    // A cache of 2^17 numbers: 9,001 samples take a few times it, under four times.
    setTileBudget(1 << 23, 1 << 17);
    tiled(9001, 13, 'kept', [(outs) => pySum(outs.map((o) => o[0]!)).div(outs.length)]);
  }, 60_000);

  it('tile by tile with every tile kept, when a sample fills much of the cache', () => {
    // A cache of 64 numbers holds fewer than a block of samples' columns: tiles are kept.
    setTileBudget(1 << 23, 64);
    tiled(301, 12, 'kept', [meanAndL2, descendingHalf]);
  });

  it('for a batch of 100,000 samples', () => {
    const w = new Value(0.75);
    const b = new Value(-0.25);
    const rand = lcg(5);
    const data = Array.from({ length: 100_000 * 2 }, () => rand() * 2 - 1);
    const fn = ([x, t]: Value[]) => [w.mul(x!).add(b).tanh().sub(t!).pow(2)];

    expectSame(both(backend, [w, b], fn, (outs) => pySum(outs.map((o) => o[0]!)).div(outs.length), 2, data));
  }, 120_000);
});

describe.each(backends)('compiled mode, %s back end, over batch sizes whose reductions differ', (backend) => {
  it('equals eager mode when a later batch size captures a new parameter (the L2 table moves)', () => {
    // The WebAssembly back end keeps an L2 term's table of products after the parameters' sums:
    // a parameter found later moves it, and a plan made before must write it again.
    const ps = Array.from({ length: 10 }, (_, i) => new Value(0.1 * (i + 1)));
    const s = new Value(2);
    const fn = ([x]: Value[]) => [ps[0]!.mul(x!).relu(), x!.mul(ps[2]!).tanh()];
    const reduce = (outs: Value[][]) =>
      outs.length === 3
        ? pySum(outs.map((o) => o[1]!)).mul(s)
        : pySum(outs.map((o) => o[0]!))
            .div(outs.length)
            .add(pySum(ps.map((p) => p.mul(p))).mul(1e-2));
    const params = [...ps, s];
    const program = compile(fn, { inputs: 1, backend, reduce });
    for (const batch of [
      [0.5, 1, -1, 2],
      [1, 2, 3],
      [0.25, 1, -1, 2],
    ]) {
      params.forEach((p) => (p.grad = 0));
      const loss = reduce(batch.map((x) => fn([new Value(x)])));
      loss.backward();
      const eager = [loss.data, ...params.map((p) => p.grad)];
      params.forEach((p) => (p.grad = 0));
      expectSame({ eager, compiled: [program.run(batch), ...params.map((p) => p.grad)] });
    }
  });

  it("leaves a parameter's gradient that was not finite before the run alone when the run adds nothing to it, as eager mode does", () => {
    const w = new Value(0.5);
    const u = new Value(2);
    const fn = ([x]: Value[]) => [w.mul(x!).tanh(), u.mul(x!)];
    const reduce = (outs: Value[][]) => pySum(outs.map((o) => o[0]!));
    const batch = [1, 2, 3];
    u.grad = Infinity;
    const loss = reduce(batch.map((x) => fn([new Value(x)])));
    loss.backward();
    const eager = [loss.data, w.grad, u.grad];
    w.grad = 0;

    const program = compile(fn, { inputs: 1, backend, reduce });

    expectSame({ eager, compiled: [program.run(batch), w.grad, u.grad] });
    expect(u.grad).toBe(Infinity);
    // A parameter the run does add to throws, as in eager mode, and keeps its gradient.
    w.grad = Infinity;
    expect(() => program.run(batch)).toThrow(
      /the gradient of parameter 0 \(data 0\.5\) must be finite, got Infinity/,
    );
    expect(w.grad).toBe(Infinity);
  });
});

describe.each(backends)('compiled mode, %s back end, throws where eager mode throws', (backend) => {
  it('when an intermediate value overflows and a later op brings it back (w*x*1e300, then tanh)', () => {
    const w = new Value(2);
    w.grad = 0.5;
    const fn = ([x]: Value[]) => w.mul(x!).mul(1e300).tanh();

    expect(() => fn([new Value(1e10)])).toThrow(RangeError);
    const program = compile(fn, { inputs: 1, backend });
    expect(() => program.run([1, 1e10])).toThrow(
      /the result of mul\(20000000000, 1e\+300\) is not finite \(sample 1, node/,
    );
    expect(w.grad).toBe(0.5);
    expect(program.run([1, 1e-10])).toBe(Math.tanh(2e300) + Math.tanh(2e-10 * 1e300));
  });

  it("when an input's gradient is not finite (x ** 0.5 at x = 0), though no parameter's is", () => {
    const w = new Value(3);
    const fn = ([x]: Value[]) => x!.pow(0.5).add(w);
    const x = new Value(0);
    expect(() => {
      fn([x]).backward();
    }).toThrow(RangeError);

    const program = compile(fn, { inputs: 1, backend });

    expect(() => program.run([4, 0])).toThrow(
      /the gradient of pow\(0\) with exponent 0\.5 is not finite \(sample 1, node/,
    );
    expect(w.grad).toBe(0);
  });

  describe('in one pass per tile (a linear reduction over shared tiles)', () => {
    // A cache of 2^10 numbers: a tile holds about a hundred samples, the batch many times that.
    const w = new Value(0.5);
    const fn = ([x]: Value[]) => [w.mul(x!).tanh().mul(x!)];
    const schedule = (program: object, count: number) =>
      (program as { plans: Map<number, { schedule: string }> }).plans.get(count)!.schedule;

    it('when a value in a late tile is not finite: no gradient changes', () => {
      setTileBudget(1 << 23, 1 << 10);
      const batch = Array.from({ length: 3000 }, (_, i) => Math.cos(i));
      const square = ([x]: Value[]) => [x!.mul(x!).mul(w)];
      const program = compile(square, {
        inputs: 1,
        backend,
        reduce: (outs) => pySum(outs.map((o) => o[0]!)),
      });
      program.run(batch);
      expect(schedule(program, 3000)).toBe('fused');
      w.grad = 0.25;
      batch[2900] = 1e200;

      expect(() => program.run(batch)).toThrow(
        /the result of mul\(1e\+200, 1e\+200\) is not finite \(sample 2900,/,
      );
      expect(w.grad).toBe(0.25);
    });

    it('when the reduction overflows (a mean of huge outputs), and runs the next batch as if it had not', () => {
      setTileBudget(1 << 23, 1 << 10);
      const identity = ([x]: Value[]) => [x!.mul(w)];
      const mean = (outs: Value[][]) => pySum(outs.map((o) => o[0]!)).mul(1 / outs.length);
      const program = compile(identity, { inputs: 1, backend, reduce: mean });
      const huge = Array.from({ length: 3000 }, () => 1e308);
      w.grad = 0.25;

      expect(() => program.run(huge)).toThrow(/add\(.*\) is not finite/);
      expect(schedule(program, 3000)).toBe('fused');
      expect(w.grad).toBe(0.25);
      const batch = Array.from({ length: 3000 }, (_, i) => Math.sin(i));
      const eager = mean(batch.map((x) => identity([new Value(x)])));
      eager.backward();
      const expected = [eager.data, w.grad];
      w.grad = 0.25;
      expectSame({ eager: expected, compiled: [program.run(batch), w.grad] });
    });

    it("when a constant factor's gradient overflows though the loss is finite", () => {
      setTileBudget(1 << 23, 1 << 10);
      const batch = Array.from({ length: 3000 }, (_, i) => 1e8 + i);
      // (sum * 1e-300) * 1e300: the gradient of 1e-300 is sum * 1e300, which overflows.
      const reduce = (outs: Value[][]) =>
        pySum(outs.map((o) => o[0]!))
          .mul(1e-300)
          .mul(1e300);
      const eager = reduce(batch.map((x) => fn([new Value(x)])));
      expect(Number.isFinite(eager.data)).toBe(true);
      expect(() => {
        eager.backward();
      }).toThrow(RangeError);
      w.grad = 0.25;
      const program = compile(fn, { inputs: 1, backend, reduce });

      expect(() => program.run(batch)).toThrow(/gradient of .* is not finite/);
      expect(schedule(program, 3000)).toBe('fused');
      expect(w.grad).toBe(0.25);
    });
  });

  /**
   * For `w * x` per sample reduced by `reduce` over `batch`: eager mode's loss is finite and its
   * backward pass throws a RangeError; so does the compiled run, leaving `w.grad` as it was.
   * Returns eager mode's loss.
   */
  function gradientOverflows(w: Value, reduce: (outs: Value[][]) => Value, batch: number[]): number {
    const fn = ([x]: Value[]) => [w.mul(x!)];
    const eager = reduce(batch.map((x) => fn([new Value(x)])));
    expect(Number.isFinite(eager.data)).toBe(true);
    expect(() => {
      eager.backward();
    }).toThrow(RangeError);
    w.grad = 0.25;
    const program = compile(fn, { inputs: 1, backend, reduce });

    expect(() => program.run(batch)).toThrow(/gradient .* is not finite/);
    expect(w.grad).toBe(0.25);
    return eager.data;
  }

  it("when only a parameter's sum over the samples overflows (each sample's part is finite)", () => {
    // One parameter (an odd number of sums): the loss is about 4e8, but w's gradient is the sum of
    // x * 1e300 = 1e308 over four samples, which overflows though no sample's part does.
    const w = new Value(1e-300);
    const reduce = (outs: Value[][]) => pySum(outs.map((o) => o[0]!.mul(1e300)));

    expect(gradientOverflows(w, reduce, [1e8, 1e8, 1e8, 1e8])).toBeCloseTo(4e8, -2);
  });

  it.each([
    [
      'sum first',
      (outs: Value[][]) =>
        pySum(outs.map((o) => o[0]!))
          .mul(1e308)
          .add(outs[0]![0]!.mul(1e308)),
    ],
    ['sum last', (outs: Value[][]) => outs[0]![0]!.mul(1e308).add(pySum(outs.map((o) => o[0]!)).mul(1e308))],
  ])("when an output's gradient overflows as a sum of outputs adds into it (%s)", (_, reduce) => {
    // Sample 0's output gets 1e308 from the sum and 1e308 from its own term: each is finite,
    // their sum is not, and whichever comes second overflows it.
    expect(gradientOverflows(new Value(0.5), reduce, [1e-300, 2e-300, 3e-300])).toBeCloseTo(3.5e8, -2);
  });

  it('when a value no output uses is not finite', () => {
    const w = new Value(1);
    const fn = ([x]: Value[]) => {
      x!.mul(w).log();
      return w.mul(x!);
    };

    const program = compile(fn, { inputs: 1, backend });

    expect(() => program.run([1, -1])).toThrow(/log\(-1\) is not finite \(sample 1/);
  });
});

describe('compiled mode memory', () => {
  it('keeps a bounded number of plans however many batch sizes it sees', () => {
    const w = new Value(0.5);
    const program = compile(([x]) => w.mul(x!).tanh(), { inputs: 1 });

    for (let n = 1; n <= 60; n++) program.evaluate(Array.from({ length: n }, (_, i) => i / n));

    expect((program as unknown as { plans: Map<number, unknown> }).plans.size).toBe(8);
    expect(program.evaluate([0.5])).toBe(Math.tanh(0.25));
  });

  it('keeps a bounded number of lowered programs when the outputs a reduction uses depend on the batch size', () => {
    const w = new Value(0.5);
    const fn = ([x]: Value[]) =>
      Array.from({ length: 12 }, (_, j) =>
        w
          .mul(x!)
          .mul(j + 1)
          .tanh(),
      );
    // Batch size n reads output n % 12, then output (n + 5) % 12, of every sample: a new order for each n.
    const reduce = (outs: Value[][]) =>
      pySum(outs.flatMap((o) => [o[outs.length % 12]!, o[(outs.length + 5) % 12]!]));
    const program = compile(fn, { inputs: 1, reduce });

    for (let n = 1; n <= 30; n++) program.run(Array.from({ length: n }, (_, i) => i / n));

    expect((program as unknown as { programs: Map<string, unknown> }).programs.size).toBeLessThanOrEqual(8);
    const batch = [0.25, -1, 2];
    const eager = reduce(batch.map((x) => fn([new Value(x)])));
    w.grad = 0;
    eager.backward();
    const expected = [eager.data, w.grad];
    w.grad = 0;
    expectSame({ eager: expected, compiled: [program.run(batch), w.grad] });
  });
});

describe('the numbers JavaScript gives', () => {
  it('Math.pow and ** agree bit for bit (the WebAssembly back end imports Math.pow for **)', () => {
    const rand = lcg(9);
    const bases = [
      0,
      -0,
      1e-310,
      0.5,
      2,
      10,
      1e300,
      -3,
      -0.75,
      ...Array.from({ length: 200 }, () => (rand() - 0.5) * 20),
    ];
    const exponents = [
      -2,
      -1,
      -0.5,
      0,
      0.5,
      1,
      1.5,
      2,
      3,
      7,
      0.1,
      -3.25,
      ...Array.from({ length: 50 }, () => (rand() - 0.5) * 8),
    ];
    const pow = (a: number, k: number) => a ** k;

    for (const a of bases)
      for (const k of exponents) expect(Object.is(Math.pow(a, k), pow(a, k)), `${a} ** ${k}`).toBe(true);
  });

  it('allFinite reads the exponent bits: every NaN and infinity, and only those, fail', () => {
    // NaNs with either sign and other payloads, which no arithmetic here makes.
    const words = new Uint32Array(8);
    words.set([0, 0x7ff80000, 1, 0xfff00000, 0, 0xfff80001, 0xffffffff, 0x7fffffff]);
    const nans = new Float64Array(words.buffer);
    const bad = [Infinity, -Infinity, NaN, ...nans];
    const good = [
      0,
      -0,
      5e-324,
      -5e-324,
      2.2250738585072014e-308,
      1,
      -1.5,
      1e308,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ];
    expect(bad.every((x) => !Number.isFinite(x)) && good.every(Number.isFinite)).toBe(true);
    const X = new Float64Array(24);
    // A view that does not start at its buffer's start, as subarrays do.
    const view = X.subarray(3, 20);
    for (const x of good) {
      view.fill(1);
      view[16] = x;
      expect(allFinite(view, 0, 17)).toBe(true);
    }
    for (const x of bad) {
      for (const at of [0, 7, 16]) {
        view.fill(1);
        view[at] = x;
        expect(allFinite(view, 0, 17), `${x} at ${at}`).toBe(false);
        expect(allFinite(view, at, at + 1)).toBe(false);
        // Outside the range: not read.
        expect(allFinite(view, at + 1, 17)).toBe(true);
        X.fill(1);
      }
    }
  });

  it('isAllFinite, the public check, reads the whole array and refuses anything but a Float64Array', () => {
    const view = new Float64Array(24).fill(1).subarray(3, 20);
    expect(isAllFinite(view)).toBe(true);
    expect(isAllFinite(new Float64Array(0))).toBe(true);
    for (const at of [0, 16]) {
      view[at] = NaN;
      expect(isAllFinite(view), `NaN at ${at}`).toBe(false);
      view[at] = -Infinity;
      expect(isAllFinite(view), `-Infinity at ${at}`).toBe(false);
      view[at] = 1;
    }
    expect(() => isAllFinite([1, 2] as unknown as Float64Array)).toThrow(
      new TypeError('isAllFinite: X must be a Float64Array, got [1, 2] (an array of 2)'),
    );
    expect(() => isAllFinite(new Float32Array(2) as unknown as Float64Array)).toThrow(TypeError);
  });
});
