import type { Backend } from '@mg/engine';
import type { Config } from './config.js';

/** What the graph panel draws for the chosen point. */
export type GraphKind = 'neuron' | 'network';

/** One training step as the page shows it. */
export interface StepRow {
  step: number;
  loss: number;
  accuracy: number;
  lr: number;
  ms: number;
}

/** Page -> worker. */
export type Command =
  | {
      type: 'reset';
      config: Config;
      /**
       * The page's own policy forbids eval. A policy in a <meta> tag does not bind a worker loaded
       * from a URL, so the page says so and the worker keeps to the interpreter as well.
       */
      forbidEval: boolean;
    }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'graph'; point: number | null; kind: GraphKind };

/** Worker -> page. */
export type Report =
  | {
      type: 'ready';
      X: Float64Array;
      y: Uint8Array;
      grid: { xMin: number; xMax: number; yMin: number; yMax: number; nx: number; ny: number };
      scores: Float32Array;
      /** The compiled engine's back end here: `'interpreter'` when a CSP forbids eval. */
      backend: Backend;
      parameters: number;
    }
  | { type: 'steps'; rows: StepRow[]; scores: Float32Array; pointScores: Float32Array; done: boolean }
  | { type: 'graph'; point: number; kind: GraphKind; svg: string; nodes: number; capped: boolean }
  | { type: 'error'; message: string };
