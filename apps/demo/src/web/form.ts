// The settings form: shows a configuration, reads one back, and says inline what is out of range.
import { HIDDEN_RANGE, allowedRange, parseHidden, INTEGER_KEYS, LIMITS, type Config } from './config.js';

type NumberKey = 'samples' | 'noise' | 'seed' | 'test' | 'lr' | 'steps' | 'alpha';
const NUMBER_KEYS: readonly NumberKey[] = ['samples', 'noise', 'seed', 'test', 'lr', 'steps', 'alpha'];
const LABELS: Record<NumberKey | 'hidden', string> = {
  samples: 'Points',
  noise: 'Noise',
  seed: 'Seed',
  test: 'Test points',
  lr: 'Learning rate',
  steps: 'Steps',
  alpha: 'L2 strength',
  hidden: 'Hidden layers',
};

export class SettingsForm {
  constructor(private readonly form: HTMLFormElement) {
    form.addEventListener('input', () => {
      this.showOutputs();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
    });
  }

  /** Calls `listener` with the new configuration after each committed change, or null while a field is invalid. */
  onChange(listener: (config: Config | null) => void): void {
    this.form.addEventListener('change', () => {
      listener(this.read());
    });
  }

  show(c: Config): void {
    this.select('dataset').value = c.dataset;
    for (const key of NUMBER_KEYS) this.input(key).value = String(c[key]);
    this.input('hidden').value = c.hidden.join(', ');
    this.select('activation').value = c.activation;
    this.select('optimizer').value = c.optimizer;
    this.input('decay').checked = c.decay;
    for (const radio of this.form.querySelectorAll<HTMLInputElement>('input[name="engine"]'))
      radio.checked = radio.value === c.engine;
    for (const key of [...NUMBER_KEYS, 'hidden'] as const) this.mark(key, null);
    this.showOutputs();
  }

  /** The form's configuration; null when a field is invalid (each such field then says what it allows). */
  read(): Config | null {
    let invalid = 0;
    const number = (key: NumberKey): number => {
      const input = this.input(key);
      const value = Number(input.value);
      const [lo, hi] = LIMITS[key];
      const valid =
        input.value.trim() !== '' &&
        Number.isFinite(value) &&
        value >= lo &&
        value <= hi &&
        (!INTEGER_KEYS.has(key) || Number.isInteger(value));
      this.mark(
        key,
        valid
          ? null
          : `${LABELS[key]} must be ${allowedRange(key)}; got ${input.value.trim() === '' ? 'nothing' : input.value}.`,
      );
      if (!valid) invalid++;
      return value;
    };
    const hiddenText = this.input('hidden').value;
    const hidden = parseHidden(hiddenText);
    this.mark(
      'hidden',
      hidden === null ? `${LABELS.hidden}: ${HIDDEN_RANGE}; got ${JSON.stringify(hiddenText)}.` : null,
    );
    const engine = this.form.querySelector<HTMLInputElement>('input[name="engine"]:checked')?.value;
    const config: Config = {
      dataset: this.select('dataset').value as Config['dataset'],
      samples: number('samples'),
      noise: number('noise'),
      seed: number('seed'),
      test: number('test'),
      hidden: hidden ?? [],
      activation: this.select('activation').value as Config['activation'],
      lr: number('lr'),
      decay: this.input('decay').checked,
      steps: number('steps'),
      alpha: number('alpha'),
      optimizer: this.select('optimizer').value as Config['optimizer'],
      engine: engine === 'compiled' ? 'compiled' : 'eager',
    };
    return invalid === 0 && hidden !== null ? config : null;
  }

  private mark(key: NumberKey | 'hidden', error: string | null): void {
    const input = this.input(key);
    input.setAttribute('aria-invalid', String(error !== null));
    const box = this.form.querySelector<HTMLElement>(`#${key}-error`);
    if (box === null) return;
    box.hidden = error === null;
    box.textContent = error ?? '';
  }

  private showOutputs(): void {
    for (const output of this.form.querySelectorAll<HTMLOutputElement>('output')) {
      const input = this.input(output.htmlFor.value);
      output.value = output.htmlFor.value === 'test' ? `${input.value}%` : input.value;
    }
  }

  private input(name: string): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }

  private select(name: string): HTMLSelectElement {
    return this.form.elements.namedItem(name) as HTMLSelectElement;
  }
}
