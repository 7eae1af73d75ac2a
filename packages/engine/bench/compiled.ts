// Compiled-mode cases for bench.ts: the same workload, traced once and replayed. The program is
// built on the first step, so "first step" includes tracing and code generation.
import { compile, topologicalOrder, type Backend, type Program } from '../src/index.js';
import type { BenchCase } from './bench.js';
import { demoLoss, pySum, sgdUpdate } from '@mg/test-utils';

function compiledCase(backend: Backend): BenchCase {
  return {
    name: `compiled-${backend}`,
    warmup: 100,
    prepare(workload) {
      const { model, parameters, xs, ys } = workload;
      const batch = Float64Array.from(xs.flatMap((row, i) => [...row, ys[i]!]));
      let program: Program | null = null;
      return {
        // The eager graph's size: the work a step replays, so nodes/s compares with eager.
        nodes: topologicalOrder(demoLoss(workload)).length,
        step(index) {
          // Per sample, as the notebook: relu(1 + -y * score); then the mean and the L2 term.
          program ??= compile(([x0, x1, y]) => model.forward([x0!, x1!])[0]!.mul(y!.neg()).add(1).relu(), {
            inputs: 3,
            backend,
            reduce: (outs) =>
              pySum(outs.map(([l]) => l!))
                .mul(1 / outs.length)
                .add(pySum(parameters.map((p) => p.mul(p))).mul(1e-4)),
          });
          for (const p of parameters) p.grad = 0;
          const loss = program.run(batch);
          sgdUpdate(parameters, index % 100);
          return loss;
        },
      };
    },
  };
}

export const compiledCases: BenchCase[] = [compiledCase('wasm'), compiledCase('interpreter')];
