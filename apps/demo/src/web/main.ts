// The page: wires the settings, the run's controls and the pictures to the training worker.
import './style.css';
import './toolbar.css';
import type { MLPJSON } from '@mg/nn';
import { Chart } from './chart.js';
import {
  DEFAULTS,
  LIVE_KEYS,
  divergenceRisk,
  formatConfig,
  parseConfig,
  type Config,
  type LiveSettings,
  type Speed,
} from './config.js';
import { RunControls, type RunState } from './controls.js';
import { SettingsForm } from './form.js';
import { GraphCue } from './graph-cue.js';
import { GraphPanel } from './graph-panel.js';
import { trackInputKind } from './input-kind.js';
import { bindKeys } from './keys.js';
import { isNarrow, trackBarHeight, visibleSpan } from './layout.js';
import { StepLog } from './log.js';
import { bindModelButtons, configFor, download } from './model-file.js';
import { NetworkView } from './network.js';
import { NeuronPreview, neuronNote } from './neuron-preview.js';
import { Plot } from './plot.js';
import { codePolicy } from './policy.js';
import { FrameDrawer } from './frame.js';
import type { Command, GraphKind, Report } from './protocol.js';
import { SettingsSheet } from './settings-sheet.js';
import { StatusCards } from './status.js';
import { pointAt, present } from '../core/checked.js';

const $ = (selector: string): HTMLElement =>
  present(document.querySelector<HTMLElement>(selector), `element ${selector} in index.html`);

const worker = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' });
/** Commands sent that change what the worker's run does: an 'applied' report counts them. */
let sent = 0;
const ORDERS: ReadonlySet<Command['type']> = new Set([
  'reset',
  'settings',
  'play',
  'continue',
  'pause',
  'step',
]);
const send = (command: Command): void => {
  if (ORDERS.has(command.type)) sent += 1;
  worker.postMessage(command);
};
const policy = codePolicy();

const form = new SettingsForm($('#controls') as HTMLFormElement);
const controls = new RunControls($('#play') as HTMLButtonElement, $('#step') as HTMLButtonElement);
const canvas = $('#plot') as HTMLCanvasElement;
const plot = new Plot(
  canvas,
  () => {
    frame.redrawPlot();
  },
  $('#stage .legend'),
);
const cards = new StatusCards((id) => $(`#${id}`));
const chart = new Chart($('#chart'));
const plotNote = $('#plot-note');
// On a phone the run's bar is fixed over the top of the screen: the page leaves room for it.
const bar = $('#stage .toolbar');
trackBarHeight(bar);
const view = (): ReturnType<typeof visibleSpan> => visibleSpan(bar);
const inputKind = trackInputKind();
const preview = new NeuronPreview($('#neuron-preview'), canvas, view);
// Hovering, tapping or focusing a hidden neuron shows its output on the plot, under the points,
// and in a small copy of the plot over the screen while the plot is out of sight.
const network = new NetworkView(
  $('#diagram'),
  (focus) => {
    plot.showNeuron(focus);
    plotNote.hidden = focus === null;
    plotNote.textContent = focus === null ? '' : neuronNote(focus.name, inputKind());
    preview.follow(focus?.name ?? null, document.querySelector('#diagram .node.active'), inputKind());
    frame.redrawPlot();
  },
  $('#lines-note'),
);
// "Lines show": the weights or the gradients the last step left on them.
for (const input of document.querySelectorAll<HTMLInputElement>('#lines-control input[name="lines"]')) {
  input.addEventListener('change', () => {
    if (input.checked) network.setLines(input.value === 'gradients' ? 'gradients' : 'weights');
  });
}
const graph = new GraphPanel($('#side'), $('#graph'), $('#graph-canvas'), $('#graph-note'));
const graphCue = new GraphCue($('#graph-cue') as HTMLAnchorElement, $('#side'), $('#graph'));
new SettingsSheet({
  form: $('#controls'),
  toggle: $('#settings-open') as HTMLButtonElement,
  close: $('#settings-close') as HTMLButtonElement,
  plot: canvas,
  live: [bar, ...['#run-note', '#warning', '#error', '#announce'].map($)],
  view,
});
const graphKind = $('#graph-kind') as HTMLSelectElement;
const runNote = $('#run-note');
const warning = $('#warning');
const errorBox = $('#error');
const loadNote = $('#load-note');

