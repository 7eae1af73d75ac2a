// What fromOnnx and toOnnx make of models that are invalid, unusual or not models at all: each
// case is checked against ONNX Runtime (what it computes, or that it refuses the model too).
import vm from 'node:vm';
import { Layer, MLP } from '@mg/nn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../src/index.js';
import { encodeModel, type Attribute, type Node, type Tensor } from '../src/proto.js';
import { readFields, readInt, Writer } from '../src/wire.js';
import { graph, node, tensor, transB } from './graphs.js';
import { runOrt, seededInputs } from './models.js';

const int = (name: string, value: number): Attribute => ({ name, type: 2, value });
const w = tensor('w', [2, 2], [1, 2, 3, 4]);
const b = tensor('b', [2], [0.5, -0.5]);
const oneGemm = (attributes: Attribute[], opset = 17): Uint8Array =>
  graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', attributes)], [w, b], { opset, outputWidth: 2 });

/** mg's outputs for these rows. */
const mgRun = (model: MLP, rows: number[][]): number[][] =>
  rows.map((row) => model.forward(row).map((v) => v.data));

/** ONNX Runtime sums in its own order: the same numbers to 1e-12 (these rows give outputs below 20). */
function expectClose(got: number[][], want: number[][]): void {
  expect(got.map((row) => row.length)).toEqual(want.map((row) => row.length));
  got.forEach((row, i) => {
    row.forEach((g, j) => {
      expect(g).toBeCloseTo(want[i]![j]!, 12);
    });
  });
}

/** Whether ONNX Runtime loads the model (it refuses invalid ones when it creates the session). */
async function ortLoads(bytes: Uint8Array): Promise<boolean> {
  try {
    await (await ort.InferenceSession.create(bytes, { logSeverityLevel: 4 })).release();
    return true;
  } catch {
    return false;
  }
}

describe('Gemm transB', () => {
  // ONNX's Gemm transposes B for any non-zero transB; reading only 1 as "transpose" silently
  // computed x·W for transB = 2 where ONNX Runtime computes x·Wᵀ.
  it.each([1, 2, -1, 0])('transB = %d computes what ONNX Runtime computes', async (value) => {
    const bytes = oneGemm([int('transB', value)]);
    const rows = seededInputs(20, 2, 3);

    const model = fromOnnx(bytes);

    expectClose(mgRun(model, rows), await runOrt(bytes, rows));
    // W = [[1, 2], [3, 4]]: transposed, neuron 0 reads row [1, 2]; not transposed, column [1, 3].
    expect(model.layers[0]!.neurons[0]!.w.map((v) => v.data)).toEqual(value === 0 ? [1, 3] : [1, 2]);
  });

  it('refuses any non-zero transA, which transposes the input', () => {
    expect(() => fromOnnx(oneGemm([transB, int('transA', 2)]))).toThrow(
      /cannot import node "Gemm_y" \(Gemm\): transA is 2, which transposes the input/,
    );
  });
});

describe('negative integers', () => {
  it('writes and reads negative int64 values as 10-byte two’s complement varints, as protobuf does', () => {
    const bytes = new Writer()
      .int(3, -1)
      .int(3, -(2 ** 53 - 1))
      .int(3, 7)
      .finish();

    // int64 -1 is ff ff ff ff ff ff ff ff ff 01 (protobuf's encoding documentation).
    expect(Array.from(bytes.subarray(0, 11))).toEqual([0x18, ...Array<number>(9).fill(0xff), 0x01]);
    expect(readFields(bytes, bytes).map((f) => readInt(f, 'i'))).toEqual([-1, -(2 ** 53 - 1), 7]);
  });

  it('quotes an integer beyond 2^53 exactly when it refuses it', () => {
    const min = Uint8Array.from([0x18, ...Array<number>(9).fill(0x80), 0x01]); // -2^63
    const max = Uint8Array.from([0x18, ...Array<number>(8).fill(0xff), 0x7f]); // 2^63 - 1

    expect(() => readInt(readFields(min, min)[0]!, 'i')).toThrow(
      'i: integer -9223372036854775808 is out of range',
    );
    expect(() => readInt(readFields(max, max)[0]!, 'i')).toThrow(
      'i: integer 9223372036854775807 is out of range',
    );
  });

  it("refuses nn.Softmax(dim=-1)'s Softmax with the README's message, not as a malformed file", () => {
    const bytes = graph(
      2,
      [node('Gemm', ['x', 'w', 'b'], 'h', [transB]), node('Softmax', ['h'], 'y', [int('axis', -1)])],
      [w, b],
    );

    expect(() => fromOnnx(bytes)).toThrow(
      /^fromOnnx: cannot import node "Softmax_y" \(Softmax\): Softmax is not a layer mg has\./,
    );
  });

  it('reads Flatten(axis=-1), axis 1 of an [N, features] tensor, as ONNX Runtime computes it', async () => {
    const bytes = graph(
      2,
      [node('Flatten', ['x'], 'f', [int('axis', -1)]), node('Gemm', ['f', 'w', 'b'], 'y', [transB])],
      [w, b],
      { outputWidth: 2 },
    );
    const rows = seededInputs(20, 2, 5);

    expectClose(mgRun(fromOnnx(bytes), rows), await runOrt(bytes, rows));
  });
});

