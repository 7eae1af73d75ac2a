import type { MLPJSON } from '@mg/nn';
import type { Config, LiveSettings } from './config.js';

/** What the graph panel draws for the chosen point. */
export type GraphKind = 'neuron' | 'network';

/** What the page's Content-Security-Policy allows; a worker is not bound by a <meta> policy, so the page tells it. */
export interface CodePolicy {
  /** `'unsafe-eval'`: JavaScript from strings. */
  eval: boolean;
  /** `'wasm-unsafe-eval'` (or `'unsafe-eval'`): compiling WebAssembly. */
  wasm: boolean;
}

/** One training step as the page shows it. */
export interface StepRow {
  step: number;
  loss: number;
  accuracy: number;
  /** Mean hinge loss and accuracy on the held-out points, before the step's update; NaN without test points. */
  testLoss: number;
  testAccuracy: number;
  lr: number;
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
  | { type: 'reset'; config: Config; policy: CodePolicy; kind: GraphKind; model?: MLPJSON }
  | { type: 'settings'; settings: LiveSettings }
  | { type: 'play' }
  | { type: 'continue' }
  | { type: 'pause' }
  | { type: 'step' }
  /** `picked`: the reader chose the point (else the page may move to one where the first neuron is active). */
  | { type: 'graph'; point: number | null; kind: GraphKind; picked: boolean }
  /** Whether the graph panel is on screen: off screen, the graph is not redrawn while training. */
  | { type: 'graph-visible'; visible: boolean }
  | { type: 'save'; format: 'json' | 'onnx' }
  /** An ONNX file to read as an MLP (the answer is a 'model' report with `load` set). */
  | { type: 'read-onnx'; bytes: ArrayBuffer; name: string };

/** Worker -> page. */
export type Report =
  | {
      type: 'ready';
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
      /** The point whose graph is drawn unless the user picks another: the first hidden neuron is active there. */
      point: number;
    }
  | { type: 'steps'; rows: StepRow[]; done: boolean }
  | {
      type: 'view';
      step: number;
      /** The score on every cell of the region grid. */
      scores: Float32Array;
      pointScores: Float32Array;
      testScores: Float32Array;
      /** Every hidden neuron's output on the neuron grid, neuron-major (layer 1's neurons first). */
      neurons: Float32Array;
      /** Every weight, layer by layer, neuron by neuron (`w[l][j][k]`, biases left out). */
      weights: Float32Array;
    }
  | { type: 'diverged'; step: number; message: string }
  | {
      type: 'graph';
      point: number;
      kind: GraphKind;
      svg: string;
      nodes: number;
      capped: boolean;
      active: boolean;
    }
  | { type: 'model'; json: MLPJSON; load: string | null }
  | { type: 'onnx'; bytes: Uint8Array }
  | { type: 'error'; message: string };