const link = parseConfig(location.search);
let config: Config = link.config;
/**
 * A run asked of the worker: its settings, the model file it starts from (until a newer run from
 * fresh weights replaces it: the page then does not say the file loaded), and whether the page
 * asked the worker to train it (with Train pressed after asking for it).
 */
interface RunRequest {
  config: Config;
  file?: string;
  playing: boolean;
}
/** Runs asked of the worker and not yet confirmed by its 'ready', by number. */
const requests = new Map<number, RunRequest>();
let lastRun = 0;
/** The run the page shows: reports about any other are dropped. */
let shown = -1;
let trainX: Float64Array = new Float64Array(0);
let limit = config.steps;
let pickedByReader = false;
/** Why the shown run stopped by itself, until a setting that could help it changes. */
let halted: string | null = null;
const frame = new FrameDrawer({
  log: new StepLog($('#log tbody')),
  chart,
  cards,
  plot,
  network,
  summary: $('#chart-summary'),
  playing: () => controls.state === 'playing',
  limit: () => limit,
  plotDrawn: () => {
    preview.copy();
  },
});
/** Whether the run note says that a new run waits for Train: pressing it makes that old news. */
let waitsForTrain = false;

/** Puts `text` in the run note; `waits`: it says that the new run waits for Train. */
function say(text: string, waits = false): void {
  runNote.textContent = text;
  waitsForTrain = waits;
}

/**
 * The note for a new run started by `what` (a Reset, a change): from step 0, and when it stopped a
 * run that was training, that the new one waits for Train, as TensorFlow Playground's reset does.
 */
function sayRestart(what: string, stopped: boolean): void {
  say(`${what}: training starts over from step 0${stopped ? ' and waits for Train' : ''}.`, stopped);
}

/**
 * The note for a new run from a model file's weights: it waits for Train as every new run does,
 * unless Train was pressed while the file loaded.
 */
function sayLoaded(file: string, playing: boolean): void {
  const waits = !playing;
  say(
    `Loaded ${file}: training starts over from its weights at step 0${waits ? ' and waits for Train' : ''}.`,
    waits,
  );
  showLoad(`Loaded ${file}.`, false);
}

function showError(message: string | null): void {
  errorBox.hidden = message === null;
  errorBox.textContent = message ?? '';
}

/** What became of a model file, beside the Load button; `failed` marks it as an error. */
function showLoad(message: string, failed: boolean): void {
  loadNote.hidden = false;
  loadNote.classList.toggle('error', failed);
  loadNote.textContent = message;
}

/** The newest run asked of the worker and not yet ready: Train and Pause apply to it. */
function pending(): RunRequest | undefined {
  return [...requests.values()].at(-1);
}

/**
 * The settings the worker trains with once it has every run asked of it: the newest request's,
 * else the shown run's. The form shows them, and a change, a Reset or a model file builds on them.
 */
function wanted(): Config {
  return pending()?.config ?? config;
}

/** Warns of a diverged run (until a setting that could help changes), or of settings likely to diverge. */
function showRisk(c: Config): void {
  const risk = halted ?? divergenceRisk(c);
  warning.hidden = risk === null;
  warning.textContent = risk ?? '';
}

/**
 * Starts a new run, from the weights of `model` (read from the file `file`) if given; the page
 * switches to it when the worker says it is ready. The new run waits for Train (the worker stops
 * training the old one), as in TensorFlow Playground, where a reset or new data pauses.
 *
 * @returns whether a run was training: it stopped
 */
function restart(next: Config, model?: { json: MLPJSON; file: string }): boolean {
  if (model === undefined) cancelLoads();
  const stopped = controls.state === 'playing';
  // Train applies to the new run, which has not diverged and is not training yet.
  if (stopped || controls.state === 'halted') setState('idle');
  lastRun += 1;
  const run = lastRun;
  requests.set(
    run,
    model === undefined
      ? { config: next, playing: false }
      : { config: next, file: model.file, playing: false },
  );
  const kind = graphKind.value as GraphKind;
  send(
    model === undefined
      ? { type: 'reset', run, config: next, policy, kind }
      : { type: 'reset', run, config: next, policy, kind, model: model.json, file: model.file },
  );
  return stopped;
}

