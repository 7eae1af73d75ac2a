import { MLP, type Activation, type JSONNumber, type MLPJSON } from '@mg/nn';
import {
  ATTR_FLOAT,
  ATTR_INT,
  ATTR_INTS,
  dataTypeName,
  decodeModel,
  DOUBLE,
  FLOAT,
  type Attribute,
  type Graph,
  type Node,
  type Tensor,
  type ValueInfo,
} from './proto.js';
import { show } from './format.js';
import { WireError } from './wire.js';
import { at } from './at.js';

const ACTIVATIONS: Record<'Relu' | 'Tanh' | 'Sigmoid', Activation> = {
  Relu: 'relu',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
};

/** The default-domain opsets whose operators mg knows: Gemm's semantics settle at 7; 26 is the latest ONNX Runtime 1.30 knows. */
const MIN_OPSET = 7;
const MAX_OPSET = 26;

/**
 * The IR versions mg reads: from 3 (ONNX 1.0), the first whose models import opsets (before it a
 * model may not, and mg needs the default opset's version), to 13, the newest ONNX Runtime 1.30 loads.
 */
const MIN_IR = 3;
const MAX_IR = 13;

/** How many nodes a message names before it only counts them. */
const NAMED = 3;

/**
 * Each operator mg reads, with its attributes (by AttributeProto type) and how many inputs it
 * takes (ONNX's schema: Gemm's C is optional from opset 11). A node with another input count, an
 * attribute its operator does not have, or an attribute without a type or of the wrong type is an
 * invalid model, which ONNX Runtime refuses too. A Transpose is read only when it transposes a
 * stored weight (see {@link foldTransposes}).
 */
const OPERATORS: Record<string, { attributes: Record<string, number>; inputs: (opset: number) => number[] }> =
  {
    Gemm: {
      attributes: { alpha: ATTR_FLOAT, beta: ATTR_FLOAT, transA: ATTR_INT, transB: ATTR_INT },
      inputs: (opset) => (opset >= 11 ? [2, 3] : [3]),
    },
    MatMul: { attributes: {}, inputs: () => [2] },
    Add: { attributes: {}, inputs: () => [2] },
    Relu: { attributes: {}, inputs: () => [1] },
    Tanh: { attributes: {}, inputs: () => [1] },
    Sigmoid: { attributes: {}, inputs: () => [1] },
    Identity: { attributes: {}, inputs: () => [1] },
    Flatten: { attributes: { axis: ATTR_INT }, inputs: () => [1] },
    Transpose: { attributes: { perm: ATTR_INTS }, inputs: () => [1] },
  };

/** The AttributeProto field that holds a value of each attribute type mg reads. */
const ATTRIBUTE_FIELDS: Record<number, string> = { [ATTR_FLOAT]: 'f', [ATTR_INT]: 'i', [ATTR_INTS]: 'ints' };

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
 * `nn.Tanh` or `nn.Sigmoid` modules (`Gemm` with `transB=1`, or `MatMul` then `Add`, the weight
 * maybe transposed by a `Transpose` node), with the default ONNX opset 7 to 26 and IR version 3
 * to 13. Weights keep every bit (float32 weights become the doubles they represent); a bias of
 * one value is every neuron's bias, as ONNX broadcasts it.
 *
 * @param bytes - the `.onnx` file's contents, from this realm or another (an iframe, node:vm)
 * @returns a new model with the file's weights; a layer without an activation node is `'linear'`
 * @throws TypeError when `bytes` is not a Uint8Array or ArrayBuffer, is not a well-formed ONNX
 * model, is an invalid one (a node with the wrong number of inputs, an attribute given twice,
 * without a type or of the wrong type, an initializer given twice, an output of element type 0,
 * the default opset imported twice, an IR version before 3), or holds a node outside that family
 * (naming the first such node and why); RangeError when layer shapes do not chain, an initializer
 * has a negative dimension, or the opset or IR version is newer than mg knows
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
  const data = toBytes(bytes);
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
  checkIrVersion(model.irVersion);
  const opsets = model.opsets.filter((o) => o.domain === '' || o.domain === 'ai.onnx');
  const [opset] = opsets;
  if (opsets.length > 1) {
    throw new TypeError(
      `fromOnnx: the model imports the default ONNX opset ${opsets.length} times (versions ${opsets
        .slice(0, NAMED)
        .map((o) => o.version)
        .join(', ')}${opsets.length > NAMED ? ', …' : ''}); a model imports each domain once`,
    );
  }
  if (opset === undefined || opset.version < MIN_OPSET) {
    throw new TypeError(
      `fromOnnx: the model must import the default ONNX opset, version ${MIN_OPSET} or later, got ${opset === undefined ? 'none' : opset.version}`,
    );
  }
  if (opset.version > MAX_OPSET) {
    throw new RangeError(
      `fromOnnx: the model imports the default ONNX opset version ${opset.version}, newer than any mg knows (${MIN_OPSET} to ${MAX_OPSET})`,
    );
  }
  return MLP.fromJSON(readLayers(graph, opset.version));
}

