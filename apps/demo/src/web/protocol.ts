import type { MLPJSON } from '@mg/nn';
import type { Config, LiveSettings, Speed } from './config.js';

/** What the graph panel draws for the chosen point. */
export type GraphKind = 'neuron' | 'network';

/** What the page's Content-Security-Policy allows; a worker is not bound by a <meta> policy, so the page tells it. */
export interface CodePolicy {
  /** `'unsafe-eval'`: JavaScript from strings. */
  eval: boolean;
  /** `'wasm-unsafe-eval'` (or `'unsafe-eval'`): compiling WebAssembly. */
  wasm: boolean;
}

/**
 * The weights after `step` steps, as the page shows them everywhere (cards, chart, Steps table):
 * step 0 is the weights a run starts with, step k their state after k updates, whose loss is the
 * one micrograd's notebook prints as `step k`.
 */
export interface StepRow {
  /** Steps taken. */
  step: number;
  /** The training loss of these weights: the mean hinge loss plus the L2 term. */
  loss: number;
  accuracy: number;
  /**
   * The held-out points' loss (mean hinge loss plus the same L2 term, so the two compare) and
   * accuracy, under these weights; NaN without test points.
   */
  testLoss: number;
  testAccuracy: number;
  /** The learning rate of the update that made these weights (step k's); NaN at step 0. */
  lr: number;
}

/** One training point's hinge loss `relu(1 - y*score)`, as the whole network's graph shows it. */
export interface PointLoss {
  /** The point's label, -1 or +1. */
  y: number;
  score: number;
  loss: number;
  /** How many training points have a loss above 0 (y*score < 1) under these weights; NaN if unknown. */
  inside: number;
  /** How many training points there are. */
  points: number;
}

/** The plotted rectangle and its score grid (cells row-major from the bottom-left). */
export interface GridShape {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  nx: number;
  ny: number;
}

/** Page -> worker. */
export type Command =
  /**
   * A new run, numbered `run` by the page (the worker's reports about it carry the number).
   * `file`: the name of the model file `model` was read from, for the messages about it.
   */
  | {
      type: 'reset';
      run: number;
      config: Config;
      policy: CodePolicy;
      kind: GraphKind;
      model?: MLPJSON;
      file?: string;
    }
  /**
   * New live settings; `changed` (which) and `ask` (the page's count of the orders it sent, this
   * one included) come back in the 'applied' report.
   */
  | { type: 'settings'; settings: LiveSettings; changed: (keyof LiveSettings)[]; ask: number }
  /** How fast to train, from the next step on. */
  | { type: 'speed'; speed: Speed }
  | { type: 'play' }
  | { type: 'continue' }
  | { type: 'pause' }
  | { type: 'step' }
  /**
   * A point of run `run`'s training data, whose graph to draw (the worker ignores a choice made on
   * another run's data). `picked`: the reader chose the point (else the worker may move to one
   * whose graph shows gradients: the first neuron active, or for the network a loss above 0). */
  | { type: 'graph'; run: number; point: number | null; kind: GraphKind; picked: boolean }
  /** Whether the graph panel is on screen: off screen, the graph is not redrawn while training. */
  | { type: 'graph-visible'; visible: boolean }
  | { type: 'save'; format: 'json' | 'onnx' }
  /** An ONNX file to read as an MLP (the answer is a 'model' report with `load` set). */
  | { type: 'read-onnx'; bytes: ArrayBuffer; name: string };

/**
 * Worker -> page. Reports about a run carry its number (`run`, from its 'reset'): the page drops
 * those of a run it has moved on from.
 */
export type Report =
  | {
      type: 'ready';
      run: number;
      X: Float64Array;
      y: Uint8Array;
      testX: Float64Array;
      testY: Uint8Array;
      grid: GridShape;
      neuronGrid: GridShape;
      /** Layer sizes, inputs first: `[2, 16, 16, 1]`. */
      sizes: number[];
      /** Where compiled programs (the Trainer's in compiled mode, and the page's pictures) run here. */
      backend: string;
      parameters: number;
      /**
       * The point whose graph is drawn unless the user picks another, where its graph shows
       * gradients: the first hidden neuron is active there (or, for the network, its loss is above 0).
       */
      point: number;
      /** Step 0: the weights the run starts with. */
      row: StepRow;
    }
  /** Steps taken (`done`: the run is at its step limit). */
  | { type: 'steps'; run: number; rows: StepRow[]; done: boolean }
  /**
   * The worker took the live settings `changed` when the run was at step `step`: the next step is
   * the first to use them. `limit`: where the run stops now; `done`: it is there or past it.
   */
  | {
      type: 'applied';
      run: number;
      changed: (keyof LiveSettings)[];
      ask: number;
      step: number;
      limit: number;
      done: boolean;
    }
  /** The pictures of the weights after `row.step` steps: the cards show `row` with them. */
  | {
      type: 'view';
      run: number;
      row: StepRow;
      /** The score on every cell of the region grid. */
      scores: Float32Array;
      pointScores: Float32Array;
      testScores: Float32Array;
      /** Every hidden neuron's output on the neuron grid, neuron-major (layer 1's neurons first). */
      neurons: Float32Array;
      /** Every weight, layer by layer, neuron by neuron (`w[l][j][k]`, biases left out). */
      weights: Float32Array;
      /**
       * Each weight's gradient from the last step (the `grad` the Trainer's backward pass left on
       * it), in the order of `weights`; all 0 at step 0.
       */
      grads: Float32Array;
    }
  /**
   * Step `step` diverged: the run keeps the weights of step `at` (the last row sent) and takes no
   * step until the learning rate, decay, optimizer or L2 strength changes.
   */
  | { type: 'diverged'; run: number; step: number; at: number; message: string }
  | {
      type: 'graph';
      run: number;
      point: number;
      kind: GraphKind;
      svg: string;
      nodes: number;
      capped: boolean;
      /** Whether the first hidden neuron passes gradient at the point. */
      active: boolean;
      /** The point's hinge loss, in the whole network's graph; null in the neuron's. */
      hinge: PointLoss | null;
    }
  | { type: 'model'; json: MLPJSON; load: string | null }
  | { type: 'onnx'; bytes: Uint8Array }
  /** A chosen point's graph could not be drawn: the run trains on. */
  | { type: 'graph-error'; run: number; message: string }
  /**
   * `file`: the model file that could not be loaded (the message says why; the run goes on as it
   * was); `run`: the run that was asked to start from it, if any.
   */
  | { type: 'error'; message: string; file?: string; run?: number };
