import type { Executor } from './executor.js';
import type { Lowered } from './lower.js';

/** Why this host cannot run the WebAssembly back end, or null when it can. */
export function wasmUnavailable(): string | null {
  return 'not built yet';
}

export class WasmExecutor implements Executor {
  M = new Float64Array(0);
  constructor(readonly program: Lowered) {}
  reserve(): void {}
  forward(): void {}
  backward(): void {}
  allFinite(): boolean {
    return false;
  }
}
