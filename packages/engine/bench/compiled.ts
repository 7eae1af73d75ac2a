// Compiled-mode cases for bench.ts: the same workload, traced once and replayed. The program is
// built on the first step, so "first step" includes tracing and code generation.
import { topologicalOrder, type Backend, type Program } from '../src/index.js';
import type { BenchCase } from './bench.js';
import { compileDemoLoss, demoBatch, demoLoss, sgdUpdate } from '@mg/test-utils';

function compiledCase(backend: Backend): BenchCase {
  return {
    name: `compiled-${backend}`,
    warmup: 100,
    prepare(workload) {
      const batch = demoBatch(workload);
      let program: Program | null = null;
      return {
        // The eager graph's size: the work a step replays, so nodes/s compares with eager.
        nodes: topologicalOrder(demoLoss(workload)).length,
        step(index) {
          program ??= compileDemoLoss(workload.model, { backend });
          for (const p of workload.parameters) p.grad = 0;
          const loss = program.run(batch);
          sgdUpdate(workload.parameters, index % 100);
          return loss;
        },
      };
    },
  };
}

export const compiledCases: BenchCase[] = [compiledCase('wasm'), compiledCase('interpreter')];
