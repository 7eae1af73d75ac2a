// The run's buttons: Train / Pause / Continue, Step, Reset, and their state.

/**
 * `done`: at the step limit (Train becomes Continue); `halted`: stopped by a divergence, Train and
 * Step off until a setting that could help changes or Reset starts over.
 */
export type RunState = 'idle' | 'playing' | 'done' | 'halted';

/** What the Train button says in each state: its label is its state (it is no toggle button). */
const PLAY_LABEL: Record<RunState, string> = {
  idle: 'Train',
  playing: 'Pause',
  done: 'Continue',
  halted: 'Train',
};

/**
 * The Train and Step buttons. Train's label names what pressing it does (Train, Pause or
 * Continue), so it carries no `aria-pressed`: a button whose name changes is not also a toggle.
 * Its `data-state` attribute gives the style of a running run.
 */
export class RunControls {
  private current: RunState = 'idle';

  constructor(
    private readonly play: HTMLButtonElement,
    private readonly step: HTMLButtonElement,
  ) {}

  /** The run's state as the buttons show it. */
  get state(): RunState {
    return this.current;
  }

  /** Shows `state` on the buttons: Train's label and style, and which buttons are on. */
  set(state: RunState): void {
    this.current = state;
    this.play.textContent = PLAY_LABEL[state];
    this.play.dataset.state = state;
    this.play.disabled = state === 'halted';
    this.step.disabled = state !== 'idle';
  }
}
