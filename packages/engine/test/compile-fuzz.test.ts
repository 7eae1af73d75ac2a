import { afterEach, describe, expect, it } from 'vitest';
import { Value, compile, type Backend, type Program } from '../src/index.js';
import { setTileBudget } from '../src/compile/program.js';
import { lcg, pySum } from './compile-workloads.js';

// Random graphs, outputs and reductions, run eagerly and compiled on the same parameters:
// the loss, every gradient and every output must be the same number (Object.is), and when
// eager mode throws, compiled mode must throw a RangeError and leave the gradients alone.

type Step =
  | { op: 'add' | 'mul' | 'sub' | 'div'; a: number; b: number }
  | { op: 'tanh' | 'relu' | 'sigmoid' | 'exp' | 'log' | 'neg' | 'logp'; a: number }
  | { op: 'pow'; a: number; k: number }
  | { op: 'neuron'; a: number; terms: [number, number][] }
  // Neurons over the same inputs, each with weights and a bias of its own (from `fresh`) and an
  // op after it (an activation, or one that also reads an input: `x` is that input's place
  // in `xs`), summed: the shape the back ends run two neurons at a time.
  | { op: 'layer'; xs: number[]; neurons: { bias: number; weights: number[]; act: Act; x: number }[] };

type Act = 'relu' | 'tanh' | 'mulx' | 'addx';

interface Spec {
  inputs: number;
  params: number;
  /** Parameters used once each, by layers: after `params` in the program's list. */
  fresh: number;
  consts: number[];
  steps: Step[];
  outputs: number[];
  reduction: number;
}

const REDUCTIONS = 11;

export function randomSpec(rand: () => number): Spec {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const inputs = 1 + Math.floor(rand() * 3);
  const params = 1 + Math.floor(rand() * 4);
  const consts = Array.from({ length: Math.floor(rand() * 3) }, () => pick([-1, 0.5, 2, 1e-3, -0, 3.25]));
  const leaves = inputs + params + consts.length;
  const steps: Step[] = [];
  let fresh = 0;
  const count = 2 + Math.floor(rand() * 10);
  // Operands favour recent results, so graphs are deep as well as wide.
  const operand = () => {
    const size = leaves + steps.length;
    return rand() < 0.6 && steps.length > 0
      ? size - 1 - Math.floor(rand() * Math.min(3, steps.length))
      : Math.floor(rand() * size);
  };
  const param = () => inputs + Math.floor(rand() * params);
  for (let s = 0; s < count; s++) {
    const op = pick([
      'add',
      'mul',
      'sub',
      'div',
      'tanh',
      'relu',
      'sigmoid',
      'exp',
      'log',
      'neg',
      'logp',
      'pow',
      'neuron',
      'neuron',
      'neuron',
      'layer',
      'layer',
    ] as const);
    if (op === 'add' || op === 'mul' || op === 'sub' || op === 'div')
      steps.push({ op, a: operand(), b: operand() });
    else if (op === 'pow') steps.push({ op, a: operand(), k: pick([2, 3, -1, 0.5, 1.5]) });
    else if (op === 'neuron') {
      const terms = Array.from({ length: 1 + Math.floor(rand() * 4) }, (): [number, number] =>
        rand() < 0.8 ? [param(), operand()] : [operand(), param()],
      );
      steps.push({ op, a: rand() < 0.7 ? param() : operand(), terms });
    } else if (op === 'layer') {
      const xs = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 4) }, operand))];
      const neurons = Array.from({ length: 2 + Math.floor(rand() * 3) }, () => ({
        bias: fresh++,
        weights: xs.map(() => fresh++),
        act: pick(['relu', 'relu', 'tanh', 'mulx', 'addx'] as const),
        x: Math.floor(rand() * xs.length),
      }));
      steps.push({ op, xs, neurons });
    } else steps.push({ op, a: operand() });
  }
  // Most outputs are ops of their own (the batch-major schedule); some are anything at all
  // (an input, a parameter, a value used inside, the same node twice: the scalar replay).
  const m = 1 + Math.floor(rand() * 3);
  const outputs = Array.from({ length: m }, () => {
    if (rand() < 0.75)
      return leaves + steps.push({ op: pick(['tanh', 'neg', 'sigmoid', 'relu'] as const), a: operand() }) - 1;
    const last = leaves + steps.length;
    return rand() < 0.2
      ? Math.floor(rand() * last)
      : last - 1 - Math.floor(rand() * Math.min(4, steps.length));
  });
  return { inputs, params, fresh, consts, steps, outputs, reduction: Math.floor(rand() * REDUCTIONS) };
}

