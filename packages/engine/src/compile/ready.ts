import type { Backend } from './program.js';
import { wasmReady } from './wasm.js';

/**
 * Gets compiled mode's WebAssembly back end ready without blocking: compiles its module (on
 * another thread, where the host does that) and tries it once. Optional: without it, the first
 * compiled run does this itself, synchronously, in a few milliseconds (one module serves every
 * program, so once per process or worker). A host that refuses WebAssembly (say, a
 * Content-Security-Policy without `'wasm-unsafe-eval'`) resolves to `'interpreter'`; it never
 * rejects.
 *
 * @returns the back end `compile` picks here under `backend: 'auto'`
 *
 * @example
 * ```ts
 * import { Value, compile, ready } from '@mg/engine';
 *
 * console.log(await ready()); // wasm
 * const w = new Value(3);
 * const program = compile(([x]) => w.mul(x), { inputs: 1 });
 * console.log(program.run([2]), w.grad); // 6 2
 * ```
 */
export async function ready(): Promise<Backend> {
  return (await wasmReady()) === null ? 'wasm' : 'interpreter';
}
