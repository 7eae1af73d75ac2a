// On a phone the settings come after everything else: the run's bar opens them as a sheet over
// the bottom of the screen, with the plot in sight above it, so a setting changes as it is watched.
import { NARROW, type Span } from './layout.js';

/** Room between the bar over the screen and the plot scrolled under it. */
const GAP_PX = 8;

/** The settings form as a sheet: opened and closed by the bar's Settings button. */
export class SettingsSheet {
  /**
   * @param form - the settings form; the class `sheet` makes it one (style.css, phone widths)
   * @param toggle - the bar's Settings button, which opens and closes it
   * @param close - the Close button at the sheet's top
   * @param plot - the big plot, kept in sight above the sheet
   * @param view - the part of the viewport the page shows in (not under the bar)
   */
  constructor(
    private readonly form: HTMLElement,
    private readonly toggle: HTMLButtonElement,
    private readonly close: HTMLButtonElement,
    private readonly plot: HTMLElement,
    private readonly view: () => Span,
  ) {
    toggle.addEventListener('click', () => {
      if (this.isOpen) this.shut();
      else this.open();
    });
    close.addEventListener('click', () => {
      this.shut();
    });
    // Escape closes it from anywhere: the sheet does not hold the focus.
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.isOpen || event.defaultPrevented) return;
      event.preventDefault();
      this.shut();
    });
    // Wider, the form is a column of the page again.
    window.matchMedia(NARROW).addEventListener('change', (event) => {
      if (!event.matches) this.shut();
    });
  }

  /** Whether the sheet is open. */
  get isOpen(): boolean {
    return this.form.classList.contains('sheet');
  }

  /** Opens the sheet, brings the plot into sight above it, and moves the focus into it. */
  open(): void {
    this.form.classList.add('sheet');
    this.toggle.setAttribute('aria-expanded', 'true');
    this.showPlot();
    this.close.focus({ preventScroll: true });
  }

  /** Closes the sheet; the focus, if it was in it, goes back to the Settings button. */
  shut(): void {
    if (!this.isOpen) return;
    const inside = this.form.contains(document.activeElement);
    this.form.classList.remove('sheet');
    this.toggle.setAttribute('aria-expanded', 'false');
    if (inside) this.toggle.focus({ preventScroll: true });
  }

  /** Scrolls the plot to just under the bar when the sheet, or the bar, hides part of it. */
  private showPlot(): void {
    const plot = this.plot.getBoundingClientRect();
    const sheet = this.form.getBoundingClientRect();
    const { top } = this.view();
    if (plot.top >= top && plot.bottom <= sheet.top) return;
    window.scrollBy({ top: plot.top - top - GAP_PX, behavior: 'smooth' });
  }
}