/**
 * A run from fresh weights replaces the model files still loading: the page says so now, and not
 * that a file loaded when its run turns up on the way to the new one.
 */
function cancelLoads(): void {
  for (const request of requests.values()) {
    if (request.file === undefined) continue;
    showLoad(`Did not load ${request.file}: training started over before it loaded.`, false);
    delete request.file;
  }
}

/**
 * Takes live settings (or the speed) into the shown run's settings and every requested run's: the
 * worker applies them to the run it has when they arrive, which is the newest one asked for that
 * it could start.
 */
function takeLive(settings: Partial<Config>): void {
  commit({ ...config, ...settings });
  for (const request of requests.values()) request.config = { ...request.config, ...settings };
}

function resetRun(): void {
  sayRestart('Reset', restart(wanted()));
}

/** The step the run has reached, as the worker last reported it: the number of steps taken. */
function reached(): number {
  return frame.latest?.step ?? 0;
}

/** The note for a run that stops at its step limit, or was already past a lowered one. */
function limitNote(at: number): string {
  const more = `Continue trains for another ${config.steps} steps.`;
  return at > limit
    ? `The step limit ${limit} is already passed: the run is at step ${at}. ${more}`
    : `Reached step ${limit}. ${more}`;
}

// Said when Train or Step is asked for (from the keyboard: their buttons are off) after a divergence.
const HALTED_NOTE =
  'Training stopped at the divergence: change the learning rate, decay, optimizer or L2 strength to train on, or press Reset.';

function commit(next: Config): void {
  config = next;
  history.replaceState(null, '', formatConfig(config) + location.hash);
  showRisk(config);
}

function setState(state: RunState): void {
  const was = controls.state;
  // Screen readers hear where a run stopped, not every one of its steps.
  if (was === 'playing' && state !== 'playing' && frame.latest !== undefined) {
    $('#announce').textContent =
      `Stopped at step ${frame.latest.step}: loss ${frame.latest.loss.toFixed(4)}.`;
  }
  if (was !== 'playing' && state === 'playing') cards.start(performance.now(), reached());
  if (was === 'playing' && state !== 'playing') cards.stop();
  controls.set(state);
}

function onReady(report: Extract<Report, { type: 'ready' }>): void {
  const request = requests.get(report.run);
  for (const run of requests.keys()) if (run <= report.run) requests.delete(run);
  shown = report.run;
  halted = null;
  if (request !== undefined) commit(request.config);
  limit = config.steps;
  if (request?.file !== undefined) sayLoaded(request.file, request.playing);
  form.show(wanted());
  setState(request?.playing === true ? 'playing' : 'idle');
  trainX = report.X;
  frame.clear();
  // Step 0: the weights the run starts with, on the cards and in the chart and table at once.
  frame.addRows([report.row]);
  // Train was pressed for this run before it was ready: its rate is timed from now.
  if (controls.state === 'playing') cards.start(performance.now(), 0);
  plot.setData(report.X, report.y, report.testX, report.testY, report.grid);
  pickedByReader &&= report.point === plot.selected;
  plot.selected = report.point;
  network.setShape(report.sizes, report.neuronGrid, config.activation);
  const backend = $('#backend');
  backend.dataset.backend = report.backend;
  backend.textContent =
    report.backend === 'wasm'
      ? 'Compiled programs run as WebAssembly here (the page allows it, and eval of JavaScript stays off).'
      : "Compiled programs run on the engine's interpreter here: this host does not allow WebAssembly.";
  $('#plot').setAttribute(
    'aria-label',
    `${report.y.length} ${config.dataset} training points (circles) and ${report.testY.length} test points (squares) over the decision regions of a ${report.parameters}-parameter MLP. Pick a point, or focus here and use the arrow keys, to draw its graph.`,
  );
}

