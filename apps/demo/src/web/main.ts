// The page: wires the settings, the run's controls and the pictures to the training worker.
import './style.css';
import type { MLPJSON } from '@mg/nn';
import { Chart } from './chart.js';
import { DEFAULTS, LIVE_KEYS, divergenceRisk, formatConfig, parseConfig, type Config } from './config.js';
import { RunControls } from './controls.js';
import { SettingsForm } from './form.js';
import { GraphPanel } from './graph-panel.js';
import { bindKeys } from './keys.js';
import { StepLog } from './log.js';
import { bindModelButtons, configFor, download } from './model-file.js';
import { NetworkView } from './network.js';
import { Plot } from './plot.js';
import { codePolicy } from './policy.js';
import { FrameDrawer } from './frame.js';
import type { Command, GraphKind, Report } from './protocol.js';
import { StatusCards } from './status.js';
import { pointAt, present } from '../core/checked.js';

const $ = (selector: string): HTMLElement =>
  present(document.querySelector<HTMLElement>(selector), `element ${selector} in index.html`);

const worker = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' });
const send = (command: Command): void => {
  worker.postMessage(command);
};
const policy = codePolicy();

const form = new SettingsForm($('#controls') as HTMLFormElement);
const controls = new RunControls($('#play') as HTMLButtonElement, $('#step') as HTMLButtonElement);
const plot = new Plot($('#plot') as HTMLCanvasElement, () => {
  frame.redrawPlot();
});
const cards = new StatusCards((id) => $(`#${id}`));
const chart = new Chart($('#chart'));
const network = new NetworkView($('#diagram'));
const graph = new GraphPanel($('#side'), $('#graph'), $('#graph-canvas'), $('#graph-note'));
const graphKind = $('#graph-kind') as HTMLSelectElement;
const runNote = $('#run-note');
const warning = $('#warning');
const errorBox = $('#error');

const link = parseConfig(location.search);
let config: Config = link.config;
/** Asked of the worker and not yet confirmed by its 'ready'. */
let pending: Config | null = null;
let trainX: Float64Array = new Float64Array(0);
let limit = config.steps;
let pickedByReader = false;
const frame = new FrameDrawer({
  log: new StepLog($('#log tbody')),
  chart,
  cards,
  plot,
  network,
  summary: $('#chart-summary'),
  playing: () => controls.state === 'playing',
  limit: () => limit,
});

function say(text: string): void {
  runNote.textContent = text;
}

function showError(message: string | null): void {
  errorBox.hidden = message === null;
  errorBox.textContent = message ?? '';
}

function showRisk(c: Config): void {
  const risk = divergenceRisk(c);
  warning.hidden = risk === null;
  warning.textContent = risk ?? '';
}

/** Starts a new run; the page switches to it when the worker says it is ready. */
function restart(next: Config, model?: MLPJSON): void {
  pending = next;
  const kind = graphKind.value as GraphKind;
  send(
    model === undefined
      ? { type: 'reset', config: next, policy, kind }
      : { type: 'reset', config: next, policy, kind, model },
  );
}

function commit(next: Config): void {
  config = next;
  limit = next.steps;
  history.replaceState(null, '', formatConfig(config) + location.hash);
  showRisk(config);
}

function setState(state: 'idle' | 'playing' | 'done'): void {
  // Screen readers hear where a run stopped, not every one of its steps.
  if (controls.state === 'playing' && state !== 'playing' && frame.last !== undefined) {
    $('#announce').textContent =
      `Stopped at step ${frame.last.step + 1}: loss ${frame.last.loss.toFixed(4)}.`;
  }
  if (state !== 'playing') cards.pause();
  controls.set(state);
}

function onReady(report: Extract<Report, { type: 'ready' }>): void {
  if (pending !== null) commit(pending);
  pending = null;
  form.show(config);
  setState('idle');
  trainX = report.X;
  frame.clear();
  plot.setData(report.X, report.y, report.testX, report.testY, report.grid);
  pickedByReader &&= report.point === plot.selected;
  plot.selected = report.point;
  network.setShape(report.sizes, report.neuronGrid);
  const backend = $('#backend');
  backend.dataset.backend = report.backend;
  backend.textContent =
    report.backend === 'wasm'
      ? 'Compiled programs run as WebAssembly here (the page allows it, and eval of JavaScript stays off).'
      : "Compiled programs run on the engine's interpreter here: this host does not allow WebAssembly.";
  $('#plot').setAttribute(
    'aria-label',
    `${report.y.length} ${config.dataset} training points (circles) and ${report.testY.length} test points (squares) over the decision regions of a ${report.parameters}-parameter MLP. Click a point, or focus here and use the arrow keys, to draw its graph.`,
  );
}

worker.onmessage = (event: MessageEvent<Report>) => {
  const report = event.data;
  switch (report.type) {
    case 'ready':
      onReady(report);
      return;
    case 'steps':
      frame.addRows(report.rows);
      if (report.done && controls.state !== 'idle') {
        setState('done');
        say(`Reached step ${limit}. Continue trains for another ${config.steps} steps.`);
      }
      return;
    case 'view':
      frame.setView(report);
      return;
    case 'diverged':
      setState('idle');
      say('');
      warning.hidden = false;
      warning.textContent = `Training ${report.message}.`;
      return;
    case 'graph':
      // The worker may have moved an automatic choice to a point where the neuron is active.
      if (!pickedByReader && report.point !== plot.selected) {
        plot.selected = report.point;
        frame.redrawPlot();
      }
      if (report.point === plot.selected && report.kind === graphKind.value) {
        graph.show(report, pointAt(trainX, report.point));
      }
      return;
    case 'model':
      if (report.load === null) download(report.json, `${modelName()}.json`);
      else load(report.load, report.json);
      return;
    case 'onnx':
      download(report.bytes as Uint8Array<ArrayBuffer>, `${modelName()}.onnx`);
      return;
    case 'error':
      pending = null;
      if (controls.state === 'playing') setState('idle');
      showError(report.message);
      return;
  }
};
worker.onerror = (event) => {
  showError(`The training worker failed: ${event.message}`);
};