function build(spec: Spec, xs: readonly Value[], params: readonly Value[]): Value[] {
  const fresh = params.slice(spec.params);
  const pool: Value[] = [...xs, ...params.slice(0, spec.params), ...spec.consts.map((c) => new Value(c))];
  for (const step of spec.steps) {
    if (step.op === 'layer') {
      const inputs = step.xs.map((k) => pool[k]!);
      const outs = step.neurons.map(({ bias, weights, act, x }) => {
        let s = fresh[bias]!;
        weights.forEach((w, k) => (s = s.add(fresh[w]!.mul(inputs[k]!))));
        if (act === 'mulx') return s.mul(inputs[x]!);
        if (act === 'addx') return s.add(inputs[x]!);
        return s[act]();
      });
      pool.push(outs.slice(1).reduce((sum, o) => sum.add(o), outs[0]!));
      continue;
    }
    const a = pool[step.a]!;
    switch (step.op) {
      case 'add':
      case 'mul':
      case 'sub':
      case 'div':
        pool.push(a[step.op](pool[step.b]!));
        break;
      case 'pow':
        pool.push(a.pow(step.k));
        break;
      case 'logp':
        pool.push(a.mul(a).add(1).log());
        break;
      case 'neuron': {
        let s = a;
        for (const [u, v] of step.terms) s = s.add(pool[u]!.mul(pool[v]!));
        pool.push(s);
        break;
      }
      default:
        pool.push(a[step.op]());
    }
  }
  return spec.outputs.map((k) => pool[k]!);
}

/** The reductions under test: means, L2 before or after, outputs reused and multiplied, odd orders. */
function reduce(kind: number, outs: Value[][], params: readonly Value[]): Value {
  const m = outs[0]!.length;
  const first = outs.map((o) => o[0]!);
  const l2 = () => pySum(params.map((p) => p.mul(p))).mul(1e-2);
  switch (kind) {
    case 0:
      return first.reduce((s, o) => s.add(o));
    case 1:
      return pySum(first)
        .mul(1 / outs.length)
        .add(l2());
    case 2:
      return l2().add(pySum(first).div(outs.length));
    case 3:
      return pySum(first).add(pySum(outs.map((o) => o[m - 1]!)));
    case 4:
      return pySum(outs.map((o) => o[0]!.add(o[1 % m]!.mul(params[0]!)).add(o[2 % m]!.mul(o[2 % m]!))));
    case 5:
      return pySum([...first].reverse());
    case 6:
      return pySum(outs.map((o, i) => (i === Math.floor(outs.length / 2) ? o[0]!.add(l2()) : o[0]!)));
    case 7:
      return pySum(outs.map((o) => o[m - 1]!.mul(o[m - 1]!))).mul(0.5);
    case 8: {
      // A running sum of outputs that an L2 chain also starts from.
      const start = first.length > 1 ? first[0]!.add(first[1]!) : first[0]!;
      const all = first.slice(2).reduce((s, o) => s.add(o), start);
      return all.add(params.reduce((s, p) => s.add(p.mul(p)), start).mul(1e-2));
    }
    case 9:
      // A dot-product chain whose terms are outputs times parameters, after an L2 term.
      return first.reduce((s, o, i) => s.add(o.mul(params[i % params.length]!)), l2());
    default:
      return pySum(outs.flatMap((o, i) => (i % 2 === 0 ? [o[0]!, o[m - 1]!] : [o[m - 1]!, o[0]!])));
  }
}

type Outcome = { loss: number; grads: number[]; outputs: number[] } | { error: string };

/** Schedules the tiled runs below were given, by name. */
const schedules = new Map<string, number>();