/** Checks the model's ir_version, which must be {@link MIN_IR} to {@link MAX_IR}. */
function checkIrVersion(version: number): void {
  if (version < MIN_IR) {
    throw new TypeError(
      `fromOnnx: the model's ir_version is ${version}${version === 0 ? ' (unset)' : ''}; a model that imports opsets, as mg needs, has ir_version ${MIN_IR} or later`,
    );
  }
  if (version > MAX_IR) {
    throw new RangeError(
      `fromOnnx: the model's ir_version is ${version}, newer than any mg knows (${MIN_IR} to ${MAX_IR})`,
    );
  }
}

/** Typed arrays' prototype, whose `Symbol.toStringTag` getter reads a typed array's internal slot. */
const TypedArray = Object.getPrototypeOf(Uint8Array.prototype) as object;

/**
 * `bytes` as a Uint8Array over an ArrayBuffer. Typed arrays and buffers from another realm (an
 * iframe, node:vm) pass too: the checks read their internal slots, not their
 * prototype chain. The bytes of a view on a SharedArrayBuffer are copied (browsers' TextDecoder
 * refuses shared memory).
 */
function toBytes(bytes: unknown): Uint8Array {
  // The getter, run on `bytes`, gives its element type, or undefined when it is not a typed array.
  if (Reflect.get(TypedArray, Symbol.toStringTag, bytes) === 'Uint8Array') {
    // A view of this realm's Uint8Array on the same memory (the decoder tells bytes from fields by class).
    const view = bytes as Uint8Array;
    return isArrayBuffer(view.buffer)
      ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
      : new Uint8Array(view);
  }
  if (isArrayBuffer(bytes)) return new Uint8Array(bytes);
  throw new TypeError(`fromOnnx: bytes must be a Uint8Array or ArrayBuffer, got ${show(bytes)}`);
}

/** Whether `x` is an ArrayBuffer of any realm: the byteLength getter throws on anything else. */
function isArrayBuffer(x: unknown): x is ArrayBuffer {
  try {
    Reflect.get(ArrayBuffer.prototype, 'byteLength', x);
    return true;
  } catch {
    return false;
  }
}

