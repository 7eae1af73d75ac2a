import type { Kernel } from './kernel.js';

/**
 * Samples per run that go to the fast tier while it warms up: enough for V8 to see it hot
 * soon, few enough that running it unoptimised costs little (measured: 4 beat 1, 10 and 25).
 */
const PROBES = 4;
/**
 * Runs on the interpreter alone before the fast tier is even generated: like a JIT, compile
 * only what proves hot. A short training (the notebook's 100 steps) never pays for code V8
 * would not optimise in time; a long one switches a few hundred runs later.
 */
const HOT = 100;
/** Runs of probing before any comparison: at first the fast tier runs unoptimised. */
const SETTLE = 10;
/** Consecutive runs the fast tier must win before it takes every sample. */
const WINS = 3;
/** Runs after which, if the fast tier has not won, we stop probing and keep the quick tier. */
const PATIENCE = 2000;

const clock: { now(): number } | undefined = (globalThis as { performance?: { now(): number } }).performance;

/**
 * Two kernels for the same tape with identical results, bit for bit: `quick` (the
 * interpreter: a few small loops that V8 optimises at once) and `fast` (generated
 * straight-line code, eight times faster once optimised, which takes V8 a few hundred
 * milliseconds in the background). Like a JIT's tiers: once the program is hot, the first
 * few samples of each run go to `fast`, so V8 sees it used and optimises it, and are timed;
 * the rest go to `quick`. Once `fast` is faster per sample for a few runs in a row, it takes
 * every sample. Which kernel runs a sample never changes a number, only the time.
 */
export class TieredKernel implements Kernel {
  readonly size: number;
  /** 'quick' until hot, then 'probing' (timing both), then 'fast' or, if it never wins, 'quick-for-good'. */
  private phase: 'quick' | 'probing' | 'fast' | 'quick-for-good' = 'quick';
  private runs = 0;
  private wins = 0;
  private readonly time = new Float64Array(2);
  private readonly calls = new Float64Array(2);
  private fastKernel: Kernel | null = null;

  /**
   * @param makeFast - builds the fast tier, once the program has proved hot
   * @param fastSize - an upper bound of the fast tier's `size`
   */
  constructor(
    private readonly quick: Kernel,
    private readonly makeFast: () => Kernel,
    fastSize: number,
    private readonly perSample: number,
  ) {
    this.size = Math.max(quick.size, fastSize);
  }

  forward(X: Float64Array, xo: number, V: Float64Array, vo: number, O: Float64Array, oo: number): void {
    const i = oo / this.perSample;
    if (i === 0) this.endRun();
    const tier = this.tierOf(i);
    const kernel = tier === 1 ? this.fast() : this.quick;
    if (this.phase !== 'probing') {
      kernel.forward(X, xo, V, vo, O, oo);
      return;
    }
    const start = clock!.now();
    kernel.forward(X, xo, V, vo, O, oo);
    this.record(tier, start);
  }

  backward(
    V: Float64Array,
    vo: number,
    S: Float64Array,
    so: number,
    GX: Float64Array | null,
    sample: ((i: number) => void) | null,
  ): void {
    const tier = this.tierOf(so / this.perSample);
    const kernel = tier === 1 ? this.fast() : this.quick;
    if (this.phase !== 'probing') {
      kernel.backward(V, vo, S, so, GX, sample);
      return;
    }
    const start = clock!.now();
    kernel.backward(V, vo, S, so, GX, sample);
    this.record(tier, start);
  }

  private fast(): Kernel {
    return (this.fastKernel ??= this.makeFast());
  }

  private tierOf(sample: number): number {
    return this.phase === 'fast' || (this.phase === 'probing' && sample < PROBES) ? 1 : 0;
  }

  private record(tier: number, start: number): void {
    this.time[tier]! += clock!.now() - start;
    this.calls[tier]!++;
  }

  /** Moves between phases at the start of each run; while probing, compares the last run's timings. */
  private endRun(): void {
    if (this.phase === 'fast' || this.phase === 'quick-for-good') return;
    this.runs++;
    if (this.phase === 'quick') {
      // Without a clock there is nothing to compare: switch once hot and let V8 catch up.
      if (this.runs > HOT) this.phase = clock === undefined ? 'fast' : 'probing';
      return;
    }
    const [quickTime, fastTime] = this.time;
    const [quickCalls, fastCalls] = this.calls;
    if (this.runs > HOT + SETTLE && quickCalls! > 0 && fastCalls! > 0) {
      this.wins = fastTime! / fastCalls! < quickTime! / quickCalls! ? this.wins + 1 : 0;
      if (this.wins >= WINS) this.phase = 'fast';
    }
    if (this.phase === 'probing' && this.runs >= PATIENCE) this.phase = 'quick-for-good';
    this.time.fill(0);
    this.calls.fill(0);
  }
}