describe('invalid models, which ONNX Runtime refuses too', () => {
  const relu = (inputs: string[]): Node[] => [
    node('Gemm', ['x', 'w', 'b'], 'h', [transB]),
    node('Relu', inputs, 'y'),
  ];
  const cases: [string, Uint8Array, RegExp][] = [
    [
      'an attribute given twice',
      oneGemm([int('transB', 0), int('transB', 1)]),
      /^fromOnnx: node "Gemm_y" \(Gemm\) is invalid: its attribute "transB" is given twice$/,
    ],
    [
      'an attribute holding both i and f',
      oneGemm([{ ...transB, holds: ['i', 'f'] }]),
      /^fromOnnx: node "Gemm_y" \(Gemm\) is invalid: its attribute "transB" holds i and f; an attribute holds one value \(here i\)$/,
    ],
    [
      'an INT attribute given as a FLOAT',
      oneGemm([{ name: 'transB', type: 1, value: 1 }]),
      /node "Gemm_y" \(Gemm\) is invalid: its attribute "transB" is FLOAT \(1\), but Gemm's "transB" is INT \(2\)$/,
    ],
    [
      'an untyped INT attribute holding f',
      oneGemm([{ name: 'transB', type: 0, value: 1, holds: ['f'] }]),
      /its attribute "transB" holds f, but Gemm's "transB" is INT \(2\) \(i\)$/,
    ],
    [
      'an attribute the operator does not have',
      oneGemm([transB, int('axis', 1)]),
      /node "Gemm_y" \(Gemm\) is invalid: Gemm has no attribute "axis"$/,
    ],
    [
      'a Relu with 2 inputs',
      graph(2, relu(['h', 'b']), [w, b], { outputWidth: 2 }),
      /^fromOnnx: node "Relu_y" \(Relu\) is invalid: it has 2 inputs, but Relu takes 1$/,
    ],
    [
      'a Gemm with 4 inputs',
      graph(2, [node('Gemm', ['x', 'w', 'b', 'b'], 'y', [transB])], [w, b], { outputWidth: 2 }),
      /node "Gemm_y" \(Gemm\) is invalid: it has 4 inputs, but Gemm takes 2 or 3$/,
    ],
    [
      'a Gemm without C before opset 11',
      graph(2, [node('Gemm', ['x', 'w'], 'y', [transB])], [w], { opset: 9, outputWidth: 2 }),
      /node "Gemm_y" \(Gemm\) is invalid: it has 2 inputs, but Gemm takes 3 in opset 9$/,
    ],
    [
      'a MatMul with 3 inputs',
      graph(2, [node('MatMul', ['x', 'w', 'b'], 'y')], [w, b], { outputWidth: 2 }),
      /node "MatMul_y" \(MatMul\) is invalid: it has 3 inputs, but MatMul takes 2$/,
    ],
    [
      'an opset mg does not know',
      oneGemm([transB], 99),
      /^fromOnnx: the model imports the default ONNX opset version 99, newer than any mg knows \(7 to 26\)$/,
    ],
  ];

  it.each(cases)('refuses %s, naming the node and what is wrong', async (_, bytes, message) => {
    expect(() => fromOnnx(bytes)).toThrow(message);
    expect(await ortLoads(bytes)).toBe(false);
  });

  it('refuses two imports of the default opset', async () => {
    const model = oneGemm([transB]);
    const second = new Writer().message(8, new Writer().string(1, 'ai.onnx').int(2, 5)).finish();
    const bytes = new Uint8Array([...model, ...second]);

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: the model imports the default ONNX opset 2 times (versions 17, 5); a model imports each domain once',
    );
    expect(await ortLoads(bytes)).toBe(false);
  });

  it('still reads the valid versions of these models (the same checks pass them)', async () => {
    const valid = [oneGemm([transB, int('transA', 0)], 26), oneGemm([transB], 7)];

    for (const bytes of valid) {
      expect(await ortLoads(bytes)).toBe(true);
      expect(fromOnnx(bytes).layers).toHaveLength(1);
    }
  });
});