function readLayers(graph: Graph, opset: number): MLPJSON {
  const tensors = readInitializers(graph.initializers);
  const inputs = graph.inputs.filter((i) => !tensors.has(i.name));
  const [input] = inputs;
  const [output] = graph.outputs;
  if (input === undefined || inputs.length !== 1)
    throw new TypeError(
      `fromOnnx: the graph must have one input, got ${inputs.length}${inputs.length === 0 ? '' : ` (${few(inputs.map((i) => show(i.name)))})`}`,
    );
  if (output === undefined || graph.outputs.length !== 1)
    throw new TypeError(`fromOnnx: the graph must have one output, got ${graph.outputs.length}`);
  if (input.elemType !== FLOAT && input.elemType !== DOUBLE) {
    throw new TypeError(
      `fromOnnx: input ${show(input.name)} must be FLOAT or DOUBLE, got ${dataTypeName(input.elemType)}`,
    );
  }
  checkOutputType(output, input);
  const weights: Weights = { tensors, elemType: input.elemType, input: input.name };
  const folded = foldTransposes(graph.nodes, weights, opset);
  if (input.shape !== undefined && input.shape.length !== 2) {
    throw new TypeError(
      `fromOnnx: input ${show(input.name)} must have shape [N, nin], got ${shape(input.shape)}`,
    );
  }
  const declaredNin = input.shape?.[1];

  const consumers = new Map<string, Node[]>();
  for (const node of graph.nodes) {
    for (const name of node.input) {
      const list = consumers.get(name);
      if (list === undefined) consumers.set(name, [node]);
      else if (list[list.length - 1] !== node) list.push(node);
    }
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
        `fromOnnx: ${show(current)} feeds ${next.length} nodes (${few(next.map(label))}); ${SUPPORTED}`,
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
    checkNode(node, opset);
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
        // On a rank-2 tensor, axis -1 is axis 1.
        const axis = attribute(node, 'axis', 1);
        if (axis !== 1 && axis !== -1)
          unsupported(node, `Flatten with axis ${axis} changes the shape of an [N, features] tensor`);
        break;
      }
      default:
        unsupported(node, `${opName(node)} is not a layer mg has`);
    }
    current = at(node.output, 0);
  }
  const stray = graph.nodes.find((n) => !visited.has(n) && !folded.has(n));
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

/**
 * The graph's initializers by name, each checked as it is read: a name given once (the ONNX
 * checker refuses two initializers of one name) and no negative dimension.
 */
function readInitializers(initializers: readonly Tensor[]): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  for (const t of initializers) {
    if (tensors.has(t.name)) {
      throw new TypeError(
        `fromOnnx: initializer ${show(t.name)} is given twice; each value of an ONNX graph has one name`,
      );
    }
    if (t.dims.some((d) => d < 0)) {
      throw new RangeError(
        `fromOnnx: initializer ${show(t.name)} has dims ${shape(t.dims)}; a dimension cannot be negative`,
      );
    }
    tensors.set(t.name, t);
  }
  return tensors;
}

/**
 * Checks the graph output's type against the input's (already FLOAT or DOUBLE): a tensor of the
 * same element type, or no type at all (which ONNX Runtime loads too).
 */
function checkOutputType(output: ValueInfo, input: ValueInfo): void {
  const want = dataTypeName(input.elemType);
  if (output.tensor === false) {
    throw new TypeError(
      `fromOnnx: output ${show(output.name)} is not a tensor (a sequence, a map or another kind of value); these layers output a ${want} tensor`,
    );
  }
  if (output.tensor === true && output.elemType === 0) {
    throw new TypeError(
      `fromOnnx: output ${show(output.name)} is a tensor of element type ${dataTypeName(0)}, which is no data type; it should be ${want}, as input ${show(input.name)} is`,
    );
  }
  if (output.elemType !== 0 && output.elemType !== input.elemType) {
    throw new TypeError(
      `fromOnnx: output ${show(output.name)} is ${dataTypeName(output.elemType)} but input ${show(input.name)} is ${want}; these layers compute in one type`,
    );
  }
}

/**
 * Reads each Transpose of a stored matrix (what `torch.onnx.export` writes for a `Linear` without
 * bias when it does not fold constants) as the matrix it computes, stored under the Transpose's
 * output name so that the MatMul or Gemm reading it finds a weight: exact, as it only moves
 * values. Returns those nodes, which are off the chain from the input.
 */
