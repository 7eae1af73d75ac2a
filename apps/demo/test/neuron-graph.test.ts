import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '@mg/engine';
import { MLP } from '@mg/nn';
import { activePoint, chooseNeuron, neuronGraph } from '../src/core/neuron-graph.js';
import { neuronGraphNotes, neuronGraphTitle } from '../src/cli/graphs.js';

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

describe('chooseNeuron', () => {
  const X = Float64Array.from([1, 0, 0, 1, -1, -1]);

  /** An MLP 2-3-1 whose first-layer neurons have these weights and biases. */
  function model(weights: [number, number, number][]): MLP {
    const mlp = new MLP(2, [3, 1], { seed: 1 });
    mlp.layers[0]!.neurons.forEach((neuron, i) => {
      const [w1, w2, b] = weights[i]!;
      [neuron.w[0]!.data, neuron.w[1]!.data, neuron.b.data] = [w1, w2, b];
    });
    return mlp;
  }
  // Dead at every point of X: its weighted sum is -1 or less.
  const dead: [number, number, number] = [0, 0, -1];

  it('keeps the first neuron where it is active somewhere, at its first such point', () => {
    const choice = chooseNeuron(model([[-1, -1, -1.5], [1, 1, 0], dead]), X);

    expect(choice).toEqual({ neuron: 0, point: [-1, -1], active: true });
    expect(neuronGraphTitle(choice)).toBe('first hidden neuron at (-1.0000, -1.0000)');
    expect(neuronGraphNotes(choice)).toEqual([]);
  });

  it('takes the next neuron that is active somewhere when the first is dead at every point', () => {
    const mlp = model([dead, dead, [0, 1, -0.5]]);

    const choice = chooseNeuron(mlp, X);
    const out = neuronGraph(mlp, choice.point, choice.neuron);

    expect(choice).toEqual({ neuron: 2, point: [0, 1], active: true });
    expect(out.data).toBe(0.5);
    expect(neuronGraphTitle(choice)).toBe(
      'hidden neuron 3 at (0.0000, 1.0000), the first of layer 1 active at any point',
    );
    // The web page's choice is the first neuron's, as before.
    expect(activePoint(mlp, X)).toEqual([1, 0]);
  });

  it('says so when no neuron of the layer is active at any point', () => {
    const choice = chooseNeuron(model([dead, dead, dead]), X);

    expect(choice).toEqual({ neuron: 0, point: [1, 0], active: false });
    expect(neuronGraphTitle(choice)).toBe(
      'first hidden neuron at (1.0000, 0.0000): no neuron of layer 1 is active at any point, every gradient is 0',
    );
    expect(neuronGraphNotes(choice)).toHaveLength(1);
  });
});
