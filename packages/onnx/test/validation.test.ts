// What fromOnnx and toOnnx make of models that are invalid, unusual or not models at all: each
// case is checked against ONNX Runtime (what it computes, or that it refuses the model too).
import vm from 'node:vm';
import { Layer, MLP } from '@mg/nn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../src/index.js';
import { DOUBLE, encodeModel, type Attribute, type Node, type Tensor } from '../src/proto.js';
import { readFields, readInt, Writer } from '../src/wire.js';
import { graph, node, tensor, transB } from './graphs.js';
import { runOrt, seededInputs } from './models.js';

const int = (name: string, value: number): Attribute => ({ name, type: 2, value });
const w = tensor('w', [2, 2], [1, 2, 3, 4]);
const b = tensor('b', [2], [0.5, -0.5]);
const oneGemm = (attributes: Attribute[], opset = 17): Uint8Array =>
  graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', attributes)], [w, b], { opset, outputWidth: 2 });

/** A TypeProto.Tensor of DOUBLE without a shape. */
const doubles = new Writer().message(1, new Writer().int(1, DOUBLE));

/** `oneGemm`'s model with this hand-written ValueInfoProto as its graph output. */
function withOutput(output: Writer): Uint8Array {
  const model = graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [w, b]);
  const graphField = readFields(model, model).find((f) => f.field === 7)!;
  const g = new Writer();
  for (const f of readFields(graphField.bytes, model)) if (f.field !== 12) g.bytes(f.field, f.bytes);
  // Only LEN fields (nodes, names, initializers, inputs) are in this graph, so bytes() rewrites them all.
  g.message(12, output);
  return new Writer().int(1, 8).message(7, g).message(8, new Writer().int(2, 17)).finish();
}

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

/** Whether ONNX Runtime runs the model on one row (some shapes it checks only when it runs). */
async function ortRuns(bytes: Uint8Array): Promise<boolean> {
  try {
    await runOrt(bytes, [[1, 2]]);
    return true;
  } catch {
    return false;
  }
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
      'an INT attribute holding f',
      oneGemm([{ name: 'transB', type: 2, value: 1, holds: ['f'] }]),
      /its attribute "transB" holds f, but Gemm's "transB" is INT \(2\) \(i\)$/,
    ],
    [
      'an attribute without a type',
      oneGemm([{ name: 'transB', type: 0, value: 1, holds: ['i'] }]),
      /^fromOnnx: node "Gemm_y" \(Gemm\) is invalid: its attribute "transB" has no type \(type UNDEFINED \(0\)\); ONNX requires one, here INT \(2\)$/,
    ],
    [
      'an output whose tensor element type is 0',
      graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [w, b], { outputWidth: 2, outputType: 0 }),
      /^fromOnnx: output "y" is a tensor of element type UNDEFINED \(0\), which is no data type; it should be DOUBLE \(11\), as input "x" is$/,
    ],
    [
      'an output that is not a tensor',
      withOutput(new Writer().string(1, 'y').message(2, new Writer().message(4, doubles))),
      /^fromOnnx: output "y" is not a tensor \(a sequence, a map or another kind of value\); these layers output a DOUBLE \(11\) tensor$/,
    ],
    [
      'an IR version newer than ONNX Runtime 1.30 knows',
      graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [w, b], { outputWidth: 2, irVersion: 14 }),
      /^fromOnnx: the model's ir_version is 14, newer than any mg knows \(3 to 13\)$/,
    ],
    [
      'IR version 99',
      graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [w, b], { outputWidth: 2, irVersion: 99 }),
      /^fromOnnx: the model's ir_version is 99, newer than any mg knows \(3 to 13\)$/,
    ],
    [
      'an initializer with negative dims',
      graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [tensor('w', [-1, -2], [1, 2]), b], {
        outputWidth: 2,
      }),
      /^fromOnnx: initializer "w" has dims \[-1, -2\]; a dimension cannot be negative$/,
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

  it('throws a RangeError for an ir_version newer than mg knows and for negative dims, a TypeError for the rest', () => {
    const kinds = cases.map(([what, bytes]) => {
      try {
        fromOnnx(bytes);
      } catch (e) {
        return [what, (e as Error).constructor.name];
      }
      return [what, 'none'];
    });

    expect(kinds.filter(([, kind]) => kind === 'RangeError').map(([what]) => what)).toEqual([
      'an IR version newer than ONNX Runtime 1.30 knows',
      'IR version 99',
      'an initializer with negative dims',
      'an opset mg does not know',
    ]);
    expect(kinds.every(([, kind]) => kind === 'RangeError' || kind === 'TypeError')).toBe(true);
  });

  it.each([0, 2])(
    'refuses ir_version %d, before IR version 3 brought opset imports (the ONNX checker refuses it; ONNX Runtime loads it)',
    (irVersion) => {
      const bytes = graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [w, b], {
        outputWidth: 2,
        irVersion,
      });

      expect(() => fromOnnx(bytes)).toThrow(TypeError);
      expect(() => fromOnnx(bytes)).toThrow(
        `fromOnnx: the model's ir_version is ${irVersion}${irVersion === 0 ? ' (unset)' : ''}; a model that imports opsets, as mg needs, has ir_version 3 or later`,
      );
    },
  );

  it('refuses two initializers of the same name, as the ONNX checker does (ONNX Runtime only warns)', () => {
    const bytes = graph(
      2,
      [node('Gemm', ['x', 'w', 'b'], 'y', [transB])],
      [w, b, tensor('w', [2, 2], [5, 6, 7, 8])],
      {
        outputWidth: 2,
      },
    );

    expect(() => fromOnnx(bytes)).toThrow(TypeError);
    expect(() => fromOnnx(bytes)).toThrow(
      /^fromOnnx: initializer "w" is given twice; each value of an ONNX graph has one name$/,
    );
  });

  it('still reads an output without a type, which ONNX Runtime loads too', async () => {
    const bytes = withOutput(new Writer().string(1, 'y'));
    const rows = seededInputs(20, 2, 4);

    expect(await ortLoads(bytes)).toBe(true);
    expectClose(mgRun(fromOnnx(bytes), rows), await runOrt(bytes, rows));
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
    const valid = [
      oneGemm([transB, int('transA', 0)], 26),
      oneGemm([transB], 7),
      graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [w, b], { outputWidth: 2, irVersion: 3 }),
      graph(2, [node('Gemm', ['x', 'w', 'b'], 'y', [transB])], [w, b], { outputWidth: 2, irVersion: 13 }),
    ];

    for (const bytes of valid) {
      expect(await ortLoads(bytes)).toBe(true);
      expect(fromOnnx(bytes).layers).toHaveLength(1);
    }
  });
});

