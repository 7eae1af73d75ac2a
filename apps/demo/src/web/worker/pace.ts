// When the worker takes its next step at a chosen speed.

/**
 * Times steps taken a fixed interval apart: each is due one interval after the one before, so
 * timers that fire a little late do not slow the pace, while a step more than one interval late (a
 * slow step, a busy machine) is not made up for with a burst of steps.
 *
 * @example
 * ```ts
 * const pacer = new Pacer();
 * pacer.restart(0);
 * pacer.begin(0, 50); // a step starts at 0 ms, at 20 steps a second
 * pacer.wait(8); // 42: the next is due at 50 ms
 * ```
 */
export class Pacer {
  /** When the next step is due, in milliseconds on the caller's clock. */
  private due = 0;

  /** Training starts (or resumes) at `now`: the next step is due at once. */
  restart(now: number): void {
    this.due = now;
  }

  /**
   * A step starts at `now`, at steps `interval` milliseconds apart (0: no pause): the next is
   * due one interval after this one was.
   */
  begin(now: number, interval: number): void {
    if (now - this.due > interval) this.due = now;
    this.due += interval;
  }

  /**
   * The speed changed from steps `from` to steps `to` milliseconds apart: the next step is due
   * `to` after the last one was.
   */
  retime(from: number, to: number): void {
    this.due += to - from;
  }

  /** Milliseconds from `now` until the next step is due (0 when it is). */
  wait(now: number): number {
    return Math.max(0, this.due - now);
  }
}
