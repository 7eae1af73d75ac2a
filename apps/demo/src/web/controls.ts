// The run's buttons: Train / Pause / Continue, Step, Reset, and their state.

/**
 * `done`: at the step limit (Train becomes Continue); `halted`: stopped by a divergence, Train and
 * Step off until a setting that could help changes or Reset starts over.
 */
export type RunState = 'idle' | 'playing' | 'done' | 'halted';

export class RunControls {
  private current: RunState = 'idle';

  constructor(
    private readonly play: HTMLButtonElement,
    private readonly step: HTMLButtonElement,
  ) {}

  get state(): RunState {
    return this.current;
  }

  set(state: RunState): void {
    this.current = state;
    const playing = state === 'playing';
    this.play.textContent = playing ? 'Pause' : state === 'done' ? 'Continue' : 'Train';
    this.play.setAttribute('aria-pressed', String(playing));
    this.play.disabled = state === 'halted';
    this.step.disabled = state !== 'idle';
  }
}