describe('a bias of one value', () => {
  // ONNX broadcasts Gemm's C (and Add's operands) to [N, nout]: one value is every neuron's bias.
  it.each([{ dims: [1] }, { dims: [] }, { dims: [1, 1] }])(
    'reads a Gemm bias of shape $dims as that value for each neuron, as ONNX Runtime computes it',
    async ({ dims }) => {
      const bytes = graph(2, [node('Gemm', ['x', 'w', 'c'], 'y', [transB])], [w, tensor('c', dims, [0.25])], {
        outputWidth: 2,
      });
      const rows = seededInputs(20, 2, 6);

      const model = fromOnnx(bytes);

      expect(model.layers[0]!.neurons.map((n) => n.b.data)).toEqual([0.25, 0.25]);
      // W = [[1, 2], [3, 4]]: [1, 2] gives 1 + 4 + 0.25 and 3 + 8 + 0.25.
      expect(mgRun(model, [[1, 2]])).toEqual([[5.25, 11.25]]);
      expectClose(mgRun(model, rows), await runOrt(bytes, rows));
    },
  );

  it('reads MatMul + Add with a bias of shape [1], as ONNX Runtime computes it', async () => {
    const bytes = graph(
      2,
      [node('MatMul', ['x', 'w'], 'm'), node('Add', ['m', 'c'], 'y')],
      [w, tensor('c', [1], [-0.5])],
      { outputWidth: 2 },
    );
    const rows = seededInputs(20, 2, 7);

    const model = fromOnnx(bytes);

    expect(model.layers[0]!.neurons.map((n) => n.b.data)).toEqual([-0.5, -0.5]);
    expectClose(mgRun(model, rows), await runOrt(bytes, rows));
  });

  it.each([
    { dims: [3], values: [1, 2, 3] },
    { dims: [2, 1], values: [1, 2] },
  ])('still refuses a bias of shape $dims, which does not broadcast to [N, 2]', async ({ dims, values }) => {
    const bytes = graph(2, [node('Gemm', ['x', 'w', 'c'], 'y', [transB])], [w, tensor('c', dims, values)], {
      outputWidth: 2,
    });

    expect(() => fromOnnx(bytes)).toThrow(RangeError);
    expect(() => fromOnnx(bytes)).toThrow(
      `fromOnnx: bias "c" (node "Gemm_y" (Gemm)) has shape [${dims.join(', ')}], expected [2] for a layer of 2 neurons, or [1] for one bias shared by all`,
    );
    expect(await ortRuns(bytes)).toBe(false);
  });
});

