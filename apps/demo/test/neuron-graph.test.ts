import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '@mg/engine';
import { MLP } from '@mg/nn';
import { activePoint, neuronGraph } from '../src/core/neuron-graph.js';

describe('neuronGraph', () => {
  const model = new MLP(2, [3, 1], { seed: 7 });
  const neuron = model.layers[0]!.neurons[0]!;

  it("computes the first hidden neuron's output and gradients at the point, as nn's forward does", () => {
    const point: [number, number] = [0.5, -1.25];
    const expected = neuron.forward(point).data;

    const out = neuronGraph(model, point);

    expect(out.data).toBe(expected);
    const byLabel = Object.fromEntries(topologicalOrder(out).map((v) => [v.label, v]));
    expect(Object.keys(byLabel).sort()).toEqual(
      ['b', 'b + w1x1', 'n', 'out', 'w1', 'w1x1', 'w2', 'w2x2', 'x1', 'x2'].sort(),
    );
    const active = byLabel.n!.data > 0 ? 1 : 0;
    expect([byLabel.w1!.grad, byLabel.w2!.grad, byLabel.b!.grad]).toEqual([
      active * 0.5,
      active * -1.25,
      active,
    ]);
    expect([byLabel.x1!.grad, byLabel.x2!.grad]).toEqual([
      active * neuron.w[0]!.data,
      active * neuron.w[1]!.data,
    ]);
  });

  it("leaves the model's own Values untouched", () => {
    const before = model.parameters().map((p) => [p.data, p.grad, p.label]);

    neuronGraph(model, activePoint(model, Float64Array.from([1, 2, -3, 0.5])));

    expect(model.parameters().map((p) => [p.data, p.grad, p.label])).toEqual(before);
  });

  it('picks the first point where the neuron is active', () => {
    const { w, b } = neuron;
    const sum = (x: number, y: number) => b.data + w[0]!.data * x + w[1]!.data * y;
    const X = Float64Array.from([0, 0, 1, 1, -1, -1, 2, -2]);
    const firstActive = [0, 1, 2, 3].find((i) => sum(X[2 * i]!, X[2 * i + 1]!) > 0);

    expect(activePoint(model, X)).toEqual(
      firstActive === undefined ? [0, 0] : [X[2 * firstActive], X[2 * firstActive + 1]],
    );
  });
});
