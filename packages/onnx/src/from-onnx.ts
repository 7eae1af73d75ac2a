import { MLP, type Activation, type JSONNumber, type MLPJSON } from '@mg/nn';
import {
  dataTypeName,
  decodeModel,
  DOUBLE,
  FLOAT,
  type Attribute,
  type Graph,
  type Node,
  type Tensor,
} from './proto.js';
import { show } from './format.js';
import { WireError } from './wire.js';
import { at } from './at.js';

const ACTIVATIONS: Record<'Relu' | 'Tanh' | 'Sigmoid', Activation> = {
  Relu: 'relu',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
};

const SUPPORTED =
  'mg imports a chain of Gemm or MatMul(+Add) layers, each followed by at most one Relu, Tanh or Sigmoid (Identity and Flatten are skipped)';

/** An initializer whose values {@link initializer} has read and checked. */
type Weight = Tensor & { values: Float64Array };

/** What the readers of a layer's weights check them against. */
interface Weights {
  /** The initializers, by name. */
  tensors: Map<string, Tensor>;
  /** The graph input's element type, which every weight must share. */
  elemType: number;
  /** The graph input's name, for messages. */
  input: string;
}

/** A layer being read: weights neuron by neuron (`[nout][nin]`), then its bias and activation once seen. */
interface PendingLayer {
  node: string;
  nin: number;
  nout: number;
  w: Float64Array;
  b?: Float64Array;
  activation?: Activation;
}

/**
 * An `MLP` (of `@mg/nn`) from an ONNX model made of fully connected layers: what {@link toOnnx} writes,
 * and what `torch.onnx.export` writes for an `nn.Sequential` of `nn.Linear` and `nn.ReLU`,
 * `nn.Tanh` or `nn.Sigmoid` modules (`Gemm` with `transB=1`, or `MatMul` then `Add`). Weights keep
 * every bit (float32 weights become the doubles they represent).
 *
 * @param bytes - the `.onnx` file's contents
 * @returns a new model with the file's weights; a layer without an activation node is `'linear'`
 * @throws TypeError when `bytes` is not a Uint8Array or ArrayBuffer, is not a well-formed ONNX
 * model, or holds a node outside that family (naming the first such node and why); RangeError when
 * layer shapes do not chain
 *
 * @example
 * ```ts
 * import { MLP } from '@mg/nn';
 * import { fromOnnx, toOnnx } from '@mg/onnx';
 *
 * const model = new MLP(2, [4, 1], { seed: 1 });
 * const copy = fromOnnx(toOnnx(model));
 * String(copy); // 'MLP of [Layer of [ReLUNeuron(2), ...], Layer of [LinearNeuron(4)]]'
 * ```
 */
export function fromOnnx(bytes: Uint8Array | ArrayBuffer): MLP {
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array))
    throw new TypeError(`fromOnnx: bytes must be a Uint8Array or ArrayBuffer, got ${show(bytes)}`);
  if (data.length === 0) throw new TypeError('fromOnnx: bytes is empty');
  let model;
  try {
    model = decodeModel(data);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    throw new TypeError(`fromOnnx: not an ONNX model (${e.message})`, { cause: e });
  }
  const graph = model.graph;
  if (graph === undefined || graph.nodes.length === 0) {
    throw new TypeError(
      `fromOnnx: the bytes hold no ONNX graph (read ${data.length} bytes; is this an .onnx file?)`,
    );
  }
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (opset === undefined || opset.version < 7) {
    throw new TypeError(
      `fromOnnx: the model must import the default ONNX opset, version 7 or later, got ${opset === undefined ? 'none' : opset.version}`,
    );
  }
  return MLP.fromJSON(readLayers(graph));
}