function select(point: number, reveal: boolean, picked = true): void {
  plot.selected = point;
  frame.redrawPlot();
  if (reveal) graph.revealNext();
  send({ type: 'graph', point, kind: graphKind.value as GraphKind, picked });
}

function togglePlay(): void {
  switch (controls.state) {
    case 'playing':
      setState('idle');
      send({ type: 'pause' });
      return;
    case 'idle':
      setState('playing');
      send({ type: 'play' });
      return;
    case 'done':
      limit = (frame.last === undefined ? 0 : frame.last.step + 1) + config.steps;
      setState('playing');
      say(`Continuing to step ${limit}.`);
      send({ type: 'continue' });
      return;
  }
}

function stepOnce(): void {
  if (controls.state === 'idle') send({ type: 'step' });
}

function onSettings(next: Config | null): void {
  if (next === null) {
    say('Fix the marked setting; the run goes on with the last valid settings.');
    return;
  }
  showError(null);
  const changed = (Object.keys(next) as (keyof Config)[]).filter(
    (key) => String(next[key]) !== String(config[key]),
  );
  if (changed.length === 0) return;
  if (changed.every((key) => (LIVE_KEYS as readonly string[]).includes(key))) {
    const { lr, decay, steps, alpha, optimizer } = next;
    send({ type: 'settings', settings: { lr, decay, steps, alpha, optimizer } });
    const at = frame.last === undefined ? 0 : frame.last.step + 1;
    if (changed.includes('steps')) {
      limit = limit - config.steps + steps;
      if (controls.state === 'done' && at < limit) setState('idle');
    }
    commit(next);
    say(`${changed.map(describe).join(', ')}: applies from step ${at}, without starting over.`);
    return;
  }
  const what = changed.some((key) => key === 'hidden' || key === 'activation')
    ? 'The network changed'
    : changed.includes('engine')
      ? 'The engine changed'
      : 'The data changed';
  restart(next);
  say(`${what}: training starts over from step 0.`);
}

function describe(key: keyof Config): string {
  return (
    {
      lr: 'learning rate',
      decay: 'decay',
      steps: 'step limit',
      alpha: 'L2 strength',
      optimizer: 'optimizer',
    }[key as string] ?? key
  );
}

form.onChange(onSettings);
$('#defaults').addEventListener('click', () => {
  form.show(DEFAULTS);
  restart({ ...DEFAULTS, hidden: [...DEFAULTS.hidden] });
  say("The notebook's settings: training starts over from step 0.");
});
$('#play').addEventListener('click', togglePlay);
$('#step').addEventListener('click', stepOnce);
$('#reset').addEventListener('click', () => {
  restart(config);
  say('Reset: training starts over from step 0.');
});
$('#log-scale').addEventListener('change', (event) => {
  chart.setLogScale((event.target as HTMLInputElement).checked);
});
function modelName(): string {
  return `mg-mlp-${config.hidden.join('x') || 'linear'}-step${frame.last === undefined ? 0 : frame.last.step + 1}`;
}

/** Starts a run from a model file's weights; says what is wrong with the file otherwise. */
function load(name: string, model: string | MLPJSON): void {
  try {
    const { config: next, json } = configFor(model, config);
    restart(next, json);
    say(`Loaded ${name}: training goes on from its weights.`);
  } catch (error) {
    showError(`Could not load ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

bindModelButtons($('#controls'), {
  save: (format) => {
    send({ type: 'save', format });
  },
  json: (name, text) => {
    load(name, text);
  },
  onnx: (name, bytes) => {
    send({ type: 'read-onnx', bytes, name });
  },
  error: (message) => {
    showError(message);
  },
});

const canvas = $('#plot') as HTMLCanvasElement;
canvas.addEventListener('click', (event) => {
  const point = plot.pointAt(event.clientX, event.clientY);
  if (point < 0) return;
  pickedByReader = true;
  select(point, true);
});
canvas.addEventListener('keydown', (event) => {
  const n = plot.size;
  const delta = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (n === 0 || delta === undefined) return;
  event.preventDefault();
  pickedByReader = true;
  select(plot.selected < 0 ? 0 : (plot.selected + delta + n) % n, false);
});
graphKind.addEventListener('change', () => {
  graph.clear();
  if (plot.selected >= 0) select(plot.selected, false, pickedByReader);
});
// Graphviz's layouts take the worker's time from training: none for a panel nobody sees.
new IntersectionObserver((entries) => {
  send({ type: 'graph-visible', visible: entries.some((entry) => entry.isIntersecting) });
}).observe($('#graph'));
bindKeys({
  toggle: togglePlay,
  step: stepOnce,
  reset: () => {
    restart(config);
  },
});

if (link.ignored.length > 0) {
  const note = $('#link-note');
  note.hidden = false;
  note.textContent = `This link's ${link.ignored.length === 1 ? 'setting' : 'settings'} ${link.ignored.join('; ')} ${link.ignored.length === 1 ? 'was' : 'were'} ignored: the defaults are used instead.`;
}
form.show(config);
showRisk(config);
restart(config);
