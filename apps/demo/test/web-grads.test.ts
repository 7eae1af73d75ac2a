import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Config } from '../src/web/config.js';
import { Run } from '../src/web/worker/run.js';
import { Views } from '../src/web/worker/views.js';

const config = (changes: Partial<Config> = {}): Config => ({
  ...DEFAULTS,
  hidden: [...DEFAULTS.hidden],
  ...changes,
});

/** Every weight's `grad` on the model now (biases left out), layer by layer, neuron by neuron. */
function gradsNow(run: Run): number[] {
  return run.model.layers.flatMap((layer) => layer.neurons.flatMap((neuron) => neuron.w.map((w) => w.grad)));
}

describe("the diagram's gradient lines", () => {
  it('sends all 0 before any step, one gradient per weight', () => {
    const run = new Run(config({ hidden: [4] }), 'interpreter');
    const view = new Views(run, 'interpreter').report(1);

    expect(view.grads).toBeInstanceOf(Float32Array);
    expect(view.grads.length).toBe(view.weights.length);
    expect(view.grads.length).toBe(2 * 4 + 4 * 1);
    expect(view.grads.every((g) => g === 0)).toBe(true);
  });

  it("sends each weight's grad as the Trainer's last backward pass left it, in both engines", () => {
    for (const engine of ['eager', 'compiled'] as const) {
      const run = new Run(config({ engine }), 'interpreter');
      const views = new Views(run, 'interpreter');
      run.step();
      run.step();
      const expected = Float32Array.from(gradsNow(run));
      // A graph drawn since fills in (or zeroes) gradients of its own: the lines keep the step's.
      run.model.zeroGrad();

      const view = views.report(1);

      expect(view.row.step).toBe(2);
      expect(view.grads).toEqual(expected);
      expect(view.grads.some((g) => g !== 0)).toBe(true);
      expect(view.grads.length).toBe(view.weights.length);
      // Its own copy: a later report's buffer can be handed to the page without taking this one.
      expect(views.report(1).grads).not.toBe(view.grads);
    }
  });
});
