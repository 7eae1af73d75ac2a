import { MLP } from '@mg/nn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../src/index.js';
import { DOUBLE, FLOAT } from '../src/proto.js';
import { gemmLayer, graph, node, tensor, transB } from './graphs.js';
import { runOrt, seededInputs } from './models.js';

describe('fromOnnx', () => {
  it.each([
    ['a string', 'model.onnx', /bytes must be a Uint8Array or ArrayBuffer, got "model.onnx"/],
    ['a number', 42, /got 42/],
    ['an array', [8, 1], /got an array of 2/],
    ['undefined', undefined, /got undefined/],
  ])('throws a TypeError quoting the argument when given %s', (_, bytes, message) => {
    expect(() => fromOnnx(bytes as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => fromOnnx(bytes as unknown as Uint8Array)).toThrow(message);
  });

  it('throws when the bytes are empty', () => {
    expect(() => fromOnnx(new Uint8Array(0))).toThrow('fromOnnx: bytes is empty');
  });

  it('says the bytes are not an ONNX model, and where they break, for a truncated file', () => {
    const bytes = toOnnx(new MLP(2, [3, 1], { seed: 1 }));

    expect(() => fromOnnx(bytes.subarray(0, bytes.length - 7))).toThrow(
      /^fromOnnx: not an ONNX model \(field \d+ of \d+ bytes at byte \d+ runs past the end \(\d+ left\)\)$/,
    );
  });

  it.each([
    ['text', new TextEncoder().encode('{"format":"mg.mlp"}'), /fromOnnx: not an ONNX model \(/],
    [
      'a PNG header',
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      /fromOnnx: not an ONNX model \(/,
    ],
    [
      'an overlong varint',
      Uint8Array.from([0x08, ...Array<number>(11).fill(0xff)]),
      /varint longer than 10 bytes at byte 11/,
    ],
    [
      'a protobuf message without a graph',
      Uint8Array.from([0x08, 0x07]),
      /hold no ONNX graph \(read 2 bytes; is this an \.onnx file\?\)/,
    ],
  ])('rejects %s', (_, bytes, message) => {
    expect(() => fromOnnx(bytes)).toThrow(message);
  });

  it('names the first unsupported node and its operator', () => {
    const bytes = graph(
      2,
      [node('Gemm', ['x', 'w', 'b'], 'h', [transB]), node('Softmax', ['h'], 'y')],
      [tensor('w', [1, 2], [1, 2]), tensor('b', [1], [0])],
    );

    expect(() => fromOnnx(bytes)).toThrow(
      /^fromOnnx: cannot import node "Softmax_y" \(Softmax\): Softmax is not a layer mg has\. mg imports a chain of Gemm or MatMul\(\+Add\) layers/,
    );
  });

  it('throws a RangeError quoting both sizes when layer shapes do not chain', () => {
    const bytes = graph(
      2,
      [node('Gemm', ['x', 'w0', 'b0'], 'h', [transB]), node('Gemm', ['h', 'w1', 'b1'], 'y', [transB])],
      [
        tensor('w0', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
        tensor('b0', [4], [0, 0, 0, 0]),
        tensor('w1', [1, 5], [1, 1, 1, 1, 1]),
        tensor('b1', [1], [0]),
      ],
    );

    expect(() => fromOnnx(bytes)).toThrow(RangeError);
    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: "w1" (node "Gemm_y" (Gemm)) takes 5 inputs, but the previous layer gives 4',
    );
  });

  it('checks the first layer against the declared input width', () => {
    const bytes = graph(3, gemmLayer, [tensor('w', [1, 2], [1, 2]), tensor('b', [1], [0])]);

    expect(() => fromOnnx(bytes)).toThrow('takes 2 inputs, but the previous layer gives 3');
  });

  it('quotes a bias whose size is not the layer size', () => {
    const bytes = graph(2, gemmLayer, [tensor('w', [2, 2], [1, 2, 3, 4]), tensor('b', [3], [0, 0, 0])]);

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: bias "b" (node "Gemm_y" (Gemm)) has shape [3], expected [2] for a layer of 2 neurons',
    );
  });

  it('names the data type of weights that are not FLOAT or DOUBLE', () => {
    const bytes = graph(2, gemmLayer, [{ name: 'w', dataType: 7, dims: [1, 2] }, tensor('b', [1], [0])]);

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: weight "w" has data type INT64 (7); mg imports FLOAT and DOUBLE weights',
    );
  });

  it('refuses weights of another type than the input, and inputs that are not FLOAT or DOUBLE', () => {
    const mixed = graph(2, gemmLayer, [tensor('w', [1, 2], [1, 2], FLOAT), tensor('b', [1], [0])]);
    const integers = graph(2, gemmLayer, [tensor('w', [1, 2], [1, 2]), tensor('b', [1], [0])], {
      inputType: 7,
    });

    expect(() => fromOnnx(mixed)).toThrow(
      'fromOnnx: weight "w" is FLOAT (1) but input "x" is DOUBLE (11); these layers compute in one type',
    );
    expect(() => fromOnnx(integers)).toThrow('fromOnnx: input "x" must be FLOAT or DOUBLE, got INT64 (7)');
  });

  it('refuses weights kept in an external file', () => {
    const bytes = graph(2, gemmLayer, [
      { name: 'w', dataType: DOUBLE, dims: [1, 2], external: true },
      tensor('b', [1], [0]),
    ]);

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: weight "w" is stored in an external file, which fromOnnx cannot read; save the model with its weights inside',
    );
  });

  it('checks the last layer against the declared output width', () => {
    const bytes = graph(2, gemmLayer, [tensor('w', [1, 2], [1, 2]), tensor('b', [1], [0])], {
      outputWidth: 3,
    });

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: output "y" is declared with 3 columns, but the last layer has 1 neurons',
    );
  });

  it('quotes a weight that is not finite and where it is', () => {
    const bytes = graph(2, gemmLayer, [tensor('w', [1, 2], [1, Number.NaN]), tensor('b', [1], [0])]);

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: weight "w" holds NaN at index 1; mg models have finite weights',
    );
  });

  it('rejects a Gemm that scales its product, naming the attribute and its value', () => {
    const bytes = graph(
      2,
      [node('Gemm', ['x', 'w', 'b'], 'y', [transB, { name: 'alpha', type: 1, value: 2 }])],
      [tensor('w', [1, 2], [1, 2]), tensor('b', [1], [0])],
    );

    expect(() => fromOnnx(bytes)).toThrow(
      /cannot import node "Gemm_y" \(Gemm\): alpha is 2; mg layers compute x·Wᵀ \+ b \(alpha 1\)/,
    );
  });

  it('rejects a graph that branches, naming the nodes', () => {
    const bytes = graph(2, [node('Relu', ['x'], 'a'), node('Tanh', ['x'], 'y')], []);

    expect(() => fromOnnx(bytes)).toThrow(/"x" feeds 2 nodes \("Relu_a" \(Relu\), "Tanh_y" \(Tanh\)\)/);
  });

  it('rejects a graph that loops instead of running forever', () => {
    const bytes = graph(2, [node('Identity', ['x'], 'a'), node('Identity', ['a'], 'x')], []);

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: the graph loops back to node "Identity_a" (Identity); an ONNX graph must be acyclic',
    );
  });

  it('rejects an activation before any layer', () => {
    const bytes = graph(
      2,
      [node('Relu', ['x'], 'h'), node('Gemm', ['h', 'w', 'b'], 'y', [transB])],
      [tensor('w', [1, 2], [1, 2]), tensor('b', [1], [0])],
    );

    expect(() => fromOnnx(bytes)).toThrow(/node "Relu_h" \(Relu\): it comes before any Gemm or MatMul layer/);
  });

  it('rejects a weight computed by another node instead of stored', () => {
    const bytes = graph(2, [node('Constant', [], 'w'), node('MatMul', ['x', 'w'], 'y')], []);

    expect(() => fromOnnx(bytes)).toThrow(
      /node "MatMul_y" \(MatMul\): its input "w" is not a stored weight \(an initializer\)/,
    );
  });

  it('rejects opsets before 7, whose Gemm differs', () => {
    const bytes = graph(2, gemmLayer, [tensor('w', [1, 2], [1, 2]), tensor('b', [1], [0])], { opset: 6 });

    expect(() => fromOnnx(bytes)).toThrow(
      'fromOnnx: the model must import the default ONNX opset, version 7 or later, got 6',
    );
  });

  it('reads MatMul + Add (either operand order), Gemm without transB, Identity and Flatten, as ONNX Runtime computes them', async () => {
    const w0 = [0.5, -1, 0.25, 2, -0.75, 1.5]; // [2, 3]: x·W with W as [nin, nout]
    const bytes = graph(
      2,
      [
        node('Flatten', ['x'], 'f', [{ name: 'axis', type: 2, value: 1 }]),
        node('MatMul', ['f', 'w0'], 'm'),
        node('Add', ['b0', 'm'], 'a'),
        node('Tanh', ['a'], 't'),
        node('Identity', ['t'], 'i'),
        node('Gemm', ['i', 'w1', 'b1'], 'g'),
        node('Sigmoid', ['g'], 'y'),
      ],
      [
        tensor('w0', [2, 3], w0),
        tensor('b0', [3], [0.1, -0.2, 0.3]),
        tensor('w1', [3, 1], [1, -2, 0.5]),
        tensor('b1', [1, 1], [0.05]),
      ],
    );
    const x = seededInputs(50, 2, 4);

    const model = fromOnnx(bytes);

    expect(model.layers.map((l) => [l.nin, l.nout, l.activation])).toEqual([
      [2, 3, 'tanh'],
      [3, 1, 'sigmoid'],
    ]);
    expect(model.layers[0]!.neurons[1]!.w.map((w) => w.data)).toEqual([-1, -0.75]);
    const want = await runOrt(bytes, x);
    const got = x.map((row) => model.forward(row).map((v) => v.data));
    got.forEach((row, i) => {
      expect(row[0]).toBeCloseTo(want[i]![0]!, 14);
    });
  });
});

