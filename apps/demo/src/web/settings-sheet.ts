// On a phone the settings come after everything else: the run's bar opens them as a sheet over
// the bottom of the screen, with the plot in sight above it, so a setting changes as it is watched.
// The sheet is modal for the keyboard and screen readers: Tab stays in it, and the page behind it
// is inert until it closes, all but the run's bar over it and the notes that say what a change did.
import { NARROW, type Span } from './layout.js';

/** Room between the bar over the screen and the plot scrolled under it. */
const GAP_PX = 8;

/** What Tab can reach: enabled controls and links, and elements given a tab stop. */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

/** The parts of the page the sheet leaves live while it is open, and how it lays out. */
export interface SheetParts {
  /** The settings form; the class `sheet` makes it one (style.css, phone widths). */
  form: HTMLElement;
  /** The bar's Settings button, which opens and closes it. */
  toggle: HTMLButtonElement;
  /** The Close button at the sheet's top. */
  close: HTMLButtonElement;
  /** The big plot, kept in sight above the sheet. */
  plot: HTMLElement;
  /**
   * What stays live (not inert) while the sheet is open besides it: the run's bar, over the
   * screen above it, and the status notes, so that what a setting did is still announced.
   */
  live: readonly HTMLElement[];
  /** The part of the viewport the page shows in (not under the bar). */
  view: () => Span;
}

/** The settings form as a sheet: opened and closed by the bar's Settings button. */
export class SettingsSheet {
  /** The elements made inert while the sheet is open, to be made live again when it closes. */
  private inerted: HTMLElement[] = [];

  constructor(private readonly parts: SheetParts) {
    const { toggle, close } = parts;
    toggle.addEventListener('click', () => {
      if (this.isOpen) this.shut();
      else this.open();
    });
    close.addEventListener('click', () => {
      this.shut();
    });
    document.addEventListener('keydown', (event) => {
      this.onKey(event);
    });
    // Wider, the form is a column of the page again, and the focus stays where it is in it.
    window.matchMedia(NARROW).addEventListener('change', (event) => {
      if (!event.matches) this.shut(false);
    });
  }

  /** Whether the sheet is open. */
  get isOpen(): boolean {
    return this.parts.form.classList.contains('sheet');
  }

  /** Opens the sheet, brings the plot into sight above it, and moves the focus into it. */
  open(): void {
    if (this.isOpen) return;
    this.parts.form.classList.add('sheet');
    this.parts.toggle.setAttribute('aria-expanded', 'true');
    this.inertBehind();
    this.showPlot();
    this.parts.close.focus({ preventScroll: true });
  }

  /**
   * Closes the sheet and makes the page behind it live again.
   *
   * @param refocus - whether the focus, if it was in the sheet, goes back to the Settings button
   */
  shut(refocus = true): void {
    if (!this.isOpen) return;
    const inside = this.parts.form.contains(document.activeElement);
    this.parts.form.classList.remove('sheet');
    this.parts.toggle.setAttribute('aria-expanded', 'false');
    for (const element of this.inerted) element.inert = false;
    this.inerted = [];
    if (inside && refocus) this.parts.toggle.focus({ preventScroll: true });
  }

  /** Escape closes the sheet from anywhere; Tab and Shift+Tab go round its controls. */
  private onKey(event: KeyboardEvent): void {
    if (!this.isOpen || event.defaultPrevented) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      this.shut();
    } else if (event.key === 'Tab' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      this.wrapFocus(event);
    }
  }

  /**
   * Keeps Tab in the sheet: past its last control to its first, before its first to its last,
   * and from outside it (a tapped button of the bar) into it.
   */
  private wrapFocus(event: KeyboardEvent): void {
    const stops = this.tabStops();
    const first = stops.at(0);
    const last = stops.at(-1);
    if (first === undefined || last === undefined) return;
    const active = document.activeElement;
    const inside = active !== null && this.parts.form.contains(active);
    const edge = event.shiftKey ? first : last;
    if (inside && active !== edge) return;
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }

  /** The sheet's controls that Tab stops at, in order: enabled, shown, not taken out of the order. */
  private tabStops(): HTMLElement[] {
    return [...this.parts.form.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (element) =>
        element.tabIndex >= 0 &&
        !(element as HTMLButtonElement).disabled &&
        element.getClientRects().length > 0,
    );
  }

  /** Makes inert everything on the page but the sheet and the parts that stay live. */
  private inertBehind(): void {
    const keep = [this.parts.form, ...this.parts.live];
    const visit = (parent: Element): void => {
      for (const child of parent.children) {
        if (!(child instanceof HTMLElement) || keep.includes(child)) continue;
        if (keep.some((element) => child.contains(element))) visit(child);
        else if (!child.inert) {
          child.inert = true;
          this.inerted.push(child);
        }
      }
    };
    visit(document.body);
  }

  /** Scrolls the plot to just under the bar when the sheet, or the bar, hides part of it. */
  private showPlot(): void {
    const plot = this.parts.plot.getBoundingClientRect();
    const sheet = this.parts.form.getBoundingClientRect();
    const { top } = this.parts.view();
    if (plot.top >= top && plot.bottom <= sheet.top) return;
    window.scrollBy({ top: plot.top - top - GAP_PX, behavior: 'smooth' });
  }
}
