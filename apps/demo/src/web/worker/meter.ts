// The loss and accuracy of the model's current weights on a set of points, as nn's Trainer
// measures them, without a step.
import { compile, type Program } from '@mg/engine';
import { hinge, l2, mean, type MLP } from '@mg/nn';
import { at, pointAt, type Dataset } from '../../core/index.js';
import type { Backend } from './run.js';

/**
 * Measures a model on fixed points: the mean hinge loss plus the L2 term, traced and reduced as
 * nn's Trainer traces its loss, so the training points' loss is the very number the Trainer's
 * next step reports for the same weights (micrograd's notebook prints that one).
 */
export class Meter {
  /** Each point as `x, y, label ±1`. */
  private readonly batch: Float64Array;
  private program: Program | null = null;
  /** The L2 strength the program was traced with (the term is part of its reduction). */
  private alpha = NaN;

  constructor(
    private readonly model: MLP,
    private readonly data: Dataset,
    private readonly backend: Backend,
  ) {
    const m = data.y.length;
    this.batch = new Float64Array(3 * m);
    for (let i = 0; i < m; i++) this.batch.set([...pointAt(data.X, i), 2 * at(data.y, i) - 1], 3 * i);
  }

  /**
   * The loss (with the L2 term at strength `alpha`) and the accuracy of the current weights; NaN
   * for both without points, and a NaN loss when a number is not finite.
   */
  measure(alpha: number): { loss: number; accuracy: number } {
    const program = this.traced(alpha);
    if (program === null) return { loss: NaN, accuracy: NaN };
    let loss: number;
    try {
      loss = program.evaluate(this.batch);
    } catch {
      // Weights on their way to diverging: the run judges by the NaN.
      return { loss: NaN, accuracy: NaN };
    }
    const out = program.outputs;
    const y = this.data.y;
    let correct = 0;
    for (let i = 0; i < y.length; i++) if (at(out, 2 * i + 1) > 0 === (y[i] === 1)) correct++;
    return { loss, accuracy: correct / y.length };
  }

  /** Every point's score under the current weights (empty without points). */
  scores(): Float32Array {
    // Any L2 strength gives the same scores: the last one's program serves.
    const program = this.traced(Number.isNaN(this.alpha) ? 0 : this.alpha);
    if (program === null) return new Float32Array(0);
    const out = program.predict(this.batch);
    return Float32Array.from({ length: this.data.y.length }, (_, i) => at(out, 2 * i + 1));
  }

  /** The program for L2 strength `alpha` (traced again when it changes); null without points. */
  private traced(alpha: number): Program | null {
    if (this.data.y.length === 0) return null;
    if (this.program !== null && alpha === this.alpha) return this.program;
    const model = this.model;
    const params = model.parameters();
    // Per point: [hinge term, score]; the reduction is the Trainer's: the terms' mean, plus L2.
    this.program = compile(
      (xs) => {
        const score = at(model.forward(xs.slice(0, 2)), 0);
        return [hinge(score, at(xs, 2)), score];
      },
      {
        inputs: 3,
        backend: this.backend,
        reduce: (outs) => {
          const data = mean(outs.map((o) => at(o, 0)));
          return alpha === 0 ? data : data.add(l2(params, alpha));
        },
      },
    );
    this.alpha = alpha;
    return this.program;
  }
}
