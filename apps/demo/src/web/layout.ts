// The page's phone layout: the width it applies under, and the run's bar fixed over the top of
// the screen there.

/** The media query of the phone layout; style.css and toolbar.css break at the same width. */
export const NARROW = '(max-width: 700px)';

/** A vertical extent on the screen, in client pixels. */
export interface Span {
  top: number;
  bottom: number;
}

/** Whether the page has its phone layout now. */
export function isNarrow(): boolean {
  return window.matchMedia(NARROW).matches;
}

/**
 * Keeps `--bar-height` on the root element at the height of `bar`, so that on a phone, where the
 * bar is fixed over the top of the screen, the page starts under it and scrolling to an element
 * (`scroll-padding-top`) leaves it in sight.
 */
export function trackBarHeight(bar: HTMLElement): void {
  new ResizeObserver(() => {
    document.documentElement.style.setProperty('--bar-height', `${bar.offsetHeight}px`);
  }).observe(bar);
}

/** The part of the viewport the page shows in: all of it, less `bar` where it is fixed over the top. */
export function visibleSpan(bar: HTMLElement): Span {
  const top = getComputedStyle(bar).position === 'fixed' ? bar.getBoundingClientRect().bottom : 0;
  return { top, bottom: window.innerHeight };
}
