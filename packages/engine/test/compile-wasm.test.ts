import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { PRIMITIVES, type PrimitiveOp } from '../src/ops.js';
import { Value, compile } from '../src/index.js';
import { lower } from '../src/compile/lower.js';
import { ParameterSet, trace } from '../src/compile/trace.js';
import { BOOK_BYTES, BOOK_INDEX } from '../src/compile/wasm-book.js';
import { emitBook, generate } from '../src/compile/wasm.js';
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
    false,
  );
  const lowered = lower(tape, [0]);
  const { bytes } = generate(lowered);

  it('emits a valid module whose size grows with neurons, not weights', async () => {
    const text = (await wabt()).readWasm(bytes, { readDebugNames: false, simd: true }).toText({});

    expect(
      (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(
        bytes,
      ),
    ).toBe(true);
    expect(text).toMatch(/\(import "m" "memory" \(memory/);
    for (const name of ['exp', 'log', 'tanh', 'pow']) expect(text).toContain(`(import "m" "${name}" (func`);
    expect(text).toMatch(/\(export "forward" \(func/);
    expect(text).toContain('f64x2.add');
    expect(text).toContain('f64x2.mul');
    expect(text).not.toMatch(/f64\.(min|max|sqrt)|fma/);
    // A fused neuron is one instruction: 33 chains and 32 ReLUs, plus the hinge's few ops.
    expect(lowered.instrs.filter((i) => i.kind === 'chain')).toHaveLength(33);
    expect(bytes.length).toBeLessThan(40_000);
  });

  it('reads its shared functions from a code book that holds what the emitters make', () => {
    // When this fails, an emitter (or a spelling in ops.ts) changed: `pnpm --filter @mg/engine book`.
    const emitted = emitBook();
    const book = Buffer.from(BOOK_BYTES, 'base64');
    expect(BOOK_INDEX.map(([key]) => key)).toEqual(emitted.map(([key]) => key));
    let at = 0;
    for (const [key, body] of emitted) {
      expect(book.subarray(at, at + body.length).equals(body), `the book's ${key}`).toBe(true);
      at += body.length;
    }
    expect(at).toBe(book.length);
    // Every variant of every op is in it: each primitive forward on a column, backward adding.
    for (const op of Object.keys(PRIMITIVES)) {
      const b = PRIMITIVES[op as PrimitiveOp].arity === 2 ? 'true' : 'null';
      expect(emitted.map(([key]) => key)).toContain(`forward ${op} true ${b}`);
      expect(emitted.map(([key]) => key)).toContain(
        `backward ${op} true ${b} false ${b === 'null' ? 'null' : 'false'}`,
      );
    }
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