describe('a node read by a wide fan-out', () => {
  // Each node is just { input: "x" }, 5 bytes: a hostile file can hold a huge fan-out cheaply.
  function fanOut(n: number): Uint8Array {
    const g = new Writer();
    const one = new Writer().string(1, 'x');
    for (let i = 0; i < n; i++) g.message(1, one);
    g.message(11, new Writer().string(1, 'x').message(2, new Writer().message(1, new Writer().int(1, 11))));
    g.message(12, new Writer().string(1, 'y'));
    return new Writer().message(7, g).message(8, new Writer().int(2, 17)).finish();
  }

  it('names three of its nodes and counts them, in a short message', () => {
    let message = '';
    try {
      fromOnnx(fanOut(2000));
    } catch (e) {
      message = (e as Error).message;
    }

    expect(message).toMatch(
      /^fromOnnx: "x" feeds 2000 nodes \(\(unnamed, no op_type\), \(unnamed, no op_type\), \(unnamed, no op_type\), … 2000 in all\); mg imports/,
    );
    expect(message.length).toBeLessThan(300);
  });

  it('reads 200,000 nodes in linear time (copying the list per node took minutes)', () => {
    expect(() => fromOnnx(fanOut(200_000))).toThrow(/"x" feeds 200000 nodes \(.*… 200000 in all\)/);
  });

  it('counts the graph inputs it refuses instead of listing them all', () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => ({ name: `x${i}`, elemType: 11 }));
    const bytes = encodeModel({
      irVersion: 8,
      opsets: [{ domain: '', version: 17 }],
      producerName: '',
      producerVersion: '',
      docString: '',
      graph: {
        name: 'g',
        docString: '',
        nodes: [node('Relu', ['x0'], 'y')],
        initializers: [],
        inputs,
        outputs: [{ name: 'y', elemType: 11 }],
      },
    });

    expect(() => fromOnnx(bytes)).toThrow(
      /^fromOnnx: the graph must have one input, got 1000 \("x0", "x1", "x2", … 1000 in all\)$/,
    );
  });
});

describe('bytes from another realm', () => {
  const model = new MLP(2, [3, 1], { seed: 1 });
  const bytes = toOnnx(model);
  const context = vm.createContext({ bytes: Array.from(bytes) });

  it.each([
    ['a Uint8Array', 'Uint8Array.from(bytes)'],
    ['an ArrayBuffer', 'Uint8Array.from(bytes).buffer'],
    ['a Uint8Array on part of an ArrayBuffer', 'new Uint8Array([9, 9, ...bytes]).subarray(2)'],
  ])('reads %s made in a node:vm context (as from an iframe)', (_, code) => {
    const foreign: unknown = vm.runInContext(code, context);
    expect(foreign instanceof Uint8Array || foreign instanceof ArrayBuffer).toBe(false);

    const copy = fromOnnx(foreign as Uint8Array);

    expect(copy.forward([1, 2])[0]!.data).toBe(model.forward([1, 2])[0]!.data);
  });

  it.each([
    ['an Int8Array', new Int8Array(bytes)],
    ['a DataView', new DataView(bytes.buffer)],
    ['an object posing as a Uint8Array', { [Symbol.toStringTag]: 'Uint8Array', length: 3 }],
  ])('still refuses %s, with the right article', (what, value) => {
    expect(() => fromOnnx(value as unknown as Uint8Array)).toThrow(
      what.startsWith('an object')
        ? 'fromOnnx: bytes must be a Uint8Array or ArrayBuffer, got an object'
        : `fromOnnx: bytes must be a Uint8Array or ArrayBuffer, got ${what}`,
    );
  });
});

