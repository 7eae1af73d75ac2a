import { describe, expect, it } from 'vitest';
import { stepInterval } from '../src/web/config.js';
import { Pacer } from '../src/web/worker/pace.js';

/** Runs a paced loop on a made-up clock: each timer fires `late` ms after its time, each step takes `work` ms. */
function startTimes(pacer: Pacer, interval: number, steps: number, late = 0, work = 0): number[] {
  const starts: number[] = [];
  let now = 0;
  pacer.restart(now);
  for (let k = 0; k < steps; k++) {
    starts.push(now);
    pacer.begin(now, interval);
    now += work;
    now += pacer.wait(now) + late;
  }
  return starts;
}

describe('the pace of the worker', () => {
  it('gives each speed its interval, and none for full speed', () => {
    expect((['1', '5', '20', '60', 'max'] as const).map(stepInterval)).toEqual([1000, 200, 50, 1000 / 60, 0]);
  });

  it('starts the first step at once and then one every interval, whatever the step takes', () => {
    expect(startTimes(new Pacer(), 50, 4, 0, 8)).toEqual([0, 50, 100, 150]);
  });

  it('keeps the pace when timers fire a little late', () => {
    const starts = startTimes(new Pacer(), 50, 21, 2);

    // 20 intervals in 1000 ms (and the 2 ms of the last timer), not 20 × 52.
    expect(starts.at(-1)).toBe(1002);
  });

  it('does not make up with a burst for a step over one interval late', () => {
    const pacer = new Pacer();
    pacer.restart(0);
    pacer.begin(0, 50);

    // The timer for 50 fires at 180 (a busy machine): the next is due 50 after that.
    pacer.begin(180, 50);

    expect(pacer.wait(180)).toBe(50);
  });

  it('times the next step again when the speed changes', () => {
    const pacer = new Pacer();
    pacer.restart(0);
    pacer.begin(0, 1000);

    pacer.retime(1000, 50);

    expect(pacer.wait(10)).toBe(40);
    pacer.retime(50, 0);
    expect(pacer.wait(10)).toBe(0);
  });
});
