import './style.css';
import { Chart } from './chart.js';
import { DEFAULTS, LIMITS, formatConfig, parseConfig, parseHidden, type Config } from './config.js';
import { Plot } from './plot.js';
import type { Command, GraphKind, Report, StepRow } from './protocol.js';

const $ = (selector: string): HTMLElement => document.querySelector<HTMLElement>(selector)!;

const form = $('#controls') as HTMLFormElement;
const playButton = $('#play') as HTMLButtonElement;
const stepButton = $('#step') as HTMLButtonElement;
const canvas = $('#plot') as HTMLCanvasElement;
const graphKind = $('#graph-kind') as HTMLSelectElement;
const graphBox = $('#graph');
const graphNote = $('#graph-note');
const logBody = $('#log tbody');
const errorBox = $('#error');

const plot = new Plot(canvas);
const chart = new Chart($('#chart'));
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (command: Command): void => {
  worker.postMessage(command);
};

let config = parseConfig(location.search);

/** Whether this document's Content-Security-Policy (the built page sets one) leaves out 'unsafe-eval'. */
function pageForbidsEval(): boolean {
  const policies = [...document.querySelectorAll<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy" i]')].map((m) => m.content);
  return policies.some((policy) => {
    const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...sources]) => [name.toLowerCase(), sources]));
    const scripts = directives.get('script-src') ?? directives.get('default-src');
    return scripts !== undefined && !scripts.includes("'unsafe-eval'");
  });
}
const forbidEval = pageForbidsEval();
let playing = false;
let done = false;
const recentMs: number[] = [];

function field(name: string): HTMLInputElement | HTMLSelectElement {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
}

function showConfig(c: Config): void {
  field('dataset').value = c.dataset;
  for (const key of ['samples', 'noise', 'seed', 'lr', 'steps', 'alpha'] as const) field(key).value = String(c[key]);
  field('hidden').value = c.hidden.join(', ');
  field('activation').value = c.activation;
  (field('decay') as HTMLInputElement).checked = c.decay;
  for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="engine"]')) radio.checked = radio.value === c.engine;
}

/** The form's settings; an invalid field is marked and keeps its last good value. */
function readConfig(): Config {
  const number = (name: keyof typeof LIMITS & keyof Config, integer: boolean): number => {
    const input = field(name) as HTMLInputElement;
    const value = Number(input.value);
    const [lo, hi] = LIMITS[name];
    const ok = input.value.trim() !== '' && Number.isFinite(value) && value >= lo && value <= hi && (!integer || Number.isInteger(value));
    input.setAttribute('aria-invalid', String(!ok));
    return ok ? value : config[name];
  };
  const hiddenInput = field('hidden') as HTMLInputElement;
  const hidden = parseHidden(hiddenInput.value);
  hiddenInput.setAttribute('aria-invalid', String(hidden === null));
  const engine = form.querySelector<HTMLInputElement>('input[name="engine"]:checked')?.value;
  return {
    dataset: field('dataset').value as Config['dataset'],
    samples: number('samples', true),
    noise: number('noise', false),
    seed: number('seed', true),
    hidden: hidden ?? config.hidden,
    activation: field('activation').value as Config['activation'],
    lr: number('lr', false),
    decay: (field('decay') as HTMLInputElement).checked,
    steps: number('steps', true),
    alpha: number('alpha', false),
    engine: engine === 'compiled' ? 'compiled' : 'eager',
  };
}

function reset(next: Config): void {
  config = next;
  history.replaceState(null, '', formatConfig(config) + location.hash);
  done = false;
  setPlaying(false);
  recentMs.length = 0;
  chart.clear();
  logBody.replaceChildren();
  $('#stat-step').textContent = '0';
  $('#stat-loss').textContent = '–';
  $('#accuracy').textContent = '–';
  $('#ms').textContent = '–';
  send({ type: 'reset', config, forbidEval });
}

function setPlaying(on: boolean): void {
  // Screen readers hear where a run stopped, not every one of its steps.
  if (playing && !on) $('#announce').textContent = `Stopped at step ${$('#stat-step').textContent}: loss ${$('#stat-loss').textContent}, accuracy ${$('#accuracy').textContent}.`;
  playing = on;
  playButton.textContent = on ? 'Pause' : 'Train';
  playButton.setAttribute('aria-pressed', String(on));
  stepButton.disabled = on || done;
  playButton.disabled = done && !on;
}

function togglePlay(): void {
  if (done) return;
  setPlaying(!playing);
  send({ type: playing ? 'play' : 'pause' });
}

function stepOnce(): void {
  if (!playing && !done) send({ type: 'step' });
}

function percent(accuracy: number): string {
  return `${(100 * accuracy).toFixed(0)}%`;
}

