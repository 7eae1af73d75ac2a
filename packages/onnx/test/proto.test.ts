import { describe, expect, it } from 'vitest';
import { fromOnnx } from '../src/index.js';
import { FLOAT } from '../src/proto.js';
import { readFields, Writer } from '../src/wire.js';
import { gemmLayer, graph, tensor } from './graphs.js';
import { runOrt } from './models.js';

/** `model` with one more initializer, given as a hand-written TensorProto, in its graph (field 7). */
function withInitializer(model: Uint8Array, initializer: Writer): Uint8Array {
  const graphField = readFields(model, model).find((f) => f.field === 7)!.bytes;
  const extended = new Uint8Array([...graphField, ...new Writer().message(5, initializer).finish()]);
  const rest = model.subarray(
    0,
    graphField.byteOffset - model.byteOffset - lengthPrefix(graphField.length) - 1,
  );
  const tail = model.subarray(graphField.byteOffset - model.byteOffset + graphField.length);
  return new Uint8Array([...rest, ...new Writer().bytes(7, extended).finish(), ...tail]);
}

function lengthPrefix(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
}

/**
 * A one-layer float model (Gemm, transB=1) whose weight tensor is written by hand: dims as
 * separate varints (unpacked) and the values in float_data, packed or as one fixed32 field per
 * value, both of which protobuf readers must accept.
 */
function floatDataModel(packed: boolean): Uint8Array {
  const values = [0.5, -1.25, 2, 0.125, -0.75, 3];
  const weight = new Writer().int(1, 2).int(1, 3).int(2, FLOAT).string(8, 'w');
  if (packed) {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => {
      view.setFloat32(i * 4, v, true);
    });
    weight.bytes(4, bytes);
  } else {
    for (const v of values) weight.float(4, v);
  }
  const model = graph(3, gemmLayer, [tensor('b', [2], [0.25, -0.5], FLOAT)], {
    inputType: FLOAT,
    outputWidth: 2,
  });
  return withInitializer(model, weight);
}

describe('reading tensors', () => {
  it.each([true, false])(
    'reads float_data (packed: %s) and unpacked dims, as ONNX Runtime does',
    async (packed) => {
      const bytes = floatDataModel(packed);
      const x = [
        [1, 2, 3],
        [-0.5, 0.25, 4],
      ];

      const model = fromOnnx(bytes);

      expect(model.layers[0]!.neurons.map((n) => n.w.map((w) => w.data))).toEqual([
        [0.5, -1.25, 2],
        [0.125, -0.75, 3],
      ]);
      expect(x.map((row) => model.forward(row).map((v) => v.data))).toEqual(
        await runOrt(bytes, x, 'float32'),
      );
    },
  );
});
