import { describe, expect, it } from 'vitest';
import { StatusCards, stepText } from '../src/web/status.js';

/** Cards as plain objects with a text, by id. */
function cards(): { status: StatusCards; text: (id: string) => string } {
  const boxes = new Map<string, { textContent: string }>();
  const box = (id: string): { textContent: string } => {
    let b = boxes.get(id);
    if (b === undefined) boxes.set(id, (b = { textContent: '' }));
    return b;
  };
  return { status: new StatusCards((id) => box(id) as HTMLElement), text: (id) => box(id).textContent };
}

describe('the status cards', () => {
  it('counts steps taken against the limit, and says so when a lowered limit is passed', () => {
    expect([stepText(0, 100), stepText(100, 100), stepText(80, 10)]).toEqual([
      '0 / 100',
      '100 / 100',
      '80 (limit 10)',
    ]);
  });

  it('shows the rate of a run that ended before the first update of the rate, not 0', () => {
    const { status, text } = cards();
    status.clear();

    // Train at 1000 ms, all 100 steps reported 120 ms later, then done.
    status.start(1000, 0);
    status.progress(1120, 100);
    status.stop();

    expect(text('speed')).toBe('833');
  });

  it('shows "–" for a run too short to time, and for one that took no step', () => {
    const { status, text } = cards();
    status.start(0, 0);
    status.progress(4, 2);
    status.stop();
    expect(text('speed')).toBe('–');

    status.start(100, 5);
    status.stop();
    expect(text('speed')).toBe('–');
  });

  it('shows the recent rate while training, paced or not', () => {
    const { status, text } = cards();
    status.start(0, 0);
    for (let k = 1; k <= 20; k++) status.progress(50 * k, k);

    expect(text('speed')).toBe('20');
  });
});