function readLayers(graph: Graph): MLPJSON {
  const tensors = new Map(graph.initializers.map((t) => [t.name, t]));
  const inputs = graph.inputs.filter((i) => !tensors.has(i.name));
  const [input] = inputs;
  const [output] = graph.outputs;
  if (input === undefined || inputs.length !== 1)
    throw new TypeError(
      `fromOnnx: the graph must have one input, got ${inputs.length} (${inputs.map((i) => show(i.name)).join(', ')})`,
    );
  if (output === undefined || graph.outputs.length !== 1)
    throw new TypeError(`fromOnnx: the graph must have one output, got ${graph.outputs.length}`);
  if (input.elemType !== FLOAT && input.elemType !== DOUBLE) {
    throw new TypeError(
      `fromOnnx: input ${show(input.name)} must be FLOAT or DOUBLE, got ${dataTypeName(input.elemType)}`,
    );
  }
  if (output.elemType !== 0 && output.elemType !== input.elemType) {
    throw new TypeError(
      `fromOnnx: output ${show(output.name)} is ${dataTypeName(output.elemType)} but input ${show(input.name)} is ${dataTypeName(input.elemType)}; these layers compute in one type`,
    );
  }
  const weights: Weights = { tensors, elemType: input.elemType, input: input.name };
  if (input.shape !== undefined && input.shape.length !== 2) {
    throw new TypeError(
      `fromOnnx: input ${show(input.name)} must have shape [N, nin], got ${shape(input.shape)}`,
    );
  }
  const declaredNin = input.shape?.[1];

  const consumers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const name of node.input) consumers.set(name, [...(consumers.get(name) ?? []), node]);
  }
  const layers: PendingLayer[] = [];
  const visited = new Set<Node>();
  let current = input.name;
  for (;;) {
    const next = consumers.get(current) ?? [];
    const [node] = next;
    if (node === undefined) break;
    if (next.length > 1) {
      throw new TypeError(
        `fromOnnx: ${show(current)} feeds ${next.length} nodes (${next.map(label).join(', ')}); ${SUPPORTED}`,
      );
    }
    if (visited.has(node))
      throw new TypeError(
        `fromOnnx: the graph loops back to node ${label(node)}; an ONNX graph must be acyclic`,
      );
    visited.add(node);
    if (node.domain !== '' && node.domain !== 'ai.onnx')
      unsupported(node, `its domain ${show(node.domain)} is not the default ONNX domain`);
    if (node.output.length !== 1) unsupported(node, `it has ${node.output.length} outputs`);
    const last = layers[layers.length - 1];
    const nin = last?.nout ?? (typeof declaredNin === 'number' ? declaredNin : undefined);
    switch (node.opType) {
      case 'Gemm':
        layers.push(gemm(node, current, weights, nin));
        break;
      case 'MatMul':
        layers.push(matMul(node, current, weights, nin));
        break;
      case 'Add':
        addBias(node, current, weights, last);
        break;
      case 'Relu':
      case 'Tanh':
      case 'Sigmoid':
        if (last === undefined)
          unsupported(
            node,
            'it comes before any Gemm or MatMul layer, and mg applies activations only to weighted sums',
          );
        if (last.activation !== undefined)
          unsupported(node, `layer ${show(last.node)} already has the activation ${last.activation}`);
        last.activation = ACTIVATIONS[node.opType];
        break;
      case 'Identity':
        break;
      case 'Flatten': {
        const axis = attribute(node, 'axis', 1);
        if (axis !== 1)
          unsupported(node, `Flatten with axis ${axis} changes the shape of an [N, features] tensor`);
        break;
      }
      default:
        unsupported(node, `${node.opType} is not a layer mg has`);
    }
    current = at(node.output, 0);
  }
  const stray = graph.nodes.find((n) => !visited.has(n));
  if (stray !== undefined) unsupported(stray, `it is not on the chain from the input ${show(input.name)}`);
  if (current !== output.name)
    throw new TypeError(
      `fromOnnx: the chain from ${show(input.name)} ends at ${show(current)}, not at the graph output ${show(output.name)}`,
    );
  const last = layers[layers.length - 1];
  if (last === undefined)
    throw new TypeError(`fromOnnx: the graph has no Gemm or MatMul layer; ${SUPPORTED}`);
  const declaredNout = output.shape?.[1];
  if (typeof declaredNout === 'number' && declaredNout !== last.nout) {
    throw new RangeError(
      `fromOnnx: output ${show(output.name)} is declared with ${declaredNout} columns, but the last layer has ${last.nout} neurons`,
    );
  }

  return {
    format: 'mg.mlp',
    version: 1,
    nin: at(layers, 0).nin,
    layers: layers.map((l) => ({
      activation: l.activation ?? 'linear',
      neurons: Array.from({ length: l.nout }, (_, j) => ({
        w: Array.from(l.w.subarray(j * l.nin, (j + 1) * l.nin), json),
        b: json(l.b?.[j] ?? 0),
      })),
    })),
  };
}

function gemm(node: Node, current: string, weights: Weights, nin: number | undefined): PendingLayer {
  const [a, bName, cName] = node.input;
  if (a !== current)
    unsupported(node, `its first input is ${show(a)}, not the previous layer's output ${show(current)}`);
  for (const [name, expected] of [
    ['alpha', 1],
    ['beta', 1],
    ['transA', 0],
  ] as const) {
    const value = attribute(node, name, expected);
    if (value !== expected)
      unsupported(node, `${name} is ${value}; mg layers compute x·Wᵀ + b (${name} ${expected})`);
  }
  const transB = attribute(node, 'transB', 0);
  const b = initializer(node, bName, weights, 2);
  const [rows = 0, cols = 0] = b.dims;
  const layer = linear(
    node,
    transB === 1 ? b.values : transpose(b.values, rows, cols),
    transB === 1 ? cols : rows,
    transB === 1 ? rows : cols,
    nin,
    b.name,
  );
  if (cName !== undefined && cName !== '') layer.b = bias(node, cName, weights, layer.nout);
  return layer;
}

