// The training loop, off the main thread so the page stays responsive while it runs.
import { MLP } from '@mg/nn';
import { fromOnnx, toOnnx } from '@mg/onnx';
import { DEFAULTS, stepInterval, type Speed } from '../config.js';
import type { CodePolicy, Command, GraphKind, Report, StepRow } from '../protocol.js';
import { activeIndex, defaultIndex, drawGraph, showsGradient, type Scorer } from './graphs.js';
import { Pacer } from './pace.js';
import { Divergence, Run, type Backend } from './run.js';
import { Views, shape } from './views.js';

interface WorkerScope {
  postMessage(message: Report, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<Command>) => void) | null;
}
const scope = self as unknown as WorkerScope;

// At full speed, steps run in slices this long, so commands (pause, a new rate) are read between
// them; at a chosen speed, one step runs per timer.
const SLICE_MS = 30;
// The regions and neuron pictures are rescored at most this often while training; the page
// draws at most once per frame whatever arrives.
const VIEW_EVERY_MS = 150;
// At a speed whose steps are at least this far apart (20 steps a second or slower), the pictures
// follow every step, so a learner sees each one.
const VIEW_EACH_STEP_MS = 50;
// A chosen point's graph is redrawn at most this often while training (Graphviz is the slow part).
const GRAPH_EVERY_MS = 1000;

/**
 * Where compiled programs run: WebAssembly where the page's policy allows compiling it (the
 * engine's 'auto' still checks that a module compiles here), else the interpreter.
 */
function backendFor(policy: CodePolicy): Backend {
  return policy.wasm ? 'auto' : 'interpreter';
}

/** A point whose graph to draw, and which graph. */
interface Choice {
  point: number;
  kind: GraphKind;
}

interface Session {
  /** The page's number for this run, on every report about it. */
  id: number;
  run: Run;
  views: Views;
  selected: Choice | null;
  /** The reader picked the point; otherwise the worker keeps to one whose graph shows gradients. */
  picked: boolean;
  lastView: number;
  lastGraph: number;
  drawing: boolean;
}

let session: Session | null = null;
let playing = false;
let graphVisible = true;
let timer: ReturnType<typeof setTimeout> | undefined;
let speed: Speed = DEFAULTS.speed;
const pacer = new Pacer();

function post(report: Report, transfer: Transferable[] = []): void {
  scope.postMessage(report, transfer);
}

/**
 * Sends the run's pictures. Weights whose outputs are not finite have none: the page keeps the last
 * ones, and the divergence report that stopped the run says why.
 */
function postView(s: Session): void {
  s.lastView = performance.now();
  let view: Extract<Report, { type: 'view' }>;
  try {
    view = s.views.report(s.id);
  } catch {
    return;
  }
  post(view, [
    view.scores.buffer,
    view.pointScores.buffer,
    view.testScores.buffer,
    view.neurons.buffer,
    view.weights.buffer,
    view.grads.buffer,
  ]);
}

/** The session's scorer: its compiled program's scores, for where a graph shows gradients. */
function scorer(views: Views): Scorer {
  return (points) => views.predict(points);
}

/**
 * The point to draw: the reader's, else the automatic one while its graph shows gradients
 * flowing, else a new one where it does (the first neuron active, or a loss above 0).
 */
function choose(s: Session, selected: Choice): Choice {
  const { point, kind } = selected;
  if (s.picked || showsGradient(s.run, point, kind, scorer(s.views))) return selected;
  return { point: defaultIndex(s.run, kind, scorer(s.views)), kind };
}

function graphLater(s: Session, force: boolean): void {
  if (
    s.selected === null ||
    s.drawing ||
    (!force && (!graphVisible || performance.now() - s.lastGraph < GRAPH_EVERY_MS))
  )
    return;
  s.selected = choose(s, s.selected);
  const chosen = s.selected;
  s.lastGraph = performance.now();
  s.drawing = true;
  drawGraph(s.run, chosen.point, chosen.kind, scorer(s.views)).then(
    (report) => {
      s.drawing = false;
      if (session === s) post({ ...report, run: s.id });
      // A newer choice arrived while Graphviz was busy.
      if (s.selected !== chosen && session === s) graphLater(s, true);
    },
    (error: unknown) => {
      s.drawing = false;
      const message = `graph: ${error instanceof Error ? error.message : String(error)}`;
      if (session === s) post({ type: 'graph-error', run: s.id, message });
    },
  );
}

/** Runs steps until the slice's time is up or the run is done; false when the run diverged. */
function steps(s: Session, sliceMs: number): boolean {
  const rows: StepRow[] = [];
  const start = performance.now();
  try {
    while (!s.run.done) {
      rows.push(s.run.step());
      if (performance.now() - start >= sliceMs) break;
    }
  } catch (error) {
    if (!(error instanceof Divergence)) throw error;
    playing = false;
    post({ type: 'steps', run: s.id, rows, done: s.run.done });
    post({ type: 'diverged', run: s.id, step: error.step, at: error.at, message: error.message });
    postView(s);
    return false;
  }
  post({ type: 'steps', run: s.id, rows, done: s.run.done });
  return true;
}

/**
 * Takes the steps due: one at a chosen speed, a slice's worth at full speed; then the pictures
 * when due, and the timer for the next steps.
 */
function tick(): void {
  const s = session;
  if (s === null || !playing) return;
  const interval = stepInterval(speed);
  pacer.begin(performance.now(), interval);
  if (!steps(s, interval === 0 ? SLICE_MS : 0)) return;
  if (s.run.done) playing = false;
  if (!playing || interval >= VIEW_EACH_STEP_MS || performance.now() - s.lastView >= VIEW_EVERY_MS)
    postView(s);
  graphLater(s, !playing);
  if (playing) schedule();
}

