// The settings form: shows a configuration, reads one back, and says inline what is out of range.
import {
  ACTIVATIONS,
  HIDDEN_RANGE,
  INTEGER_KEYS,
  LIMITS,
  OPTIMIZERS,
  SPEEDS,
  allowedRange,
  parseHidden,
  type Config,
} from './config.js';
import { DATASET_NAMES } from '../core/index.js';

// index.html places each setting as `<label data-setting="key">`; its control comes from these
// tables, which take their bounds and values from config.ts: the page offers what a link may hold.
// A setting placed outside the form (the speed, by the Train button) names it: `data-form="controls"`.

type NumberKey = 'samples' | 'noise' | 'seed' | 'test' | 'lr' | 'steps' | 'alpha';

interface NumberField {
  label: string;
  /** The data's settings are sliders that show their value; the others, boxes that say what is out of range. */
  control: 'range' | 'number';
  /** The input's `step`: `'any'` for a box that takes any decimal. */
  step: string;
  /** Shown after a slider's value. */
  unit?: string;
}

const NUMBER_FIELDS: Record<NumberKey, NumberField> = {
  samples: { label: 'Points', control: 'range', step: '1' },
  noise: { label: 'Noise', control: 'range', step: '0.01' },
  test: { label: 'Test points (% of training)', control: 'range', step: '5', unit: '%' },
  seed: { label: 'Seed', control: 'number', step: '1' },
  lr: { label: 'Learning rate', control: 'number', step: 'any' },
  steps: { label: 'Steps', control: 'number', step: '1' },
  alpha: { label: 'L2 strength', control: 'number', step: 'any' },
};
const NUMBER_KEYS = Object.keys(NUMBER_FIELDS) as NumberKey[];
const isNumberKey = (key: string | undefined): key is NumberKey => NUMBER_KEYS.some((k) => k === key);

type ChoiceKey = 'dataset' | 'activation' | 'optimizer' | 'speed';

interface ChoiceField {
  label: string;
  values: readonly string[];
  /** An option's text where it is not its value. */
  text?: Record<string, string>;
}

const CHOICE_FIELDS: Record<ChoiceKey, ChoiceField> = {
  dataset: { label: 'Dataset', values: DATASET_NAMES },
  activation: { label: 'Activation', values: ACTIVATIONS, text: { relu: 'ReLU' } },
  optimizer: {
    label: 'Optimizer',
    values: OPTIMIZERS,
    text: { sgd: 'SGD', momentum: 'SGD with momentum 0.9', adam: 'Adam' },
  },
  speed: {
    label: 'Speed',
    values: SPEEDS,
    text: {
      '1': '1 step a second',
      '5': '5 steps a second',
      '20': '20 steps a second',
      '60': '60 steps a second',
      max: 'as fast as it goes',
    },
  },
};
const isChoiceKey = (key: string | undefined): key is ChoiceKey => key !== undefined && key in CHOICE_FIELDS;

const HIDDEN_LABEL = 'Hidden layers';

function fillField(label: HTMLLabelElement): void {
  const key = label.dataset.setting;
  if (isNumberKey(key)) fillNumberField(label, key);
  else if (isChoiceKey(key)) fillChoiceField(label, key);
  else
    throw new Error(
      `internal error: index.html places a setting that does not exist: ${JSON.stringify(key)}`,
    );
}

function fillNumberField(label: HTMLLabelElement, key: NumberKey): void {
  const { label: text, control, step } = NUMBER_FIELDS[key];
  const [min, max] = LIMITS[key];
  const input = Object.assign(document.createElement('input'), {
    name: key,
    type: control,
    min: String(min),
    max: String(max),
    step,
  });
  label.append(`${text} `);
  if (control === 'range') {
    // Only sliders get an id, for their output's `for`: ids are page-wide (the step log is #steps).
    input.id = key;
    const output = Object.assign(document.createElement('output'), { name: `${key}-out` });
    output.htmlFor.value = key;
    label.append(output);
  } else {
    const error = Object.assign(document.createElement('small'), {
      className: 'error',
      id: `${key}-error`,
      hidden: true,
    });
    input.inputMode = INTEGER_KEYS.has(key) ? 'numeric' : 'decimal';
    input.setAttribute('aria-describedby', error.id);
    label.after(error);
  }
  label.append(input);
}

function fillChoiceField(label: HTMLLabelElement, key: ChoiceKey): void {
  const { label: text, values, text: optionText } = CHOICE_FIELDS[key];
  const select = Object.assign(document.createElement('select'), { name: key });
  // Outside the form, the control still belongs to it (its `elements`, its value read back).
  if (label.dataset.form !== undefined) select.setAttribute('form', label.dataset.form);
  select.append(...values.map((value) => new Option(optionText?.[value] ?? value, value)));
  label.append(`${text} `, select);
}

export class SettingsForm {
  /** Controls of the form placed outside it: their events do not reach the form. */
  private readonly outside: HTMLElement[] = [];

  constructor(private readonly form: HTMLFormElement) {
    for (const label of form.querySelectorAll<HTMLLabelElement>('label[data-setting]')) fillField(label);
    const away = form.ownerDocument.querySelectorAll<HTMLLabelElement>(
      `label[data-setting][data-form="${form.id}"]`,
    );
    for (const label of away) {
      fillField(label);
      this.outside.push(...label.querySelectorAll<HTMLElement>('select, input'));
    }
    form.addEventListener('input', () => {
      this.showOutputs();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
    });
  }

  /** Calls `listener` with the new configuration after each committed change, or null while a field is invalid. */
  onChange(listener: (config: Config | null) => void): void {
    for (const target of [this.form, ...this.outside])
      target.addEventListener('change', () => {
        listener(this.read());
      });
  }

  show(c: Config): void {
    this.select('dataset').value = c.dataset;
    for (const key of NUMBER_KEYS) this.input(key).value = String(c[key]);
    this.input('hidden').value = c.hidden.join(', ');
    this.select('activation').value = c.activation;
    this.select('optimizer').value = c.optimizer;
    this.select('speed').value = c.speed;
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
          : `${NUMBER_FIELDS[key].label} must be ${allowedRange(key)}; got ${input.value.trim() === '' ? 'nothing' : input.value}.`,
      );
      if (!valid) invalid++;
      return value;
    };
    const hiddenText = this.input('hidden').value;
    const hidden = parseHidden(hiddenText);
    this.mark(
      'hidden',
      hidden === null ? `${HIDDEN_LABEL}: ${HIDDEN_RANGE}; got ${JSON.stringify(hiddenText)}.` : null,
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
      speed: this.select('speed').value as Config['speed'],
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
    for (const key of NUMBER_KEYS) {
      const output = this.form.elements.namedItem(`${key}-out`);
      if (output instanceof HTMLOutputElement)
        output.value = `${this.input(key).value}${NUMBER_FIELDS[key].unit ?? ''}`;
    }
  }

  private input(name: string): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }

  private select(name: string): HTMLSelectElement {
    return this.form.elements.namedItem(name) as HTMLSelectElement;
  }
}