/** Runs `runs` batches of `least` to `least + spread - 1` samples. */
function fuzz(backend: Backend, seed: number, runs: number, least = 1, spread = 6): void {
  const rand = lcg(seed);
  const spec = randomSpec(rand);
  const params = Array.from({ length: spec.params + spec.fresh }, () => new Value(rand() * 2 - 1));
  const fn = (xs: Value[]) => build(spec, xs, params);
  let program: Program;
  try {
    program = compile(fn, {
      inputs: spec.inputs,
      reduce: (outs) => reduce(spec.reduction, outs, params),
      backend,
    });
  } catch (e) {
    // Tracing evaluates what depends on parameters alone, with their numbers: eager mode
    // throws there too, for any batch.
    if (!(e instanceof RangeError)) throw e;
    expect(() => fn([...Array<number>(spec.inputs)].map(() => new Value(1)))).toThrow(RangeError);
    return;
  }

  for (let run = 0; run < runs; run++) {
    const count = least + Math.floor(rand() * spread);
    const batch = Array.from({ length: count * spec.inputs }, () => (rand() < 0.05 ? 0 : rand() * 4 - 2));
    const start = params.map(() => (rand() < 0.5 ? 0 : rand() - 0.5));

    params.forEach((p, j) => (p.grad = start[j]!));
    let eager: Outcome;
    try {
      const outs = Array.from({ length: count }, (_, i) =>
        fn(batch.slice(i * spec.inputs, (i + 1) * spec.inputs).map((x) => new Value(x))),
      );
      const loss = reduce(spec.reduction, outs, params);
      loss.backward();
      eager = { loss: loss.data, grads: params.map((p) => p.grad), outputs: outs.flat().map((o) => o.data) };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      eager = { error: e.message };
    }

    params.forEach((p, j) => (p.grad = start[j]!));
    let compiled: Outcome;
    try {
      const loss = program.run(batch);
      compiled = { loss, grads: params.map((p) => p.grad), outputs: Array.from(program.outputs) };
      const plan = (
        program as unknown as { plans: Map<number, { tiles: number; schedule: string }> }
      ).plans.get(count);
      if (plan !== undefined && plan.tiles > 1)
        schedules.set(plan.schedule, (schedules.get(plan.schedule) ?? 0) + 1);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      compiled = { error: e.message };
      expect(params.map((p) => p.grad)).toEqual(start);
    }

    const where = `seed ${seed}, run ${run}, ${count} samples`;
    if ('error' in eager || 'error' in compiled) {
      expect(
        'error' in compiled,
        `${where}: eager ${JSON.stringify(eager)}, compiled ${JSON.stringify(compiled)}`,
      ).toBe('error' in eager);
    } else {
      expect(Object.is(compiled.loss, eager.loss), `${where}: loss ${compiled.loss} vs ${eager.loss}`).toBe(
        true,
      );
      compiled.grads.forEach((g, j) => {
        expect(Object.is(g, eager.grads[j]), `${where}: grad ${j} ${g} vs ${eager.grads[j]}`).toBe(true);
      });
      expect(compiled.outputs, where).toEqual(eager.outputs);
      params.forEach((p, j) => (p.data -= 0.05 * eager.grads[j]!));
    }
  }
}

describe('compiled mode against eager mode on random graphs', () => {
  describe.each(['wasm', 'interpreter'] as Backend[])('the %s back end', (backend) => {
    it.each(Array.from({ length: Number(process.env.FUZZ ?? 60) }, (_, i) => 1000 + i))(
      'program %i: 120 runs, same numbers bit for bit',
      (seed) => {
        fuzz(backend, seed, 120);
      },
      60_000,
    );
  });

  describe('in tiles that share one set of columns (fused or recomputed)', () => {
    // A cache of 2^9 numbers: a batch of a few hundred samples takes many tiles.
    afterEach(() => {
      setTileBudget(1 << 23);
    });
    describe.each(['wasm', 'interpreter'] as Backend[])('the %s back end', (backend) => {
      it.each(Array.from({ length: Number(process.env.FUZZ_TILED ?? 20) }, (_, i) => 2000 + i))(
        'program %i: 6 runs of 300 to 599 samples, same numbers bit for bit',
        (seed) => {
          setTileBudget(1 << 23, 1 << 9);
          fuzz(backend, seed, 6, 300, 300);
        },
        60_000,
      );
    });
    it('gave both schedules', () => {
      expect(schedules.get('fused')).toBeGreaterThan(0);
      expect(schedules.get('recomputed')).toBeGreaterThan(0);
    });
  });
});
