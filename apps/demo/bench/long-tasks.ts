// The CPU time of a page's long tasks: a long task (over 50 ms of wall time) is what makes a page
// feel stuck, and a trace of the page's main thread says how much of it was the page's own work.
import type { Browser, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
}

/**
 * For each long task the page observed, the most CPU time any main-thread task spent around it,
 * from a trace that holds the `bench-zero` mark made at page time `zero` (which ties page time to
 * the trace's clock, to within a few milliseconds).
 */
function cpuOfLongTasks(
  events: TraceEvent[],
  longTasks: { start: number; duration: number }[],
  zero: number,
): number[] {
  // The mark is made on the page's main thread: its thread is the one to look at.
  const mark = events.find((e) => e.name === 'bench-zero');
  if (mark === undefined) throw new Error('bench: the trace has no bench-zero mark');
  const tasks = events.filter(
    (e) => e.pid === mark.pid && e.tid === mark.tid && e.name === 'RunTask' && e.ph === 'X',
  );
  return longTasks.map(({ start, duration }) => {
    const from = mark.ts + (start - zero - 10) * 1000;
    const to = from + (duration + 20) * 1000;
    let cpu = 0;
    for (const e of tasks)
      if (e.ts < to && e.ts + (e.dur ?? 0) > from) cpu = Math.max(cpu, (e.tdur ?? e.dur ?? 0) / 1000);
    return cpu;
  });
}

/** Before the page opens: records every long task the page observes in `window.longTasks`. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        w.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Starts a trace of the page and forgets the long tasks so far: {@link longTaskCpu} ends it. */
export async function traceLongTasks(browser: Browser, page: Page): Promise<void> {
  // A trace of the page's main thread gives each task's CPU time beside its wall time: on a
  // machine shared with other work a task can take 50 ms of wall time while the page's own work
  // in it is a few milliseconds, and that is not jank the page causes.
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'],
  });
  await page.evaluate(() => {
    (window as unknown as { longTasks: unknown[] }).longTasks.length = 0;
    performance.mark('bench-zero');
  });
}

/** Ends the trace {@link traceLongTasks} started: the CPU time of each long task since, in ms. */
export async function longTaskCpu(browser: Browser, page: Page): Promise<number[]> {
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const longTasks = await page.evaluate(
    () => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks,
  );
  const zero = await page.evaluate(() => performance.getEntriesByName('bench-zero')[0]?.startTime);
  if (zero === undefined) throw new Error('bench: the page has no bench-zero mark');
  return cpuOfLongTasks(trace.traceEvents, longTasks, zero);
}
