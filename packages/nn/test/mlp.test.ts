import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { Layer, MLP, Neuron, PythonRandom } from '../src/index.js';

describe('MLP', () => {
  it('has 337 parameters for MLP(2, [16, 16, 1]), as micrograd counts them', () => {
    const model = new MLP(2, [16, 16, 1], { seed: 1337 });

    expect(model.parameters()).toHaveLength(337);
  });

  it('makes hidden layers ReLU and the last layer linear, and prints like micrograd', () => {
    const model = new MLP(2, [16, 16, 1], { seed: 1337 });

    const text = model.toString();

    expect(model.layers.map((l) => l.activation)).toEqual(['relu', 'relu', 'linear']);
    expect(text.startsWith('MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ')).toBe(true);
    expect(text.endsWith('ReLUNeuron(16)], Layer of [LinearNeuron(16)]]')).toBe(true);
    expect(text.match(/ReLUNeuron\(2\)/g)).toHaveLength(16);
  });

  it('draws the weights micrograd draws after random.seed(1337)', () => {
    const model = new MLP(2, [16, 16, 1], { seed: 1337 });

    const p = model.parameters();

    // micrograd (nn.py) after random.seed(1337); MLP(2, [16, 16, 1]).parameters()[i].data
    const reference: [number, number][] = [
      [0, 0.23550571390294128],
      [1, 0.06653114721000164],
      [2, 0],
      [47, 0],
      [48, -0.08568482691922008],
      [49, -0.4702876239420326],
      [318, 0.12301724420660465],
      [319, 0],
      [335, -0.2532524374373504],
      [336, 0],
    ];
    for (const [i, x] of reference) expect(p[i]!.data).toBe(x);
  });

  it('draws uniform(-1, 1) per weight, neuron by neuron, layer by layer, with zero biases', () => {
    const model = new MLP(3, [4, 2], { seed: 42 });
    const rng = new PythonRandom(42);

    const expected = [
      ...Array.from({ length: 4 }, () => [...Array.from({ length: 3 }, () => rng.uniform(-1, 1)), 0]),
      ...Array.from({ length: 2 }, () => [...Array.from({ length: 4 }, () => rng.uniform(-1, 1)), 0]),
    ].flat();

    expect(model.parameters().map((v) => v.data)).toEqual(expected);
  });

  it('computes the forward pass micrograd computes, bit for bit', () => {
    const model = new MLP(2, [16, 16, 1], { seed: 1337 });

    const a = model.forward([0.5, -1.2]);
    const b = model.forward([new Value(2.0), 0.25]);

    expect(a).toHaveLength(1);
    expect(a[0]!.data).toBe(-0.8633736726787873);
    expect(b[0]!.data).toBe(-0.43037139417261067);
  });

  it('back-propagates to the gradients micrograd finds', () => {
    const model = new MLP(2, [16, 16, 1], { seed: 1337 });
    const p = model.parameters();

    model.forward([0.5, -1.2])[0]!.backward();

    // micrograd, parameters()[i].grad after model([0.5, -1.2]).backward()
    const reference: [number, number][] = [
      [0, -0.37222997848481815],
      [1, 0.8933519483635636],
      [48, 0.03461222232378894],
      [320, 0.03378943641096721],
      [335, 0],
      [336, 1],
    ];
    for (const [i, g] of reference) expect(p[i]!.grad).toBeCloseTo(g, 14);
  });

  it('zeroGrad() clears every parameter gradient', () => {
    const model = new MLP(2, [3, 1], { seed: 1 });
    model.forward([1, 2])[0]!.backward();

    model.zeroGrad();

    expect(model.parameters().every((p) => p.grad === 0)).toBe(true);
  });

  it('throws a RangeError naming both lengths for a wrong input length', () => {
    const model = new MLP(2, [3, 1], { seed: 1 });

    expect(() => model.forward([1, 2, 3])).toThrow(RangeError);
    expect(() => model.forward([1, 2, 3])).toThrow('MLP.forward: expected 2 inputs, got 3');
    expect(() => new Layer(4, 2).forward([1])).toThrow('Layer.forward: expected 4 inputs, got 1');
    expect(() => new Neuron(2).forward([])).toThrow('Neuron.forward: expected 2 inputs, got 0');
  });

  it('rejects inputs that are neither Values nor finite numbers', () => {
    const model = new MLP(2, [1], { seed: 1 });

    expect(() => model.forward([1, Number.NaN])).toThrow(
      'MLP.forward: input 1 must be a Value or a finite number, got NaN',
    );
    expect(() => model.forward([1, '2' as unknown as number])).toThrow(TypeError);
  });

  it('applies the requested activations', () => {
    const model = new MLP(1, [1, 1], { activation: 'tanh', outputActivation: 'sigmoid', init: () => 0.5 });

    const y = model.forward([2])[0]!;

    expect(y.data).toBe(1 / (1 + Math.exp(-(0 + 0.5 * Math.tanh(0 + 0.5 * 2)))));
    expect(String(model)).toBe('MLP of [Layer of [TanhNeuron(1)], Layer of [SigmoidNeuron(1)]]');
  });

  it('draws from an injected generator, and scales by 1/sqrt(nin) with uniform-scaled', () => {
    const draws = [0.25, 0.75, 0.5, 0];
    const rng = () => draws.shift()!;

    const layer = new Layer(4, 1, { rng, init: 'uniform-scaled' });

    expect(layer.neurons[0]!.w.map((w) => w.data)).toEqual([-0.25, 0.25, 0, -0.5]);
  });

  it('refuses a generator that leaves [0, 1) and sizes that are not positive integers', () => {
    expect(() => new Neuron(2, { rng: () => 1 })).toThrow(
      /options.rng must return numbers in \[0, 1\), returned 1/,
    );
    expect(() => new MLP(2, [])).toThrow(RangeError);
    expect(() => new MLP(2, [3, 0])).toThrow('new MLP: nouts[1] must be a positive integer, got 0');
    expect(() => new Layer(2.5, 1)).toThrow('new Layer: nin must be a positive integer, got 2.5');
    expect(() => new Neuron(2, { activation: 'gelu' as 'relu' })).toThrow(TypeError);
  });
});

