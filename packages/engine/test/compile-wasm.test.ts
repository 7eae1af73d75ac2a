import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { PRIMITIVES, type PrimitiveOp } from '../src/ops.js';
import { Value, compile } from '../src/index.js';
import { lower } from '../src/compile/lower.js';
import { ParameterSet, trace } from '../src/compile/trace.js';
import { BOOK, BOOK_BYTES } from '../src/compile/wasm-book.js';
import { emitModule, forwardPairs, layout, moduleBytes, pairs } from '../src/compile/wasm.js';
import { TinyMLP } from './compile-workloads.js';

function forward(op: PrimitiveOp, x: number, k: number): number {
  return PRIMITIVES[op].forward(x, 0, k);
}

// The generated module, read back with a disassembler: its shape, not just its numbers.
describe('the WebAssembly back end', () => {
  const model = new TinyMLP([2, 16, 16, 1], ['relu', 'relu', 'linear'], 4);
  const tape = trace(
    ([x0, x1, y]) => [model.forward([x0!, x1!])[0]!.mul(y!.neg()).add(1).relu()],
    3,
    new ParameterSet(),
  );
  const lowered = lower(tape, [0]);
  const bytes = moduleBytes();

  it('runs every program on one valid module; a program is tables that grow with its terms', async () => {
    const text = (await wabt()).readWasm(bytes, { readDebugNames: false, simd: true }).toText({});

    expect(
      (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(
        bytes,
      ),
    ).toBe(true);
    expect(text).toMatch(/\(import "m" "memory" \(memory/);
    for (const name of ['exp', 'log', 'tanh', 'pow']) expect(text).toContain(`(import "m" "${name}" (func`);
    expect(text).toMatch(/\(export "forward" \(func/);
    expect(text).toContain('call_indirect');
    expect(text).toContain('f64x2.add');
    expect(text).toContain('f64x2.mul');
    expect(text).not.toMatch(/f64\.(min|max|sqrt)|fma/);
    // A fused neuron is one instruction: 33 chains and 32 ReLUs, plus the hinge's few ops.
    expect(lowered.instrs.filter((i) => i.kind === 'chain')).toHaveLength(33);
    const terms = lowered.instrs.reduce((n, i) => n + (i.kind === 'chain' ? i.terms.length : 0), 0);
    const { table } = layout(lowered);
    // Eight words per term, a record per instruction, and the two lists of calls.
    expect(table.length).toBeGreaterThan(8 * terms);
    expect(table.length * 4).toBeLessThan(24_000);
  });

  it('runs the neurons of a layer two at a time, forward and backward', () => {
    // Each hidden layer's 16 neurons make 8 pairs; the output neuron has no partner.
    expect(forwardPairs(lowered).size).toBe(16);
    expect(pairs(lowered).size).toBe(16);
    const program = compile(([x0, x1, y]) => [model.forward([x0!, x1!])[0]!.mul(y!.neg()).add(1).relu()], {
      inputs: 3,
      backend: 'wasm',
    });
    const batch = [0.5, -1.5, 1, -0.25, 2, -1, 1.25, 0.75, 1];
    for (const p of program.parameters) p.grad = 0;
    program.run(batch);
    const compiled = program.parameters.map((p) => p.grad);
    for (const p of program.parameters) p.grad = 0;
    let loss = new Value(0);
    for (let i = 0; i < batch.length; i += 3) {
      const [x0, x1, y] = batch.slice(i, i + 3).map((v) => new Value(v));
      loss = loss.add(model.forward([x0!, x1!])[0]!.mul(y!.neg()).add(1).relu());
    }
    loss.backward();
    program.parameters.forEach((p, k) => {
      expect(Object.is(p.grad, compiled[k]), `parameter ${k}`).toBe(true);
    });
  });

  it('reads the module from a code book that holds what the emitters make', () => {
    // When this fails, an emitter (or a spelling in ops.ts) changed: `pnpm --filter @mg/engine book`.
    const emitted = Buffer.from(emitModule());
    expect(BOOK_BYTES).toBe(emitted.length);
    expect(BOOK).toHaveLength(Math.ceil(emitted.length / 4));
    expect(Buffer.from(bytes).equals(emitted)).toBe(true);
    // A big-endian host writes each word's bytes in order itself: the same bytes.
    expect(Buffer.from(moduleBytes(false)).equals(emitted)).toBe(true);
  });

  it('spells every primitive as its JavaScript function computes it, on edge cases', () => {
    const ops: PrimitiveOp[] = ['pow', 'exp', 'log', 'tanh', 'relu', 'sigmoid'];
    const xs = [-0, 0, 5e-324, 1e-300, 0.5, 1, 2.5, 20, 300, -0.5, -2, -20, -300];
    for (const op of ops) {
      for (const k of op === 'pow' ? [2, -1, 0.5, 3, -2.5] : [0]) {
        const safe = xs.filter((x) => {
          const y = forward(op, x, k);
          return Number.isFinite(y);
        });
        const program = compile(([x]) => (op === 'pow' ? x!.pow(k) : x![op as 'exp']()), {
          inputs: 1,
          backend: 'wasm',
        });

        const out = program.predict(safe);

        safe.forEach((x, i) => {
          const expected = forward(op, x, k);
          expect(Object.is(out[i], expected), `${op}(${x}${op === 'pow' ? `, ${k}` : ''})`).toBe(true);
        });
      }
    }
  });

  it('gives each sample of a SIMD pair its own numbers (odd batches pad with a copy of the first)', () => {
    const w = new Value(1.5);
    const program = compile(([x]) => w.mul(x!).relu(), { inputs: 1, backend: 'wasm' });

    expect(Array.from(program.predict([-0, 2, -3]))).toEqual([-0, 3, 0]);
    expect(Object.is(program.predict([-0])[0], -0)).toBe(true);
  });
});
