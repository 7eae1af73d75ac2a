// The run's buttons: Train / Pause / Continue, Step, Reset, and their state.

export type RunState = 'idle' | 'playing' | 'done';

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
    this.step.disabled = state !== 'idle';
  }
}