describe('Neuron', () => {
  it('sums from the bias in micrograd order: ((b + w0*x0) + w1*x1) + w2*x2', () => {
    const n = new Neuron(3, { activation: 'linear', seed: 3 });
    const [w0, w1, w2] = n.w.map((w) => w.data) as [number, number, number];
    n.b.data = 0.1;

    const y = n.forward([0.3, 0.7, -1.1]);

    expect(y.data).toBe(0.1 + w0 * 0.3 + w1 * 0.7 + w2 * -1.1);
    expect(y.children[0]!.children[0]!.children[0]).toBe(n.b);
  });
});

describe('parameter labels', () => {
  it('name each parameter after its place, numbered from 1 as in the lecture', () => {
    const model = new MLP(2, [3, 1], { seed: 1 });

    const labels = model.parameters().map((p) => p.label);

    expect(labels.slice(0, 4)).toEqual(['L1.N1.w1', 'L1.N1.w2', 'L1.N1.b', 'L1.N2.w1']);
    expect(labels.slice(-4)).toEqual(['L2.N1.w1', 'L2.N1.w2', 'L2.N1.w3', 'L2.N1.b']);
    expect(model.layers[0]!.neurons[2]!.w[1]!.label).toBe('L1.N3.w2');
    expect(new Layer(2, 2).parameters().map((p) => p.label)).toEqual([
      'N1.w1',
      'N1.w2',
      'N1.b',
      'N2.w1',
      'N2.w2',
      'N2.b',
    ]);
    expect(new Neuron(2).parameters().map((p) => p.label)).toEqual(['w1', 'w2', 'b']);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("shows the labels in a drawn graph's nodes (toString of the leaves)", () => {
    const model = new MLP(2, [1], { seed: 1, activation: 'linear' });

    const out = model.forward([1, 2])[0]!;

    expect(String(out.children[1]!.children[0])).toContain('label="L1.N1.w2"');
  });
});