function foldTransposes(nodes: readonly Node[], weights: Weights, opset: number): Set<Node> {
  const folded = new Set<Node>();
  for (const node of nodes) {
    const [name] = node.input;
    if (node.opType !== 'Transpose' || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    if (name === undefined || !weights.tensors.has(name) || node.output.length !== 1) continue;
    checkNode(node, opset);
    const t = initializer(node, name, weights, 'matrix');
    // Without perm, Transpose reverses the axes: [1, 0] for a matrix.
    const perm = node.attributes.find((a) => a.name === 'perm')?.ints ?? [1, 0];
    const swap = perm.length === 2 && perm[0] === 1 && perm[1] === 0;
    if (!swap && !(perm.length === 2 && perm[0] === 0 && perm[1] === 1)) {
      unsupported(
        node,
        `its perm is ${shape(perm)}; mg reads a Transpose of a stored weight matrix with perm [1, 0] (or [0, 1])`,
      );
    }
    const output = at(node.output, 0);
    if (weights.tensors.has(output))
      invalid(node, `its output ${show(output)} is also the name of an initializer`);
    const [rows = 0, cols = 0] = t.dims;
    weights.tensors.set(output, {
      name: output,
      dataType: t.dataType,
      dims: swap ? [cols, rows] : [rows, cols],
      values: swap ? transpose(t.values, rows, cols) : t.values,
    });
    folded.add(node);
  }
  return folded;
}

function gemm(node: Node, current: string, weights: Weights, nin: number | undefined): PendingLayer {
  const [a, bName, cName] = node.input;
  if (a !== current)
    unsupported(node, `its first input is ${show(a)}, not the previous layer's output ${show(current)}`);
  for (const [name, expected] of [
    ['alpha', 1],
    ['beta', 1],
  ] as const) {
    const value = attribute(node, name, expected);
    if (value !== expected)
      unsupported(node, `${name} is ${value}; mg layers compute x·Wᵀ + b (${name} ${expected})`);
  }
  // ONNX: any non-zero transA or transB transposes (ONNX Runtime reads them as booleans).
  const transA = attribute(node, 'transA', 0);
  if (transA !== 0)
    unsupported(
      node,
      `transA is ${transA}, which transposes the input; mg layers compute x·Wᵀ + b (transA 0)`,
    );
  const transB = attribute(node, 'transB', 0) !== 0;
  const b = initializer(node, bName, weights, 'matrix');
  const [rows = 0, cols = 0] = b.dims;
  const layer = linear(
    node,
    transB ? b.values : transpose(b.values, rows, cols),
    transB ? cols : rows,
    transB ? rows : cols,
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
  const b = initializer(node, bName, weights, 'matrix');
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

/**
 * The `nout` biases of a layer from the initializer `name`: `nout` values (shape [nout] or
 * [1, nout]), or one (shape [], [1] or [1, 1]) that ONNX broadcasts to every neuron.
 */
function bias(node: Node, name: string, weights: Weights, nout: number): Float64Array {
  const t = initializer(node, name, weights, 'bias');
  const row = t.dims.length < 2 || t.dims[0] === 1;
  if (row && t.values.length === nout) return t.values;
  if (row && t.values.length === 1) return new Float64Array(nout).fill(at(t.values, 0));
  throw new RangeError(
    `fromOnnx: bias ${show(name)} (node ${label(node)}) has shape ${shape(t.dims)}, expected [${nout}] for a layer of ${nout} neurons, or [1] for one bias shared by all`,
  );
}

/**
 * The initializer `name` with finite FLOAT or DOUBLE values: a `'matrix'` (rank 2), or a `'bias'`
 * (rank 0 to 2, which {@link bias} checks further).
 */
function initializer(
  node: Node,
  name: string | undefined,
  weights: Weights,
  kind: 'matrix' | 'bias',
): Weight {
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
  if (kind === 'matrix' ? t.dims.length !== 2 : t.dims.length > 2) {
    throw new RangeError(
      `fromOnnx: weight ${show(t.name)} (node ${label(node)}) has shape ${shape(t.dims)}, expected a ${kind === 'matrix' ? 'matrix' : 'vector'}`,
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

/**
 * Checks what ONNX's schema requires of a node mg reads (the operator's input count, each
 * attribute once, with a name the operator has and one value of its type), before any is read.
 */
function checkNode(node: Node, opset: number): void {
  const op = Object.hasOwn(OPERATORS, node.opType) ? OPERATORS[node.opType] : undefined;
  if (op === undefined) return; // refused by name in readLayers
  const counts = op.inputs(opset);
  if (!counts.includes(node.input.length)) {
    invalid(
      node,
      `it has ${node.input.length} inputs, but ${node.opType} takes ${counts.join(' or ')}${node.opType === 'Gemm' && opset < 11 ? ` in opset ${opset}` : ''}`,
    );
  }
  const seen = new Set<string>();
  for (const a of node.attributes) {
    if (seen.has(a.name)) invalid(node, `its attribute ${show(a.name)} is given twice`);
    seen.add(a.name);
    const type = Object.hasOwn(op.attributes, a.name) ? op.attributes[a.name] : undefined;
    if (type === undefined) invalid(node, `${node.opType} has no attribute ${show(a.name)}`);
    const field = ATTRIBUTE_FIELDS[type] ?? 'i';
    const name = show(a.name);
    const holds = a.holds ?? [field];
    // ONNX requires the type from IR version 2 on (mg reads 3 and later).
    if (a.type === 0)
      invalid(
        node,
        `its attribute ${name} has no type (type ${attributeType(0)}); ONNX requires one, here ${attributeType(type)}`,
      );
    if (a.type !== type)
      invalid(
        node,
        `its attribute ${name} is ${attributeType(a.type)}, but ${node.opType}'s ${name} is ${attributeType(type)}`,
      );
    // An empty list (ints) is written as no field at all.
    if (holds.length > 1 || (holds.length === 0 && type !== ATTR_INTS))
      invalid(
        node,
        `its attribute ${name} holds ${holds.length === 0 ? 'no value' : holds.join(' and ')}; an attribute holds one value (here ${field})`,
      );
    if (holds.length === 1 && holds[0] !== field)
      invalid(
        node,
        `its attribute ${name} holds ${holds[0]}, but ${node.opType}'s ${name} is ${attributeType(type)} (${field})`,
      );
  }
}

/** The attribute's value ({@link checkNode} has checked its type), or `fallback` when the node does not set it. */
function attribute(node: Node, name: string, fallback: number): number {
  const a: Attribute | undefined = node.attributes.find((x) => x.name === name);
  if (a === undefined) return fallback;
  if (a.value === undefined) unsupported(node, `its attribute ${name} is not a number`);
  return a.value;
}

/** At most {@link NAMED} items, then how many there are in all. */
function few(items: readonly string[]): string {
  return items.length <= NAMED
    ? items.join(', ')
    : `${items.slice(0, NAMED).join(', ')}, … ${items.length} in all`;
}

function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = at(values, r * cols + c);
  return out;
}

function unsupported(node: Node, why: string): never {
  throw new TypeError(`fromOnnx: cannot import node ${label(node)}: ${why}. ${SUPPORTED}`);
}

/** A node that breaks ONNX's own rules (ONNX Runtime refuses such a model too). */
function invalid(node: Node, why: string): never {
  throw new TypeError(`fromOnnx: node ${label(node)} is invalid: ${why}`);
}

function label(node: Node): string {
  if (node.name !== '') return `${show(node.name)} (${opName(node)})`;
  return node.opType === '' ? '(unnamed, no op_type)' : opName(node);
}

/** The node's operator, quoted and cut short when it is too long to be one. */
function opName(node: Node): string {
  return node.opType === '' ? 'no op_type' : node.opType.length > 40 ? show(node.opType) : node.opType;
}

const ATTRIBUTE_TYPES = [
  'UNDEFINED',
  'FLOAT',
  'INT',
  'STRING',
  'TENSOR',
  'GRAPH',
  'FLOATS',
  'INTS',
  'STRINGS',
];

function attributeType(type: number): string {
  return `${ATTRIBUTE_TYPES[type] ?? 'type'} (${type})`;
}

function shape(dims: readonly (number | string | undefined)[]): string {
  return `[${dims.map((d) => (d === undefined ? '?' : String(d))).join(', ')}]`;
}

function json(x: number): JSONNumber {
  return Object.is(x, -0) ? '-0' : x;
}