/** Sets the timer for the next step, when the speed has it due. */
function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(tick, pacer.wait(performance.now()));
}

/** Starts training the session's run: its first step at once. */
function play(): void {
  playing = true;
  pacer.restart(performance.now());
  tick();
}

/** Stops training: the pictures and graph of where the run stopped. */
function stop(s: Session): void {
  playing = false;
  clearTimeout(timer);
  postView(s);
  graphLater(s, true);
}

/** A new speed, from the next step on; a step already waiting for its time is timed again. */
function setSpeed(next: Speed): void {
  const before = stepInterval(speed);
  speed = next;
  if (!playing) return;
  pacer.retime(before, stepInterval(speed));
  schedule();
}

function start(s: Session): void {
  const { run, views } = s;
  post({
    type: 'ready',
    run: s.id,
    X: run.train.X,
    y: run.train.y,
    testX: run.test.X,
    testY: run.test.y,
    grid: shape(views.grid),
    neuronGrid: shape(views.neuronGrid),
    sizes: [2, ...run.model.layers.map((l) => l.nout)],
    backend: views.backend,
    parameters: run.model.parameters().length,
    point: s.selected?.point ?? activeIndex(run),
    row: run.current,
  });
  postView(s);
  graphLater(s, true);
}

/** `Could not load <file>: <why>`. */
function loadError(file: string, error: unknown): string {
  return `Could not load ${file}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The session a 'reset' asks for. Built before anything is dropped: a model file that does not
 * load (bad weights, or scores that are not finite numbers) leaves the run as it was, and the
 * page hears why, with the file's name; null then.
 */
function makeSession(command: Extract<Command, { type: 'reset' }>): Session | null {
  const backend = backendFor(command.policy);
  let run: Run;
  let views: Views;
  try {
    const model = command.model === undefined ? undefined : MLP.fromJSON(command.model);
    run = new Run(command.config, backend, model);
    views = new Views(run, backend);
    // The model's pictures, once: a loaded model whose scores overflow is refused here.
    if (command.model !== undefined) views.report(command.run);
  } catch (error) {
    if (command.file === undefined) throw error;
    post({ type: 'error', message: loadError(command.file, error), file: command.file, run: command.run });
    return null;
  }
  const kept = session?.picked === true ? session.selected : null;
  const keep = kept !== null && kept.point < run.train.y.length;
  return {
    id: command.run,
    run,
    views,
    selected: {
      point: keep ? kept.point : defaultIndex(run, command.kind, scorer(views)),
      kind: command.kind,
    },
    picked: keep,
    lastView: 0,
    lastGraph: 0,
    drawing: false,
  };
}

function handle(command: Command): void {
  switch (command.type) {
    case 'reset': {
      const made = makeSession(command);
      if (made === null) return;
      playing = false;
      clearTimeout(timer);
      session = made;
      speed = command.config.speed;
      start(session);
      return;
    }
    case 'settings': {
      if (session === null) return;
      const s = session;
      s.run.update(command.settings);
      // Where the run is when the settings apply: the page's note says so.
      post({
        type: 'applied',
        run: s.id,
        changed: command.changed,
        ask: command.ask,
        step: s.run.completed,
        limit: s.run.limit,
        done: s.run.done,
      });
      // A limit lowered to where the run is, or under it, stops it there and then.
      if (playing && s.run.done) stop(s);
      return;
    }
    case 'speed':
      setSpeed(command.speed);
      return;
    case 'play':
      if (session === null || playing) return;
      // A run already at its step limit says so, and the page offers Continue.
      if (session.run.done) {
        post({ type: 'steps', run: session.id, rows: [], done: true });
        return;
      }
      play();
      return;
    case 'continue':
      if (session === null || playing) return;
      session.run.extend();
      play();
      return;
    case 'pause':
      if (session === null) {
        playing = false;
        clearTimeout(timer);
      } else stop(session);
      return;
    case 'step':
      if (session === null || playing) return;
      if (steps(session, 0)) {
        postView(session);
        graphLater(session, true);
      }
      return;
    case 'graph':
      if (session === null) return;
      if (
        command.run !== session.id ||
        (command.point !== null && command.point >= session.run.train.y.length)
      ) {
        // A point of an earlier run's data (chosen before the page heard of this run): this run
        // keeps its own point, drawn as the kind asked for.
        if (session.selected !== null)
          session.selected = { point: session.selected.point, kind: command.kind };
      } else {
        session.selected = command.point === null ? null : { point: command.point, kind: command.kind };
        session.picked = command.point !== null && command.picked;
      }
      graphLater(session, true);
      return;
    case 'graph-visible':
      graphVisible = command.visible;
      if (graphVisible && session !== null) graphLater(session, true);
      return;
    case 'save':
      if (session === null) return;
      if (command.format === 'json') post({ type: 'model', json: session.run.model.toJSON(), load: null });
      else {
        const bytes = toOnnx(session.run.model);
        post({ type: 'onnx', bytes }, [bytes.buffer]);
      }
      return;
    case 'read-onnx': {
      let json;
      try {
        json = fromOnnx(command.bytes).toJSON();
      } catch (error) {
        post({ type: 'error', message: loadError(command.name, error), file: command.name });
        return;
      }
      post({ type: 'model', json, load: command.name });
      return;
    }
  }
}

scope.onmessage = (event) => {
  try {
    handle(event.data);
  } catch (error) {
    playing = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