function addRows(rows: readonly StepRow[]): void {
  if (rows.length === 0) return;
  chart.add(rows);
  const fragment = document.createDocumentFragment();
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.dataset.step = String(row.step);
    // The full double, so the figures can be checked against the notebook and `pnpm demo`.
    for (const [cls, text] of [['step', String(row.step)], ['loss', String(row.loss)], ['accuracy', percent(row.accuracy)], ['lr', String(Number(row.lr.toPrecision(6)))]]) {
      const td = document.createElement('td');
      td.className = cls!;
      td.textContent = text!;
      tr.append(td);
    }
    fragment.prepend(tr);
  }
  logBody.prepend(fragment);
  const last = rows[rows.length - 1]!;
  for (const row of rows) recentMs.push(row.ms);
  recentMs.splice(0, Math.max(0, recentMs.length - 25));
  const median = [...recentMs].sort((a, b) => a - b)[recentMs.length >> 1]!;
  $('#stat-step').textContent = `${last.step + 1} / ${config.steps}`;
  $('#stat-loss').textContent = last.loss.toFixed(4);
  $('#accuracy').textContent = percent(last.accuracy);
  $('#ms').textContent = `${median.toFixed(median < 10 ? 2 : 1)} (${config.engine})`;
}

function showGraph(report: Extract<Report, { type: 'graph' }>): void {
  const svg = new DOMParser().parseFromString(report.svg, 'image/svg+xml').documentElement;
  // Graphviz sizes the drawing in points; the viewBox lets CSS fit it to the panel instead.
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Computation graph of the ${report.kind === 'neuron' ? 'first hidden neuron' : 'network'} at point ${report.point}`);
  graphBox.replaceChildren(document.importNode(svg, true));
  const [x, y] = [plotX[2 * report.point]!, plotX[2 * report.point + 1]!];
  graphNote.textContent =
    `Point ${report.point} at (${x.toFixed(3)}, ${y.toFixed(3)}), ${report.nodes} nodes` +
    (report.capped ? `: the nodes nearest the loss are drawn, the dashed node stands for the rest.` : '.');
}

let plotX: Float64Array = new Float64Array(0);

worker.onmessage = (event: MessageEvent<Report>) => {
  const report = event.data;
  switch (report.type) {
    case 'ready':
      plotX = report.X;
      plot.setData(report.X, report.y, report.grid);
      plot.setScores(report.scores, new Float32Array(report.y.length));
      $('#backend').textContent =
        report.backend === 'wasm'
          ? 'Compiled programs run as generated WebAssembly here.'
          : 'This page forbids eval (Content-Security-Policy), so compiled programs run on the typed-array interpreter.';
      $('#backend').dataset.backend = report.backend;
      canvas.setAttribute('aria-label', `${report.y.length} ${config.dataset} points over the decision regions of a ${report.parameters}-parameter MLP. Click a point, or focus here and use the arrow keys, to draw its graph.`);
      return;
    case 'steps':
      addRows(report.rows);
      plot.setScores(report.scores, report.pointScores);
      if (report.done) {
        done = true;
        setPlaying(false);
      }
      return;
    case 'graph':
      if (report.point === plot.selected) showGraph(report);
      return;
    case 'error':
      errorBox.hidden = false;
      errorBox.textContent = report.message;
      setPlaying(false);
      return;
  }
};
worker.onerror = (event) => {
  errorBox.hidden = false;
  errorBox.textContent = `The training worker failed: ${event.message}`;
};

function select(point: number): void {
  plot.selected = point;
  plot.draw();
  send({ type: 'graph', point, kind: graphKind.value as GraphKind });
}

canvas.addEventListener('click', (event) => {
  const point = plot.pointAt(event.clientX, event.clientY);
  if (point >= 0) select(point);
});
canvas.addEventListener('keydown', (event) => {
  const n = plot.size;
  if (n === 0) return;
  const delta = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (delta === undefined) return;
  event.preventDefault();
  select(plot.selected < 0 ? 0 : (plot.selected + delta + n) % n);
});
$('#graph-fit').addEventListener('change', (event) => {
  graphBox.classList.toggle('fit', (event.target as HTMLInputElement).checked);
});
graphKind.addEventListener('change', () => {
  if (plot.selected >= 0) select(plot.selected);
});

form.addEventListener('change', () => {
  reset(readConfig());
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
});
$('#defaults').addEventListener('click', () => {
  showConfig(DEFAULTS);
  reset(readConfig());
});
playButton.addEventListener('click', togglePlay);
stepButton.addEventListener('click', stepOnce);
$('#reset').addEventListener('click', () => {
  reset(config);
});
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (event.ctrlKey || event.metaKey || event.altKey || target.closest('input, select, textarea, button') !== null) return;
  if (event.key === ' ') {
    event.preventDefault();
    togglePlay();
  } else if (event.key === 's') stepOnce();
  else if (event.key === 'r') reset(config);
});

showConfig(config);
reset(config);
