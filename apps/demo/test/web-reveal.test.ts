import { describe, expect, it } from 'vitest';
import { PEEK_PX, planReveal } from '../src/web/graph-cue.js';

// The page at 1280 × 800: the plot near the top, the graph panel far below the fold.
const plot = { top: 333, bottom: 663 };
const panel = { top: 1353, bottom: 1961 };

describe("bringing a clicked point's graph into sight", () => {
  it('leaves the page alone when the top of the graph panel is in sight', () => {
    expect(planReveal(panel, plot, { top: 0, bottom: 1353 + PEEK_PX })).toEqual({ kind: 'none' });
    // A panel shorter than the peek counts as in sight when all of it is.
    expect(planReveal({ top: 500, bottom: 600 }, plot, { top: 0, bottom: 600 })).toEqual({ kind: 'none' });
  });

  it('scrolls only as far as shows the top of the panel, when the plot stays in sight', () => {
    const view = { top: 0, bottom: 1300 };
    const plan = planReveal(panel, plot, view);

    expect(plan).toEqual({ kind: 'scroll', by: 1353 + PEEK_PX - 1300 });
    if (plan.kind === 'scroll') expect(plot.top - plan.by).toBeGreaterThanOrEqual(view.top);
  });

  it('shows a cue instead when scrolling to the panel would take the plot out of sight', () => {
    expect(planReveal(panel, plot, { top: 0, bottom: 800 })).toEqual({ kind: 'cue', below: true });
    // Under a bar fixed over the screen's top, the plot must stay below the bar.
    expect(planReveal(panel, plot, { top: 300, bottom: 1300 })).toEqual({ kind: 'cue', below: true });
  });

  it('says the panel is above when the page is scrolled past it', () => {
    expect(planReveal({ top: -900, bottom: -300 }, plot, { top: 0, bottom: 800 })).toEqual({
      kind: 'cue',
      below: false,
    });
  });
});