describe('toOnnx', () => {
  const model = new MLP(2, [3, 1], { seed: 1 });

  it('throws a TypeError quoting what it got instead of an MLP', () => {
    expect(() => toOnnx({} as unknown as MLP)).toThrow(
      'toOnnx: model must be an MLP from @mg/nn, got an object',
    );
    expect(() => toOnnx('model' as unknown as MLP)).toThrow(
      'toOnnx: model must be an MLP from @mg/nn, got "model"',
    );
  });

  it('quotes a bad dtype and an unknown option', () => {
    expect(() => toOnnx(model, { dtype: 'float16' as 'float32' })).toThrow(
      `toOnnx: options.dtype must be 'float64' or 'float32', got "float16"`,
    );
    expect(() => toOnnx(model, { dtyp: 'float32' } as object)).toThrow(
      'toOnnx: unknown option "dtyp" (the only option is dtype)',
    );
  });

  it('refuses weights too large for float32 when asked for float32, naming the weight', () => {
    const large = new MLP(2, [1], { seed: 1 });
    large.layers[0]!.neurons[0]!.b.data = 1e39;

    expect(() => toOnnx(large, { dtype: 'float32' })).toThrow(RangeError);
    expect(() => toOnnx(large, { dtype: 'float32' })).toThrow(
      "toOnnx: layers.0.bias[0] is 1e+39, too large for float32 (use dtype 'float64')",
    );
    expect(toOnnx(large).length).toBeGreaterThan(0);
  });
});

describe('fromOnnx on damaged files', () => {
  it('returns a model or throws a TypeError or RangeError, whatever bytes are changed, cut or added', () => {
    const valid = toOnnx(new MLP(3, [4, 2], { seed: 2, activations: ['tanh', 'sigmoid'] }));
    const damage = fc.oneof(
      fc
        .array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 255 })), {
          minLength: 1,
          maxLength: 8,
        })
        .map((edits) => {
          const bytes = valid.slice();
          for (const [at, value] of edits) bytes[at] = value;
          return bytes;
        }),
      fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((tail) => Uint8Array.from([...valid, ...tail])),
    );

    fc.assert(
      fc.property(damage, (bytes) => {
        try {
          fromOnnx(bytes);
        } catch (error) {
          expect([TypeError, RangeError]).toContain((error as Error).constructor);
          expect((error as Error).message).toMatch(/^fromOnnx: /);
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
