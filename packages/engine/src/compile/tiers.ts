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
/** Runs after which we stop measuring and keep the quick tier. */
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
  private fastForAll = false;
  private measuring = clock !== undefined;
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

  private get fast(): Kernel {
    return (this.fastKernel ??= this.makeFast());
  }

  /** Whether every sample runs on the fast tier now. */
  get settled(): boolean {
    return this.fastForAll;
  }

  forward(X: Float64Array, xo: number, V: Float64Array, vo: number, O: Float64Array, oo: number): void {
    const i = oo / this.perSample;
    if (i === 0) this.endRun();
    const tier = this.tierOf(i);
    const kernel = tier === 1 ? this.fast : this.quick;
    if (!this.measuring) {
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
    const kernel = tier === 1 ? this.fast : this.quick;
    if (!this.measuring) {
      kernel.backward(V, vo, S, so, GX, sample);
      return;
    }
    const start = clock!.now();
    kernel.backward(V, vo, S, so, GX, sample);
    this.record(tier, start);
  }

  private tierOf(sample: number): number {
    return this.fastForAll || (this.runs > HOT && sample < PROBES) ? 1 : 0;
  }

  private record(tier: number, start: number): void {
    this.time[tier]! += clock!.now() - start;
    this.calls[tier]!++;
  }

  /** Compares the tiers over the last run, per sample. */
  private endRun(): void {
    if (!this.measuring) return;
    const [quickTime, fastTime] = this.time;
    const [quickCalls, fastCalls] = this.calls;
    if (this.runs >= HOT + SETTLE && quickCalls! > 0 && fastCalls! > 0) {
      this.wins = fastTime! / fastCalls! < quickTime! / quickCalls! ? this.wins + 1 : 0;
      if (this.wins >= WINS) {
        this.fastForAll = true;
        this.measuring = false;
      }
    }
    if (++this.runs >= PATIENCE) this.measuring = false;
    this.time.fill(0);
    this.calls.fill(0);
  }
}