worker.onmessage = (event: MessageEvent<Report>) => {
  const report = event.data;
  switch (report.type) {
    case 'ready':
      onReady(report);
      return;
    case 'error':
      if (report.file !== undefined) {
        // The worker keeps the run it had: the file's request will never be ready.
        if (report.run !== undefined) requests.delete(report.run);
        if (report.run === lastRun) form.show(wanted());
        showLoad(report.message, true);
        return;
      }
      if (controls.state === 'playing') setState('idle');
      showError(report.message);
      return;
    case 'model':
      if (report.load === null) download(report.json, `${modelName()}.json`);
      else load(report.load, report.json);
      return;
    case 'onnx':
      download(report.bytes as Uint8Array<ArrayBuffer>, `${modelName()}.onnx`);
      return;
  }
  // The rest is about one run: a run the page has left behind says nothing.
  if (report.run !== shown) return;
  switch (report.type) {
    case 'steps':
      frame.addRows(report.rows);
      if (controls.state === 'playing') cards.progress(performance.now(), reached());
      // A run being replaced does not say it reached its limit: the new one waits for Train.
      if (report.done && controls.state !== 'done' && pending() === undefined) {
        setState('done');
        say(limitNote(reached()));
      }
      return;
    case 'applied':
      onApplied(report);
      return;
    case 'view':
      frame.setView(report);
      return;
    case 'diverged':
      // The cards already show the weights the run keeps: the last step reported.
      setState('halted');
      say('');
      halted = report.message;
      showRisk(config);
      return;
    case 'graph-error':
      // The worker trains on without the graph.
      showError(report.message);
      return;
    case 'graph':
      // The worker may have moved an automatic choice to a point whose graph shows gradients
      // (the first neuron active, or for the network a loss above 0).
      if (!pickedByReader && report.point !== plot.selected) {
        plot.selected = report.point;
        frame.redrawPlot();
      }
      if (report.point === plot.selected && report.kind === graphKind.value) {
        graph.show(report, pointAt(trainX, report.point));
      }
      return;
  }
};
worker.onerror = (event) => {
  showError(`The training worker failed: ${event.message}`);
};

function select(point: number, picked = true): void {
  plot.selected = point;
  frame.redrawPlot();
  send({ type: 'graph', run: shown, point, kind: graphKind.value as GraphKind, picked });
}

/**
 * Brings the graph of a clicked point into sight. On a phone the panel scrolls into view when the
 * graph arrives; wider, the plot stays in sight: the page scrolls only as far as keeps it so, or
 * a link over the page says where the graph is.
 */
function revealGraph(): void {
  if (isNarrow()) {
    graph.revealNext();
    return;
  }
  graphCue.reveal(canvas.getBoundingClientRect(), view());
}

function togglePlay(): void {
  const next = pending();
  switch (controls.state) {
    case 'playing':
      setState('idle');
      if (next !== undefined) next.playing = false;
      send({ type: 'pause' });
      return;
    case 'idle':
      setState('playing');
      if (waitsForTrain) say('');
      if (next !== undefined) next.playing = true;
      send({ type: 'play' });
      return;
    case 'halted':
      say(HALTED_NOTE);
      return;
    case 'done':
      // The new run starts at step 0: it has no limit to go past.
      if (next !== undefined) {
        setState('playing');
        next.playing = true;
        send({ type: 'play' });
        return;
      }
      limit = reached() + config.steps;
      setState('playing');
      say(`Continuing to step ${limit}.`);
      send({ type: 'continue' });
      return;
  }
}

function stepOnce(): void {
  if (controls.state === 'idle') send({ type: 'step' });
  else if (controls.state === 'halted') say(HALTED_NOTE);
}

function onSettings(next: Config | null): void {
  if (next === null) {
    say('Fix the marked setting; the run goes on with the last valid settings.');
    return;
  }
  showError(null);
  const base = wanted();
  const changed = (Object.keys(next) as (keyof Config)[]).filter(
    (key) => String(next[key]) !== String(base[key]),
  );
  if (changed.includes('speed')) setSpeed(next.speed);
  const rest = changed.filter((key) => key !== 'speed');
  if (rest.length === 0) return;
  if (rest.every((key) => (LIVE_KEYS as readonly string[]).includes(key))) {
    liveChange(next, rest as (keyof LiveSettings)[]);
    return;
  }
  const what = rest.some((key) => key === 'hidden' || key === 'activation')
    ? 'The network changed'
    : rest.includes('engine')
      ? 'The engine changed'
      : 'The data changed';
  sayRestart(what, restart(next));
}

/** A new speed: the worker paces its next steps by it. */
function setSpeed(speed: Speed): void {
  send({ type: 'speed', speed });
  takeLive({ speed });
}

/**
 * Live settings for the run as it goes: the worker says from which step they apply (it may be
 * steps ahead of the page), and the note says so then.
 */