function matMul(node: Node, current: string, weights: Weights, nin: number | undefined): PendingLayer {
  const [a, bName] = node.input;
  if (a !== current)
    unsupported(node, `its first input is ${show(a)}, not the previous layer's output ${show(current)}`);
  const b = initializer(node, bName, weights, 2);
  const [rows = 0, cols = 0] = b.dims;
  return linear(node, transpose(b.values, rows, cols), rows, cols, nin, b.name);
}

function addBias(node: Node, current: string, weights: Weights, last: PendingLayer | undefined): void {
  if (last === undefined || last.b !== undefined || last.activation !== undefined) {
    unsupported(node, 'an Add is read only as the bias of the MatMul right before it');
  }
  const other = node.input.find((name) => name !== current);
  if (node.input.length !== 2 || other === undefined)
    unsupported(node, `it should add a bias to ${show(current)}`);
  last.b = bias(node, other, weights, last.nout);
}

function linear(
  node: Node,
  w: Float64Array,
  nin: number,
  nout: number,
  expected: number | undefined,
  name: string,
): PendingLayer {
  if (expected !== undefined && nin !== expected) {
    throw new RangeError(
      `fromOnnx: ${show(name)} (node ${label(node)}) takes ${nin} inputs, but the previous layer gives ${expected}`,
    );
  }
  return { node: node.name === '' ? node.opType : node.name, nin, nout, w };
}

function bias(node: Node, name: string, weights: Weights, nout: number): Float64Array {
  const t = initializer(node, name, weights, 1);
  if (t.values.length !== nout || (t.dims.length === 2 && t.dims[0] !== 1)) {
    throw new RangeError(
      `fromOnnx: bias ${show(name)} (node ${label(node)}) has shape ${shape(t.dims)}, expected [${nout}] for a layer of ${nout} neurons`,
    );
  }
  return t.values;
}

/** The initializer `name` with finite FLOAT or DOUBLE values, of rank `rank` (a bias may also be [1, n]). */
function initializer(node: Node, name: string | undefined, weights: Weights, rank: 1 | 2): Weight {
  const t = name === undefined ? undefined : weights.tensors.get(name);
  if (t === undefined) unsupported(node, `its input ${show(name)} is not a stored weight (an initializer)`);
  if (t.external === true)
    throw new TypeError(
      `fromOnnx: weight ${show(t.name)} is stored in an external file, which fromOnnx cannot read; save the model with its weights inside`,
    );
  if (t.values === undefined)
    throw new TypeError(
      `fromOnnx: weight ${show(t.name)} has data type ${dataTypeName(t.dataType)}; mg imports FLOAT and DOUBLE weights`,
    );
  if (t.dataType !== weights.elemType) {
    throw new TypeError(
      `fromOnnx: weight ${show(t.name)} is ${dataTypeName(t.dataType)} but input ${show(weights.input)} is ${dataTypeName(weights.elemType)}; these layers compute in one type`,
    );
  }
  if (t.dims.length !== rank && !(rank === 1 && t.dims.length === 2)) {
    throw new RangeError(
      `fromOnnx: weight ${show(t.name)} (node ${label(node)}) has shape ${shape(t.dims)}, expected a ${rank === 2 ? 'matrix' : 'vector'}`,
    );
  }
  const count = t.dims.reduce((n, d) => n * d, 1);
  if (t.values.length !== count)
    throw new TypeError(
      `fromOnnx: weight ${show(t.name)} has shape ${shape(t.dims)} but holds ${t.values.length} numbers`,
    );
  if (count === 0)
    throw new RangeError(
      `fromOnnx: weight ${show(t.name)} has shape ${shape(t.dims)}, which holds no weights`,
    );
  const bad = t.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new RangeError(
      `fromOnnx: weight ${show(t.name)} holds ${t.values[bad]} at index ${bad}; mg models have finite weights`,
    );
  return { ...t, values: t.values };
}

function attribute(node: Node, name: string, fallback: number): number {
  const a: Attribute | undefined = node.attributes.find((x) => x.name === name);
  if (a === undefined) return fallback;
  if (a.value === undefined) unsupported(node, `its attribute ${name} is not a number`);
  return a.value;
}

function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = at(values, r * cols + c);
  return out;
}

function unsupported(node: Node, why: string): never {
  throw new TypeError(`fromOnnx: cannot import node ${label(node)}: ${why}. ${SUPPORTED}`);
}

function label(node: Node): string {
  return node.name === '' ? node.opType : `${show(node.name)} (${node.opType})`;
}

function shape(dims: readonly (number | string | undefined)[]): string {
  return `[${dims.map((d) => (d === undefined ? '?' : String(d))).join(', ')}]`;
}

function json(x: number): JSONNumber {
  return Object.is(x, -0) ? '-0' : x;
}
