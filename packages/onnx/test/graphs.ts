// Hand-written ONNX graphs, for the tests of what the importer makes of models mg never writes.
import { DOUBLE, encodeModel, type Node, type Tensor } from '../src/proto.js';

/**
 * A model with a hand-written graph: input x [N, nin] and output y, both double unless `inputType`
 * (or `outputType`, for the output alone) says; IR version 8 and opset 17 unless given.
 */
export function graph(
  nin: number,
  nodes: Node[],
  initializers: Tensor[],
  options: {
    opset?: number;
    irVersion?: number;
    inputType?: number;
    outputType?: number;
    outputWidth?: number;
  } = {},
): Uint8Array {
  return encodeModel({
    irVersion: options.irVersion ?? 8,
    opsets: [{ domain: '', version: options.opset ?? 17 }],
    producerName: 'test',
    producerVersion: '0',
    docString: '',
    graph: {
      name: 'g',
      docString: '',
      nodes,
      initializers,
      inputs: [{ name: 'x', elemType: options.inputType ?? DOUBLE, shape: ['N', nin] }],
      outputs: [
        {
          name: 'y',
          elemType: options.outputType ?? options.inputType ?? DOUBLE,
          shape: ['N', options.outputWidth],
        },
      ],
    },
  });
}

/** A node named after its operator and output, e.g. `Gemm_y`. */
export const node = (
  opType: string,
  input: string[],
  output: string,
  attributes: Node['attributes'] = [],
): Node => ({ name: `${opType}_${output}`, opType, domain: '', input, output: [output], attributes });

export const tensor = (name: string, dims: number[], values: number[], dataType = DOUBLE): Tensor => ({
  name,
  dataType,
  dims,
  values: Float64Array.from(values),
});

export const transB = { name: 'transB', type: 2, value: 1 };

/** One Gemm layer, y = x·wᵀ + b: the graph most of the import tests spoil one weight of. */
export const gemmLayer = [node('Gemm', ['x', 'w', 'b'], 'y', [transB])];
