import { describe, expect, it } from 'vitest';
import { Layer, MLP, Neuron, SGD, hingeLoss } from '../src/index.js';
import type { MLPJSON } from '../src/index.js';

function trained(): MLP {
  const model = new MLP(2, [5, 3, 1], { seed: 11, activation: 'tanh' });
  const opt = new SGD(model.parameters(), { lr: 0.1 });
  const X = [
    [0.3, -1],
    [1.7, 0.2],
    [-0.4, 0.9],
  ];
  for (let k = 0; k < 3; k++) {
    const loss = hingeLoss(
      X.map((x) => model.forward(x)[0]!),
      [1, -1, 1],
    );
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return model;
}

const bits = (m: MLP) => m.parameters().map((p) => p.data);

describe('MLP.toJSON / MLP.fromJSON', () => {
  it('round-trips architecture and every weight to the last bit, through a JSON string', () => {
    const model = trained();

    const copy = MLP.fromJSON(JSON.stringify(model));

    expect(bits(copy)).toEqual(bits(model));
    expect(String(copy)).toBe(String(model));
    expect(copy.forward([0.1, 0.2])[0]!.data).toBe(model.forward([0.1, 0.2])[0]!.data);
    expect(copy.toJSON()).toEqual(model.toJSON());
  });

  it('keeps negative zero apart from zero', () => {
    const model = new MLP(1, [1], { init: () => 0 });
    model.layers[0]!.neurons[0]!.w[0]!.data = -0;

    const copy = MLP.fromJSON(JSON.stringify(model));

    expect(Object.is(copy.parameters()[0]!.data, -0)).toBe(true);
    expect(Object.is(copy.parameters()[1]!.data, 0)).toBe(true);
  });

  it('names the first malformed field', () => {
    const good = trained().toJSON();
    const broken = (edit: (j: MLPJSON) => void) => {
      const j = structuredClone(good);
      edit(j);
      return j;
    };

    expect(() => MLP.fromJSON('{"format":')).toThrow(/MLP.fromJSON: not valid JSON/);
    expect(() => MLP.fromJSON({ ...good, format: 'other' })).toThrow(
      'MLP.fromJSON: format must be "mg.mlp", got "other"',
    );
    expect(() =>
      MLP.fromJSON(broken((j) => (j.layers[1]!.neurons[2]!.w[4] = 'x' as unknown as number))),
    ).toThrow('MLP.fromJSON: layers[1].neurons[2].w[4] must be a finite number, got "x"');
    expect(() => MLP.fromJSON(broken((j) => j.layers[2]!.neurons[0]!.w.pop()))).toThrow(
      'MLP.fromJSON: layers[2].neurons[0].w has 2 weights, but the layer has 3 inputs',
    );
    expect(() => MLP.fromJSON(broken((j) => (j.layers[0]!.activation = 'gelu' as 'relu')))).toThrow(
      /layers\[0\].activation must be/,
    );
    expect(() => MLP.fromJSON(null)).toThrow(TypeError);
  });
});

describe('MLP.loadJSON', () => {
  it('loads the weights of a model with the same architecture', () => {
    const source = trained();
    const target = new MLP(2, [5, 3, 1], { seed: 99, activation: 'tanh' });

    target.loadJSON(source.toJSON());

    expect(bits(target)).toEqual(bits(source));
  });

  it('refuses a different architecture or malformed JSON and leaves the model unchanged', () => {
    const source = trained().toJSON();
    const target = new MLP(2, [5, 1], { seed: 99 });
    const before = bits(target);
    const lastBad = structuredClone(source);
    lastBad.layers[2]!.neurons[0]!.b = Number.NaN;

    expect(() => {
      target.loadJSON(source);
    }).toThrow(
      'MLP.loadJSON: the JSON holds MLP(2, [5 tanh, 3 tanh, 1 linear]) but this model is MLP(2, [5 relu, 1 linear])',
    );
    expect(() => {
      new MLP(2, [5, 3, 1], { seed: 1, activation: 'tanh' }).loadJSON(lastBad);
    }).toThrow('MLP.loadJSON: layers[2].neurons[0].b must be a finite number, got NaN');
    expect(bits(target)).toEqual(before);
  });

  it('leaves the model unchanged when only the last number is bad', () => {
    const source = trained().toJSON();
    source.layers[2]!.neurons[0]!.b = Number.POSITIVE_INFINITY;
    const target = new MLP(2, [5, 3, 1], { seed: 5, activation: 'tanh' });
    const before = bits(target);

    expect(() => {
      target.loadJSON(source);
    }).toThrow(TypeError);

    expect(bits(target)).toEqual(before);
  });
});

describe('MLP.loadJSON with a hole in an array', () => {
  it('names the hole and leaves the model unchanged (map skipped holes, and loading stopped half way)', () => {
    const source = trained().toJSON();
    // [0.5, <hole>, 0.25], as a sparse literal or `w.length = 3` after a shorter array leave it.
    const w: number[] = [];
    w[0] = 0.5;
    w[2] = 0.25;
    source.layers[2]!.neurons[0]!.w = w;
    const target = new MLP(2, [5, 3, 1], { seed: 5, activation: 'tanh' });
    const before = bits(target);

    expect(() => {
      target.loadJSON(source);
    }).toThrow(/^MLP\.loadJSON: layers\[2\]\.neurons\[0\]\.w\[1\] must be a finite number, got undefined$/);
    expect(bits(target)).toEqual(before);
    expect(() => MLP.fromJSON(source)).toThrow(/w\[1\] must be a finite number, got undefined/);
  });
});

describe('Neuron and Layer JSON', () => {
  it('JSON.stringify(new Neuron(2)) holds the activation and the weights, nothing internal', () => {
    const neuron = new Neuron(2, { seed: 1, activation: 'tanh' });
    neuron.b.data = -0;

    const json = JSON.parse(JSON.stringify(neuron)) as Record<string, unknown>;

    expect(Object.keys(json)).toEqual(['format', 'version', 'activation', 'w', 'b']);
    expect(json).toEqual({
      format: 'mg.neuron',
      version: 1,
      activation: 'tanh',
      w: neuron.w.map((w) => w.data),
      b: '-0',
    });
  });

  it('round-trips a neuron and a layer to the last bit', () => {
    const layer = new Layer(3, 4, { seed: 8, activation: 'sigmoid' });
    layer.neurons[2]!.b.data = 0.125;
    const neuron = layer.neurons[1]!;

    const layerCopy = Layer.fromJSON(JSON.stringify(layer));
    const neuronCopy = Neuron.fromJSON(JSON.stringify(neuron));

    expect(layerCopy.parameters().map((p) => p.data)).toEqual(layer.parameters().map((p) => p.data));
    expect(String(layerCopy)).toBe(String(layer));
    expect(neuronCopy.parameters().map((p) => p.data)).toEqual(neuron.parameters().map((p) => p.data));
    expect(neuronCopy.forward([1, 2, 3]).data).toBe(neuron.forward([1, 2, 3]).data);
    expect(Object.keys(JSON.parse(JSON.stringify(layer)) as object)).toEqual([
      'format',
      'version',
      'nin',
      'activation',
      'neurons',
    ]);
  });
});