describe('toOnnx given something else than an MLP', () => {
  const model = new MLP(2, [3, 1], { seed: 1 });

  it.each([
    ['its JSON, parsed', () => JSON.parse(JSON.stringify(model)) as unknown],
    ['its toJSON()', () => model.toJSON()],
    ['{ layers: [1], nin: 2 }', () => ({ layers: [1], nin: 2 })],
    ['{ layers: [null], nin: 2 }', () => ({ layers: [null], nin: 2 })],
  ])('refuses %s, saying to load it first', (_, make) => {
    expect(() => toOnnx(make() as MLP)).toThrow(TypeError);
    expect(() => toOnnx(make() as MLP)).toThrow(
      'toOnnx: model must be an MLP from @mg/nn, got an object that looks like a model saved as JSON: load it first with MLP.fromJSON(json), then export that',
    );
  });

  it('refuses the JSON string of a model, and a Layer', () => {
    expect(() => toOnnx(JSON.stringify(model) as unknown as MLP)).toThrow(
      /^toOnnx: model must be an MLP from @mg\/nn, got "\{.*…" \(the JSON of a saved model: load it first with MLP\.fromJSON\(json\), then export that\)$/,
    );
    expect(() => toOnnx(new Layer(2, 3, { seed: 1 }) as unknown as MLP)).toThrow(
      'toOnnx: model must be an MLP from @mg/nn, got a Layer',
    );
  });

  it('refuses an MLP whose layers were changed so that they no longer chain', () => {
    const longer = new MLP(2, [3, 1], { seed: 1 });
    longer.layers.push(new Layer(5, 1, { seed: 2 }));
    const spoilt = new MLP(2, [3, 1], { seed: 1 });
    (spoilt.layers as unknown[])[1] = { neurons: [] };

    expect(() => toOnnx(longer)).toThrow(
      'toOnnx: model.layers[2].neurons[0] takes 5 inputs, but model.layers[1] gives 1',
    );
    expect(() => toOnnx(spoilt)).toThrow(
      'toOnnx: model.layers[1] must be a Layer from @mg/nn, got an object',
    );
  });

  it('refuses options given as an array', () => {
    expect(() => toOnnx(model, [] as object)).toThrow('toOnnx: options must be an object, got an array of 0');
  });
});

describe('protobuf merging', () => {
  it('reads two concatenated ModelProtos as the one model they merge into, as ONNX Runtime does', async () => {
    // The first holds the nodes, inputs, outputs and opset; the second only the weights.
    const nodes = graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [], { outputWidth: 2 });
    const weights = new Writer().message(7, graphOf([w, b])).finish();
    const bytes = new Uint8Array([...nodes, ...weights]);
    const rows = seededInputs(20, 2, 9);

    const model = fromOnnx(bytes);

    expectClose(mgRun(model, rows), await runOrt(bytes, rows));
    expect(model.layers[0]!.neurons[1]!.w.map((v) => v.data)).toEqual([3, 4]);
  });
});

/** A GraphProto holding only these initializers. */
function graphOf(initializers: Tensor[]): Writer {
  const model = encodeModel({
    irVersion: 8,
    opsets: [],
    producerName: '',
    producerVersion: '',
    docString: '',
    graph: { name: 'g', docString: '', nodes: [], initializers, inputs: [], outputs: [] },
  });
  const graphField = readFields(model, model).find((f) => f.field === 7)!;
  const g = new Writer();
  for (const f of readFields(graphField.bytes, model)) if (f.field === 5) g.bytes(5, f.bytes);
  return g;
}
