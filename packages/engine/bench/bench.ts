// `pnpm bench`: times one training step of micrograd's demo (zero grads, forward, backward, SGD)
// for each named case, then prints a table and one JSON line for machines.
//
//   tsx bench/bench.ts [--steps N] [--warmup N] [case ...]
import { performance } from 'node:perf_hooks';
import { topologicalOrder } from '../src/index.js';
import { type DemoWorkload, demoLoss, demoWorkload, median, sgdUpdate } from '@mg/test-utils';
import { compiledCases } from './compiled.js';

/** One way of running a training step; `prepare` may do setup work that is not timed. */
export interface BenchCase {
  name: string;
  /** Returns the step function (it returns the loss) and the number of graph nodes a step makes. */
  prepare(workload: DemoWorkload): { step: (index: number) => number; nodes: number };
  /** Warm-up steps this case needs at least (a JIT's tiers take a while to settle). */
  warmup?: number;
}

const eager: BenchCase = {
  name: 'eager',
  prepare(workload) {
    const nodes = topologicalOrder(demoLoss(workload)).length;
    return {
      nodes,
      step(index) {
        for (const p of workload.parameters) p.grad = 0;
        const loss = demoLoss(workload);
        loss.backward();
        sgdUpdate(workload.parameters, index % 100);
        return loss.data;
      },
    };
  },
};

const cases: BenchCase[] = [eager, ...compiledCases];

interface Row {
  case: string;
  msPerStep: number;
  /** CPU time of the process (all threads, GC helpers included): steadier than wall time on a busy machine. */
  cpuMsPerStep: number;
  firstStepMs: number;
  /** Steps run before the timed ones. */
  warmup: number;
  /** The first 100 steps together: tracing, code generation and JIT warm-up included. */
  first100Ms: number;
  nodesPerStep: number;
  nodesPerSecond: number;
  peakHeapMB: number;
  finalLoss: number;
}

function run(c: BenchCase, steps: number, warmup: number): Row {
  const workload = demoWorkload();
  const { step, nodes } = c.prepare(workload);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let peakHeap = 0;
  let loss = NaN;
  warmup = Math.max(warmup, c.warmup ?? 0);
  for (let i = 0; i < warmup + steps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    loss = step(i);
    times.push(performance.now() - t0);
    const cpu = process.cpuUsage(c0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const ms = median(times.slice(warmup));
  return {
    case: c.name,
    msPerStep: ms,
    cpuMsPerStep: median(cpuTimes.slice(warmup)),
    firstStepMs: times[0]!,
    warmup,
    first100Ms: times.length >= 100 ? times.slice(0, 100).reduce((a, b) => a + b, 0) : NaN,
    nodesPerStep: nodes,
    nodesPerSecond: (nodes / ms) * 1000,
    peakHeapMB: peakHeap / 2 ** 20,
    finalLoss: loss,
  };
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const n = Number(args.splice(i, 2)[1]);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`bench: ${name} must be a non-negative integer`);
  return n;
}

function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n'));
}

function main(): void {
  const args = process.argv.slice(2);
  const steps = option(args, '--steps', 50);
  const warmup = option(args, '--warmup', 10);
  const unknown = args.filter((name) => !cases.some((c) => c.name === name));
  if (unknown.length > 0)
    throw new RangeError(
      `bench: unknown case ${unknown.join(', ')}; known: ${cases.map((c) => c.name).join(', ')}`,
    );
  const selected = args.length === 0 ? cases : cases.filter((c) => args.includes(c.name));

  const rows = selected.map((c) => run(c, steps, warmup));

  console.log(
    `micrograd demo step: MLP 2-16-16-1, 100 points, hinge + L2; median of ${steps} steps after the warm-up`,
  );
  printTable(
    [
      'case',
      'ms/step',
      'cpu ms/step',
      'first step ms',
      'first 100 steps ms',
      'warm-up',
      'nodes/step',
      'nodes/s',
      'peak heap MB',
      'loss after',
    ],
    rows.map((r) => [
      r.case,
      r.msPerStep.toFixed(3),
      r.cpuMsPerStep.toFixed(3),
      r.firstStepMs.toFixed(1),
      r.first100Ms.toFixed(1),
      String(r.warmup),
      String(r.nodesPerStep),
      Math.round(r.nodesPerSecond).toLocaleString('en-US'),
      r.peakHeapMB.toFixed(1),
      r.finalLoss.toFixed(6),
    ]),
  );
  console.log(JSON.stringify({ bench: '@mg/engine', node: process.version, steps, warmup, rows }));
}

main();
