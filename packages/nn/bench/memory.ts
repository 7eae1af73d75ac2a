// Long-run memory check (not a test: it prints figures). Trains a small model for 10,000 steps,
// eager and compiled, and prints the heap after a full GC before, during and after the run.
// Flat numbers mean nothing accumulates per step (graphs, tapes, optimizer state).
import v8 from 'node:v8';
import vm from 'node:vm';
import { MLP, PythonRandom, Trainer, type Engine } from '../src/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const STEPS = 10_000;
const rng = new PythonRandom(1);
const x = Array.from({ length: 32 }, () => [rng.uniform(-2, 2), rng.uniform(-2, 2)]);
const y = x.map(([a, b]) => (a! * b! > 0 ? 1 : -1));

function heapMB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function run(engine: Engine): void {
  const model = new MLP(2, [8, 8, 1], { seed: 1337 });
  const trainer = new Trainer(
    model,
    { x, y },
    { engine, alpha: 1e-4, lr: (k) => 0.5 - (0.45 * k) / STEPS, batchSize: 16, seed: 3 },
  );
  for (let k = 0; k < 100; k++) trainer.step(); // warm up: JIT, compiled plans, optimizer buffers
  const before = heapMB();
  const samples: string[] = [];
  const t0 = performance.now();
  let last = trainer.step();
  for (let k = 1; k < STEPS; k++) {
    last = trainer.step();
    if ((k + 1) % 2_000 === 0) samples.push(heapMB().toFixed(2));
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = heapMB();
  console.log(
    `${engine.padEnd(8)} ${STEPS} steps in ${seconds.toFixed(1)} s (${Math.round(STEPS / seconds)} steps/s), ` +
      `final loss ${last.loss.toFixed(4)}, accuracy ${((last.accuracy ?? 0) * 100).toFixed(0)}%`,
  );
  console.log(
    `         heap before ${before.toFixed(2)} MB, every 2,000 steps ${samples.join(' ')} MB, after ${after.toFixed(2)} MB (${(after - before >= 0 ? '+' : '') + (after - before).toFixed(2)} MB)`,
  );
}

console.log(`MLP(2, [8, 8, 1]), 32 samples, mini-batches of 16, SGD; Node ${process.version}`);
run('eager');
run('compiled');
