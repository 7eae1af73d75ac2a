// The peers' workload in compiled mode, printing one JSON line with the same fields as the
// reference implementations (PyTorch and C) print, so the two can be run alternately and
// compared: an MLP 2-h1-h2-1 (ReLU hidden), two-moons points, mean hinge loss plus 1e-4 L2,
// SGD with lr = 1 - 0.9 k / steps, full batch. Step 0 includes tracing and compiling.
//
//   tsx bench/vs-peers.ts [--hidden 16,16] [--samples 100] [--steps 100] [--backend wasm|interpreter]
import { performance } from 'node:perf_hooks';
import type { Backend } from '../src/index.js';
import { compileDemoLoss, demoBatch, demoWorkload, median as medianOf, sgdUpdate } from '@mg/test-utils';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1]!;
}

const hidden = option('--hidden', '16,16').split(',').map(Number);
const samples = Number(option('--samples', '100'));
const steps = Number(option('--steps', '100'));
const backend = option('--backend', 'wasm') as Backend;

const workload = demoWorkload({ hidden, samples });
const { parameters } = workload;
const batch = demoBatch(workload);

const times: number[] = [];
let loss = NaN;
let first = NaN;
const start = performance.now();
const program = compileDemoLoss(workload.model, { backend });
const compiled = performance.now() - start;
for (let k = 0; k < steps; k++) {
  const t0 = performance.now();
  // Gradients replaced rather than added to, as PyTorch's `p.grad = None` before `backward()`.
  loss = program.run(batch, { accumulate: false });
  sgdUpdate(parameters, k, steps);
  times.push(performance.now() - t0 + (k === 0 ? compiled : 0));
  if (k === 0) first = loss;
}
const total = performance.now() - start;
const median = medianOf(times);
console.log(
  JSON.stringify({
    impl: `mg-${program.backend}`,
    sizes: [2, ...hidden, 1],
    samples,
    steps,
    total_s: total / 1000,
    ms_step_median: median,
    ms_first100: times.slice(0, 100).reduce((a, b) => a + b, 0),
    final_loss: loss,
    loss_step0: first,
  }),
);
