// Optimizer step times (not a test: it prints figures). For each optimizer and model size, runs
// 300 steps of `step()` on fixed gradients and prints the median step and the first 100 steps'
// total, the part a short training run pays before V8 has optimised the step. One JSON line last.
import { median } from '@mg/test-utils';
import { Adam, AdamW, MLP, SGD, type Optimizer } from '../src/index.js';
import type { Value } from '@mg/engine';

const STEPS = 300;

const optimizers: [string, (params: Value[]) => Optimizer][] = [
  ['SGD', (p) => new SGD(p, { lr: 1e-3 })],
  ['SGD momentum', (p) => new SGD(p, { lr: 1e-3, momentum: 0.9, weightDecay: 1e-4 })],
  ['Adam', (p) => new Adam(p, { lr: 1e-3 })],
  ['AdamW', (p) => new AdamW(p, { lr: 1e-3 })],
];

const rows: { optimizer: string; params: number; msPerStep: number; msFirst100: number }[] = [];
for (const hidden of [
  [16, 16],
  [128, 128],
]) {
  for (const [name, make] of optimizers) {
    const params = new MLP(2, [...hidden, 1], { seed: 1 }).parameters();
    params.forEach((p, i) => (p.grad = Math.sin(i) * 1e-3));
    const opt = make(params);
    const times: number[] = [];
    for (let k = 0; k < STEPS; k++) {
      const t0 = performance.now();
      opt.step();
      times.push(performance.now() - t0);
    }
    const first100 = times.slice(0, 100).reduce((a, b) => a + b, 0);
    rows.push({ optimizer: name, params: params.length, msPerStep: median(times), msFirst100: first100 });
  }
}

console.log(`optimizer step, ${STEPS} steps each; Node ${process.version}`);
console.log('optimizer       params   median ms/step   first 100 steps ms');
for (const r of rows)
  console.log(
    `${r.optimizer.padEnd(14)} ${String(r.params).padStart(7)} ${r.msPerStep.toFixed(4).padStart(16)} ${r.msFirst100.toFixed(1).padStart(20)}`,
  );
console.log(JSON.stringify({ bench: 'optimizer-step', rows }));
