import { describe, expect, it } from 'vitest';
import { generateKernel } from '../src/compile/codegen.js';
import { InterpretedKernel } from '../src/compile/interpreter.js';
import type { Kernel } from '../src/compile/kernel.js';
import { ParameterSet, trace } from '../src/compile/trace.js';
import { findChains } from '../src/compile/fuse.js';
import { TinyMLP, moons } from './compile-workloads.js';

// Every way of running a per-sample tape must give the same numbers, bit for bit: the
// generated code and the interpreter (the two tiers of the JS back end), the latter with and
// without fused chains.
describe('per-sample kernels', () => {
  const model = new TinyMLP([2, 16, 16, 1], ['relu', 'relu', 'linear'], 42);
  const params = new ParameterSet();
  const tape = trace(([x0, x1, y]) => [model.forward([x0!, x1!])[0]!.mul(y!.neg()).add(1).relu()], 3, params, false);
  const n = params.values.length;
  const P = Float64Array.from(params.values, (p) => p.data);
  const data = moons(20, 9).flatMap(({ x, y }) => [...x, y]);

  function runAll(make: (P: Float64Array, G: Float64Array, GV: Float64Array) => Kernel): { outputs: number[]; grads: number[] } {
    const GV = new Float64Array(n + tape.nodes.length);
    const G = GV.subarray(0, n);
    const V = new Float64Array(n + tape.nodes.length);
    V.set(P);
    const kernel = make(V.subarray(0, n), G, GV);
    const O = new Float64Array(1);
    const seed = Float64Array.of(0.37);
    const outputs: number[] = [];
    for (let i = 0; i < data.length / 3; i++) {
      kernel.forward(Float64Array.from(data), i * 3, V, n, O, 0);
      outputs.push(O[0]!);
      kernel.backward(V, n, seed, 0, null, null);
    }
    return { outputs, grads: Array.from(G) };
  }

  it('finds one fused chain per neuron in an MLP', () => {
    const lengths = [...findChains(tape).values()].map((c) => c.muls.length);

    expect(lengths.filter((l) => l === 2)).toHaveLength(16);
    expect(lengths.filter((l) => l === 16)).toHaveLength(17);
  });

  it('agree bit for bit: generated code, fused and plain interpreter', () => {
    const straight = runAll((_P, G) => generateKernel(tape, G, null));
    const fused = runAll((_P, _G, GV) => new InterpretedKernel(tape, GV, n, null, true));
    const plain = runAll((_P, _G, GV) => new InterpretedKernel(tape, GV, n, null, false));

    expect(straight.grads.some((g) => g !== 0)).toBe(true);
    expect(fused).toEqual(straight);
    expect(plain).toEqual(straight);
  });
});