function liveChange(next: Config, changed: (keyof LiveSettings)[]): void {
  const { lr, decay, steps, alpha, optimizer } = next;
  const settings = { lr, decay, steps, alpha, optimizer };
  send({ type: 'settings', settings, changed, ask: sent + 1 });
  if (changed.some((key) => key !== 'steps')) {
    halted = null;
    // The worker takes steps again from the weights it kept.
    if (controls.state === 'halted') setState('idle');
  }
  if (changed.includes('steps')) {
    limit = limit - config.steps + steps;
    // A run that is not training is where the page shows it: Train or Continue is known now.
    const at = reached();
    if (controls.state === 'done' && at < limit) setState('idle');
    if (controls.state === 'idle' && at >= limit) setState('done');
    frame.showLimit();
  }
  takeLive(settings);
}

/**
 * The worker took live settings: says from which step they apply, or where the run stops. Its
 * word on the step limit (and so on Train or Continue) counts only when no order went to it since:
 * a Continue pressed meanwhile has moved the limit on.
 */
function onApplied(report: Extract<Report, { type: 'applied' }>): void {
  const latest = report.ask === sent;
  if (latest) {
    limit = report.limit;
    frame.showLimit();
    if (controls.state !== 'halted') {
      if (report.done && controls.state !== 'done') setState('done');
      else if (!report.done && controls.state === 'done') setState('idle');
    }
    if (report.changed.includes('steps') && report.done) {
      say(limitNote(report.step));
      return;
    }
  }
  const names = report.changed.filter((key) => key !== 'steps').map(describe);
  const parts = [];
  if (names.length > 0)
    parts.push(
      `${capitalize(names.join(', '))}: applies from step ${report.step + 1}, without starting over.`,
    );
  if (latest && report.changed.includes('steps')) parts.push(`The run now stops at step ${report.limit}.`);
  if (parts.length > 0) say(parts.join(' '));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
  sayRestart("The notebook's settings", restart({ ...DEFAULTS, hidden: [...DEFAULTS.hidden] }));
});
$('#play').addEventListener('click', togglePlay);
$('#step').addEventListener('click', stepOnce);
$('#reset').addEventListener('click', resetRun);
$('#log-scale').addEventListener('change', (event) => {
  chart.setLogScale((event.target as HTMLInputElement).checked);
});
function modelName(): string {
  return `mg-mlp-${config.hidden.join('x') || 'linear'}-step${reached()}`;
}

/**
 * Asks for a run from a model file's weights (the worker checks them, and the page says the file
 * loaded once it has); says what is wrong with the file otherwise.
 */
function load(name: string, model: string | MLPJSON): void {
  try {
    const { config: next, json } = configFor(model, wanted());
    restart(next, { json, file: name });
    form.show(next);
    showLoad(`Loading ${name}…`, false);
  } catch (error) {
    showLoad(`Could not load ${name}: ${error instanceof Error ? error.message : String(error)}`, true);
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
    showLoad(message, true);
  },
});

canvas.addEventListener('click', (event) => {
  const point = plot.pointAt(event.clientX, event.clientY);
  if (point < 0) return;
  pickedByReader = true;
  select(point);
  revealGraph();
});
canvas.addEventListener('keydown', (event) => {
  const n = plot.size;
  const delta = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (n === 0 || delta === undefined) return;
  event.preventDefault();
  pickedByReader = true;
  select(plot.selected < 0 ? 0 : (plot.selected + delta + n) % n);
});
graphKind.addEventListener('change', () => {
  graph.clear();
  if (plot.selected >= 0) select(plot.selected, pickedByReader);
});
// Graphviz's layouts take the worker's time from training: none for a panel nobody sees.
new IntersectionObserver((entries) => {
  send({ type: 'graph-visible', visible: entries.some((entry) => entry.isIntersecting) });
}).observe($('#graph'));
bindKeys({ toggle: togglePlay, step: stepOnce, reset: resetRun });

if (link.ignored.length > 0) {
  const note = $('#link-note');
  note.hidden = false;
  note.textContent = `This link's ${link.ignored.length === 1 ? 'setting' : 'settings'} ${link.ignored.join('; ')} ${link.ignored.length === 1 ? 'was' : 'were'} ignored: the defaults are used instead.`;
}
form.show(config);
showRisk(config);
restart(config);
