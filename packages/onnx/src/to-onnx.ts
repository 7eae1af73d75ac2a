import type { Activation, MLP } from '@mg/nn';
import { version } from '../package.json';
import { DOUBLE, encodeModel, FLOAT, type Node, type Tensor } from './proto.js';
import { describeModel, IR_VERSION, OPSET, show } from './format.js';

/** The element type of an exported model's weights, input and output. */
export type OnnxDType = 'float64' | 'float32';

/** Options for {@link toOnnx}. */
export interface ToOnnxOptions {
  /**
   * `'float64'` (default) keeps every weight exactly and computes as mg does; `'float32'` rounds
   * the weights to the nearest float32, for runtimes and accelerators without double support.
   */
  dtype?: OnnxDType;
}

/** ONNX's operator for each activation; `'linear'` adds no node. */
const OPS: Record<Activation, string | undefined> = {
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  linear: undefined,
};

/**
 * An `MLP` (of `@mg/nn`) as an ONNX model: input `x` of shape `[N, nin]`, output `y` of shape
 * `[N, nout]` (N is a dynamic batch size), one `Gemm` per layer (`x·Wᵀ + b`, `W` stored as
 * `[nout, nin]` like PyTorch's `Linear`) followed by the layer's `Relu`, `Tanh` or `Sigmoid`
 * (none for a linear layer). Weights are initializers named `layers.<i>.weight` and
 * `layers.<i>.bias`, nodes `/layers.<i>/Gemm` and so on (PyTorch's naming). Opset 17, IR
 * version 8 (ONNX 1.12), which ONNX Runtime supports since its 1.12, in Node and in browsers.
 *
 * @param model - the model to export; it is only read
 * @param options - the element type (default float64)
 * @returns the `.onnx` file's bytes (a serialized ModelProto)
 * @throws TypeError when `model` is not an MLP or an option is unknown or invalid; RangeError when a
 * weight does not fit in a float32 and `dtype` is `'float32'`
 *
 * @example
 * ```ts
 * import { MLP } from '@mg/nn';
 * import { toOnnx } from '@mg/onnx';
 *
 * const bytes = toOnnx(new MLP(2, [16, 16, 1], { seed: 1337 }));
 * // write it with fs.writeFileSync('model.onnx', bytes) or offer it as a download
 * ```
 */
export function toOnnx(model: MLP, options: ToOnnxOptions = {}): Uint8Array {
  checkModel(model);
  const dtype = checkOptions(options);
  const elemType = dtype === 'float64' ? DOUBLE : FLOAT;
  const nodes: Node[] = [];
  const initializers: Tensor[] = [];
  let current = 'x';
  model.layers.forEach((layer, i) => {
    const prefix = `layers.${i}`;
    const last = i === model.layers.length - 1;
    const op = OPS[layer.activation];
    const weights = new Float64Array(layer.nout * layer.nin);
    const biases = new Float64Array(layer.nout);
    layer.neurons.forEach((n, j) => {
      n.w.forEach(
        (w, k) => (weights[j * layer.nin + k] = checkWeight(w.data, dtype, `${prefix}.weight[${j}][${k}]`)),
      );
      biases[j] = checkWeight(n.b.data, dtype, `${prefix}.bias[${j}]`);
    });
    initializers.push(
      { name: `${prefix}.weight`, dataType: elemType, dims: [layer.nout, layer.nin], values: weights },
      { name: `${prefix}.bias`, dataType: elemType, dims: [layer.nout], values: biases },
    );
    const gemmOut = last && op === undefined ? 'y' : `/${prefix}/Gemm_output_0`;
    nodes.push({
      name: `/${prefix}/Gemm`,
      opType: 'Gemm',
      domain: '',
      input: [current, `${prefix}.weight`, `${prefix}.bias`],
      output: [gemmOut],
      attributes: [
        { name: 'alpha', type: 1, value: 1 },
        { name: 'beta', type: 1, value: 1 },
        { name: 'transB', type: 2, value: 1 },
      ],
    });
    current = gemmOut;
    if (op !== undefined) {
      const out = last ? 'y' : `/${prefix}/${op}_output_0`;
      nodes.push({
        name: `/${prefix}/${op}`,
        opType: op,
        domain: '',
        input: [current],
        output: [out],
        attributes: [],
      });
      current = out;
    }
  });
  const description = describeModel(
    model.nin,
    model.layers.map((l) => [l.nout, l.activation] as const),
  );
  return encodeModel({
    irVersion: IR_VERSION,
    opsets: [{ domain: '', version: OPSET }],
    producerName: '@mg/onnx',
    producerVersion: version,
    docString: `${description}, exported from mg (a TypeScript micrograd) in ${dtype}. Each layer is Gemm (x·Wᵀ + b) then its activation.`,
    graph: {
      name: 'mg_mlp',
      docString: description,
      nodes,
      initializers,
      inputs: [{ name: 'x', elemType, shape: ['N', model.nin] }],
      outputs: [{ name: 'y', elemType, shape: ['N', model.nout] }],
    },
  });
}

function checkModel(model: unknown): asserts model is MLP {
  const layers = (model as { layers?: unknown } | null)?.layers;
  if (
    typeof model !== 'object' ||
    model === null ||
    !Array.isArray(layers) ||
    layers.length === 0 ||
    typeof (model as { nin?: unknown }).nin !== 'number'
  ) {
    throw new TypeError(`toOnnx: model must be an MLP from @mg/nn, got ${show(model)}`);
  }
}

function checkOptions(options: unknown): OnnxDType {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`toOnnx: options must be an object, got ${show(options)}`);
  for (const key of Object.keys(options)) {
    if (key !== 'dtype')
      throw new TypeError(`toOnnx: unknown option ${JSON.stringify(key)} (the only option is dtype)`);
  }
  const dtype = (options as { dtype?: unknown }).dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw new TypeError(`toOnnx: options.dtype must be 'float64' or 'float32', got ${show(dtype)}`);
  }
  return dtype;
}

// mg's Values are always finite (Value.data refuses anything else), but a float32 may not hold them.
function checkWeight(x: number, dtype: OnnxDType, where: string): number {
  if (dtype === 'float32' && !Number.isFinite(Math.fround(x))) {
    throw new RangeError(`toOnnx: ${where} is ${x}, too large for float32 (use dtype 'float64')`);
  }
  return x;
}