describe('a Transpose of a stored weight (torch.onnx.export with do_constant_folding=False)', () => {
  const perm = (ints: number[]): Attribute => ({ name: 'perm', type: 7, ints });
  // Linear(3, 4, bias=False), ReLU, Linear(4, 2), as PyTorch exports them without constant folding.
  const w0 = tensor('0.weight', [4, 3], [0.5, -1, 0.25, 2, -0.75, 1.5, -2, 0.125, 1, 0.375, -0.5, 3]);
  const w2 = tensor('2.weight', [2, 4], [1, -1, 0.5, -0.5, 0.25, 2, -2, 1]);
  const b2 = tensor('2.bias', [2], [0.1, -0.2]);
  const torchNoFold = (attributes: Attribute[]): Uint8Array =>
    graph(
      3,
      [
        node('Transpose', ['0.weight'], '/0/Transpose_output_0', attributes),
        node('MatMul', ['x', '/0/Transpose_output_0'], '/0/MatMul_output_0'),
        node('Relu', ['/0/MatMul_output_0'], '/1/Relu_output_0'),
        node('Gemm', ['/1/Relu_output_0', '2.weight', '2.bias'], 'y', [transB]),
      ],
      [w0, w2, b2],
      { outputWidth: 2 },
    );

  it.each([
    ['perm [1, 0]', [perm([1, 0])]],
    ['no perm (which reverses the axes)', []],
  ])(
    'reads Transpose (%s) then MatMul as the Linear it is, as ONNX Runtime computes it',
    async (_, attributes) => {
      const bytes = torchNoFold(attributes);
      const rows = seededInputs(30, 3, 8);

      const model = fromOnnx(bytes);

      expect(model.layers.map((l) => [l.nin, l.nout, l.activation])).toEqual([
        [3, 4, 'relu'],
        [4, 2, 'linear'],
      ]);
      // Each neuron's weights are a row of 0.weight, exactly.
      expect(model.layers[0]!.neurons.map((n) => n.w.map((v) => v.data))).toEqual([
        [0.5, -1, 0.25],
        [2, -0.75, 1.5],
        [-2, 0.125, 1],
        [0.375, -0.5, 3],
      ]);
      expect(model.layers[0]!.neurons.map((n) => n.b.data)).toEqual([0, 0, 0, 0]);
      expectClose(mgRun(model, rows), await runOrt(bytes, rows));
    },
  );

  it('reads a Transpose feeding Gemm (transB 0) and one with perm [0, 1], which keeps the matrix', async () => {
    const bytes = graph(
      2,
      [
        node('Transpose', ['w'], 'wt', [perm([1, 0])]),
        node('Gemm', ['x', 'wt', 'b'], 'h'),
        node('Transpose', ['w'], 'same', [perm([0, 1])]),
        node('Gemm', ['h', 'same', 'b'], 'y', [transB]),
      ],
      [w, b],
      { outputWidth: 2 },
    );
    const rows = seededInputs(20, 2, 9);

    const model = fromOnnx(bytes);

    expect(model.layers.map((l) => l.neurons.map((n) => n.w.map((v) => v.data)))).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expectClose(mgRun(model, rows), await runOrt(bytes, rows));
  });

  it('refuses a perm that is not one of a matrix, quoting it', async () => {
    const bytes = torchNoFold([perm([0, 0])]);

    expect(() => fromOnnx(bytes)).toThrow(
      /^fromOnnx: cannot import node "Transpose_\/0\/Transpose_output_0" \(Transpose\): its perm is \[0, 0\]; mg reads a Transpose of a stored weight matrix with perm \[1, 0\] \(or \[0, 1\]\)\. /,
    );
    expect(await ortLoads(bytes)).toBe(false);
  });

  it('still refuses a Transpose of the data, which is no layer', () => {
    const bytes = graph(
      2,
      [node('Transpose', ['x'], 't', [perm([1, 0])]), node('Gemm', ['t', 'w', 'b'], 'y', [transB])],
      [w, b],
      { outputWidth: 2 },
    );

    expect(() => fromOnnx(bytes)).toThrow(
      /^fromOnnx: cannot import node "Transpose_t" \(Transpose\): Transpose is not a layer mg has\./,
    );
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
    return new Writer().int(1, 8).message(7, g).message(8, new Writer().int(2, 17)).finish();
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
