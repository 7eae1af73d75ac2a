import { Layer, MLP, type Activation } from '@mg/nn';
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
 * @throws TypeError when `model` is not an MLP of `@mg/nn` (a model saved as JSON must be loaded
 * with `MLP.fromJSON` first) or an option is unknown or invalid; RangeError when its layers no
 * longer chain (after changing `model.layers`) or when a weight does not fit in a float32 and
 * `dtype` is `'float32'`
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

/**
 * Only a real `MLP` of the `@mg/nn` this package imports (its class, not its shape: saved JSON has
 * the same `nin` and `layers`), whose layers still chain (they are a mutable array).
 */
function checkModel(model: unknown): asserts model is MLP {
  if (!(model instanceof MLP))
    throw new TypeError(`toOnnx: model must be an MLP from @mg/nn, got ${show(model)}${hint(model)}`);
  let nin: number | undefined;
  const layers: unknown[] = model.layers;
  if (layers.length === 0)
    throw new TypeError('toOnnx: model.layers is empty; an MLP has at least one layer');
  layers.forEach((layer, i) => {
    if (!(layer instanceof Layer))
      throw new TypeError(`toOnnx: model.layers[${i}] must be a Layer from @mg/nn, got ${show(layer)}`);
    const [first] = layer.neurons;
    if (first === undefined) throw new TypeError(`toOnnx: model.layers[${i}] has no neurons`);
    layer.neurons.forEach((n, j) => {
      if (n.w.length !== (nin ?? first.w.length))
        throw new RangeError(
          `toOnnx: model.layers[${i}].neurons[${j}] takes ${n.w.length} inputs, but ${i === 0 ? `neuron 0 takes ${first.w.length}` : `model.layers[${i - 1}] gives ${nin}`}`,
        );
      if (n.activation !== first.activation)
        throw new TypeError(
          `toOnnx: model.layers[${i}].neurons[${j}] is ${n.activation} but neuron 0 is ${first.activation}; ONNX layers have one activation`,
        );
    });
    nin = layer.nout;
  });
}

/** Why a value that is not an MLP was passed, when it can be guessed. */
function hint(model: unknown): string {
  const saved = (json: unknown): boolean => {
    const o = json as { format?: unknown; layers?: unknown } | null;
    return typeof o === 'object' && o !== null && (o.format === 'mg.mlp' || Array.isArray(o.layers));
  };
  if (typeof model === 'string' && model.includes('"mg.mlp"'))
    return ' (the JSON of a saved model: load it first with MLP.fromJSON(json), then export that)';
  const name = (model as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  if (name === 'MLP')
    return ' of another copy of @mg/nn (an MLP is exported by the @mg/onnx that imports the same @mg/nn)';
  if (saved(model))
    return ' that looks like a model saved as JSON: load it first with MLP.fromJSON(json), then export that';
  return '';
}

function checkOptions(options: unknown): OnnxDType {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
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
