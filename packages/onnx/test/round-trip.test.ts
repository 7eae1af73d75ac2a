import { MLP, type Activation } from '@mg/nn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../src/index.js';
import { seededModel } from './models.js';

const bits = (model: MLP): string[] =>
  model.parameters().map((p) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, p.data);
    return view.getBigUint64(0).toString(16);
  });

describe('fromOnnx(toOnnx(model))', () => {
  it.each([
    { nin: 2, nouts: [16, 16, 1], activations: ['relu', 'relu', 'linear'] },
    { nin: 3, nouts: [5, 4, 2], activations: ['tanh', 'sigmoid', 'relu'] },
    { nin: 1, nouts: [1], activations: ['sigmoid'] },
    { nin: 4, nouts: [3, 3], activations: ['linear', 'linear'] },
  ] as { nin: number; nouts: number[]; activations: Activation[] }[])(
    'gives bit-identical parameters and the same activations for MLP($nin, $nouts)',
    ({ nin, nouts, activations }) => {
      const model = seededModel(nin, nouts, activations, 3);

      const copy = fromOnnx(toOnnx(model));

      expect(bits(copy)).toEqual(bits(model));
      expect(copy.layers.map((l) => l.activation)).toEqual(activations);
      expect(String(copy)).toBe(String(model));
    },
  );

  it('keeps negative zero, subnormals and the largest doubles', () => {
    const model = new MLP(3, [2], { activations: ['tanh'], init: () => 0 });
    const special = [-0, 5e-324, -Number.MAX_VALUE, Number.MIN_VALUE * 3, 0.1, -1 / 3, Number.MAX_VALUE, -0];
    model.parameters().forEach((p, i) => (p.data = special[i]!));

    const copy = fromOnnx(toOnnx(model));

    expect(bits(copy)).toEqual(bits(model));
    expect(Object.is(copy.parameters()[0]!.data, -0)).toBe(true);
  });

  it('rounds every weight to the nearest float32 when exported as float32', () => {
    const model = seededModel(2, [4, 1], ['tanh', 'linear'], 5);

    const copy = fromOnnx(toOnnx(model, { dtype: 'float32' }));

    expect(copy.parameters().map((p) => p.data)).toEqual(model.parameters().map((p) => Math.fround(p.data)));
    expect(copy.parameters().some((p, i) => p.data !== model.parameters()[i]!.data)).toBe(true);
  });

  it('leaves the exported model unchanged', () => {
    const model = seededModel(2, [3, 1], ['relu', 'linear'], 9);
    const before = JSON.stringify(model);

    toOnnx(model, { dtype: 'float32' });

    expect(JSON.stringify(model)).toBe(before);
  });

  it('reads a Node Buffer that is a view into a larger pool, at its offset', () => {
    const model = seededModel(2, [3, 1], ['relu', 'linear'], 9);
    const bytes = toOnnx(model);
    const pool = new Uint8Array(bytes.length + 100).fill(0xff);
    pool.set(bytes, 37);

    const copy = fromOnnx(Buffer.from(pool.buffer, 37, bytes.length));

    expect(bits(copy)).toEqual(bits(model));
  });

  it('accepts the bytes as an ArrayBuffer too', () => {
    const model = seededModel(2, [3, 1], ['relu', 'linear'], 9);
    const bytes = toOnnx(model);
    const buffer = new ArrayBuffer(bytes.length);
    new Uint8Array(buffer).set(bytes);

    const copy = fromOnnx(buffer);

    expect(bits(copy)).toEqual(bits(model));
  });
});

describe('fromOnnx(toOnnx(model)) for any weights', () => {
  it('keeps every bit of every double, for any architecture and activations', () => {
    const activation = fc.constantFrom<Activation>('relu', 'tanh', 'sigmoid', 'linear');
    const architecture = fc.record({
      nin: fc.integer({ min: 1, max: 5 }),
      layers: fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), activation), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(
        architecture,
        fc.infiniteStream(fc.double({ noNaN: true, noDefaultInfinity: true })),
        ({ nin, layers }, weights) => {
          const model = new MLP(
            nin,
            layers.map(([n]) => n),
            { activations: layers.map(([, a]) => a), init: () => 0 },
          );
          const stream = weights[Symbol.iterator]();
          for (const p of model.parameters()) p.data = stream.next().value as number;

          const copy = fromOnnx(toOnnx(model));

          expect(bits(copy)).toEqual(bits(model));
          expect(copy.layers.map((l) => l.activation)).toEqual(layers.map(([, a]) => a));
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
