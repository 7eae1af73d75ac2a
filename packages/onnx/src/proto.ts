// The part of ONNX's schema (onnx/onnx.proto, proto2) that an MLP needs, with the official field
// numbers. Encoding writes only these fields; decoding reads them and skips every other field, as
// protobuf readers do, so files with metadata, value_info or training info still load. As in
// protobuf, a scalar field given twice keeps its last value and a message field given twice is
// merged (read into the same object), so two concatenated ModelProtos are one model.
import {
  LEN,
  readFields,
  readFloat,
  readInt,
  readInts,
  readReals,
  readString,
  WireError,
  Writer,
  type Field,
} from './wire.js';

/** TensorProto.DataType values this package reads and writes. */
export const FLOAT = 1;
export const DOUBLE = 11;

const DATA_TYPES = [
  'UNDEFINED',
  'FLOAT',
  'UINT8',
  'INT8',
  'UINT16',
  'INT16',
  'INT32',
  'INT64',
  'STRING',
  'BOOL',
  'FLOAT16',
  'DOUBLE',
  'UINT32',
  'UINT64',
  'COMPLEX64',
  'COMPLEX128',
  'BFLOAT16',
];

/** `DOUBLE (11)`, for messages. */
export function dataTypeName(type: number): string {
  return `${DATA_TYPES[type] ?? 'type'} (${type})`;
}

/** AttributeProto.AttributeType values used here. */
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;
export const ATTR_INTS = 7;

/**
 * A node attribute; `value` is set for FLOAT and INT attributes and `ints` for INTS ones, the only
 * kinds the importer reads.
 */
export interface Attribute {
  name: string;
  /** AttributeProto.type; 0 when the writer left it out (IR version 1). */
  type: number;
  /** `f` of a FLOAT attribute, `i` of an INT one (or, without a type, whichever of the two it holds). */
  value?: number;
  /** `ints` of an INTS attribute, in order. */
  ints?: number[];
  /**
   * The value fields the attribute holds (`f`, `i`, `s`, `ints`, ...), each once, in order, when
   * decoded; when encoding, `f`, `i` and `ints` write `value` or `ints` to those fields (by default
   * the type's field).
   */
  holds?: string[];
}

/** AttributeProto's value fields, by number, for messages about attributes. */
const ATTRIBUTE_VALUES: Record<number, string> = {
  2: 'f',
  3: 'i',
  4: 's',
  5: 't',
  6: 'g',
  7: 'floats',
  8: 'ints',
  9: 'strings',
  10: 'tensors',
  11: 'graphs',
  14: 'tp',
  15: 'type_protos',
  22: 'sparse_tensor',
  23: 'sparse_tensors',
};

/** NodeProto. */
export interface Node {
  name: string;
  opType: string;
  domain: string;
  input: string[];
  output: string[];
  attributes: Attribute[];
}

/** TensorProto with its numbers decoded (or, when they cannot be, the reason). */
export interface Tensor {
  name: string;
  dataType: number;
  dims: number[];
  /** The values, row-major; undefined when the data type is not FLOAT or DOUBLE, or the data is external. */
  values?: Float64Array;
  /** True when the data lives in an external file (data_location = EXTERNAL). */
  external?: boolean;
}

/** A tensor-typed ValueInfoProto: a dimension is a number, a symbolic name, or undefined when unknown. */
export interface ValueInfo {
  name: string;
  /** TypeProto.Tensor.elem_type, 0 when the type is not a tensor. */
  elemType: number;
  /**
   * True when the type is a tensor (TypeProto.tensor_type), false when it is another kind (a
   * sequence, a map, ...); undefined when the value has no type.
   */
  tensor?: boolean;
  shape?: (number | string | undefined)[];
}

/** GraphProto. */
export interface Graph {
  name: string;
  docString: string;
  nodes: Node[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/** ModelProto. */
export interface Model {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graph?: Graph;
}

// ---- encoding (field numbers from onnx.proto) ----

function encodeAttribute(a: Attribute): Writer {
  const w = new Writer().string(1, a.name);
  if (a.type !== 0) w.int(20, a.type);
  const holds =
    a.holds ??
    (a.type === ATTR_FLOAT ? ['f'] : a.type === ATTR_INT ? ['i'] : a.type === ATTR_INTS ? ['ints'] : []);
  for (const field of holds) {
    if (field === 'f') w.float(2, a.value ?? 0);
    else if (field === 'i') w.int(3, a.value ?? 0);
    else if (field === 'ints') for (const x of a.ints ?? []) w.int(8, x);
  }
  return w;
}

function encodeNode(n: Node): Writer {
  const w = new Writer();
  for (const input of n.input) w.string(1, input);
  for (const output of n.output) w.string(2, output);
  w.string(3, n.name).string(4, n.opType);
  for (const a of n.attributes) w.message(5, encodeAttribute(a));
  if (n.domain !== '') w.string(7, n.domain);
  return w;
}

function encodeTensor(t: Tensor): Writer {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType).string(8, t.name);
  if (t.external === true) return w.int(14, 1);
  // raw_data, little-endian as the spec requires, keeps every bit (including -0 and NaN payloads).
  const values = t.values ?? new Float64Array(0);
  const width = t.dataType === DOUBLE ? 8 : 4;
  const raw = new Uint8Array(values.length * width);
  const view = new DataView(raw.buffer);
  for (const [i, x] of values.entries()) {
    if (width === 8) view.setFloat64(i * 8, x, true);
    else view.setFloat32(i * 4, x, true);
  }
  return w.bytes(9, raw);
}

function encodeValueInfo(v: ValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.shape ?? []) {
    const dim = new Writer();
    if (typeof d === 'number') dim.int(1, d);
    else if (typeof d === 'string') dim.string(2, d);
    shape.message(1, dim);
  }
  const tensor = new Writer().int(1, v.elemType).message(2, shape);
  return new Writer().string(1, v.name).message(2, new Writer().message(1, tensor));
}

/** The ModelProto's bytes. */
export function encodeModel(m: Model): Uint8Array {
  const w = new Writer()
    .int(1, m.irVersion)
    .string(2, m.producerName)
    .string(3, m.producerVersion)
    .string(6, m.docString);
  if (m.graph !== undefined) {
    const g = new Writer();
    for (const n of m.graph.nodes) g.message(1, encodeNode(n));
    g.string(2, m.graph.name);
    for (const t of m.graph.initializers) g.message(5, encodeTensor(t));
    g.string(10, m.graph.docString);
    for (const i of m.graph.inputs) g.message(11, encodeValueInfo(i));
    for (const o of m.graph.outputs) g.message(12, encodeValueInfo(o));
    w.message(7, g);
  }
  for (const o of m.opsets) {
    const opset = new Writer();
    if (o.domain !== '') opset.string(1, o.domain);
    w.message(8, opset.int(2, o.version));
  }
  return w.finish();
}

// ---- decoding ----

/** Hands each field of a message to the reader for its number; fields without a reader are skipped. */
function each(
  message: Uint8Array | Field,
  root: Uint8Array,
  readers: Record<number, (f: Field) => void>,
): Field[] {
  if (!(message instanceof Uint8Array) && message.wireType !== LEN) {
    throw new WireError(`field ${message.field} should hold a message but has wire type ${message.wireType}`);
  }
  const fields = readFields(message instanceof Uint8Array ? message : message.bytes, root);
  for (const f of fields) readers[f.field]?.(f);
  return fields;
}

function decodeAttribute(bytes: Field, root: Uint8Array, where: string): Attribute {
  const a: Attribute = { name: '', type: 0 };
  let f: number | undefined;
  let i: number | undefined;
  const holds = new Set<string>();
  const fields = each(bytes, root, {
    1: (x) => (a.name = readString(x, `${where}.name`)),
    20: (x) => (a.type = readInt(x, `${where}.type`)),
    2: (x) => (f = readFloat(x, `${where}.f`)),
    3: (x) => (i = readInt(x, `${where}.i`)),
  });
  if (a.type === ATTR_INTS) a.ints = readInts(fields, 8, `${where}.ints`);
  for (const x of fields) {
    const held = ATTRIBUTE_VALUES[x.field];
    if (held !== undefined) holds.add(held);
  }
  a.holds = [...holds];
  const value = a.type === ATTR_FLOAT ? f : a.type === ATTR_INT ? i : a.type === 0 ? (i ?? f) : undefined;
  if (value !== undefined) a.value = value;
  return a;
}

function decodeNode(bytes: Field, root: Uint8Array, where: string): Node {
  const n: Node = { name: '', opType: '', domain: '', input: [], output: [], attributes: [] };
  each(bytes, root, {
    1: (f) => n.input.push(readString(f, `${where}.input`)),
    2: (f) => n.output.push(readString(f, `${where}.output`)),
    3: (f) => (n.name = readString(f, `${where}.name`)),
    4: (f) => (n.opType = readString(f, `${where}.op_type`)),
    5: (f) => n.attributes.push(decodeAttribute(f, root, `${where}.attribute`)),
    7: (f) => (n.domain = readString(f, `${where}.domain`)),
  });
  return n;
}

function decodeTensor(bytes: Field, root: Uint8Array, where: string): Tensor {
  const t: Tensor = { name: '', dataType: 0, dims: [] };
  let raw: Uint8Array | undefined;
  const fields = each(bytes, root, {
    2: (f) => (t.dataType = readInt(f, `${where}.data_type`)),
    8: (f) => (t.name = readString(f, `${where}.name`)),
    9: (f) => {
      if (f.wireType !== LEN)
        throw new WireError(`${where}.raw_data: expected bytes, found wire type ${f.wireType}`);
      raw = f.bytes;
    },
    14: (f) => (t.external = readInt(f, `${where}.data_location`) === 1),
  });
  t.dims = readInts(fields, 1, `${where}.dims`);
  if (t.external === true || (t.dataType !== FLOAT && t.dataType !== DOUBLE)) return t;
  const width = t.dataType === DOUBLE ? 8 : 4;
  if (raw !== undefined) {
    if (raw.length % width !== 0)
      throw new WireError(
        `${where}.raw_data: ${raw.length} bytes is not a whole number of ${width}-byte values`,
      );
    const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    t.values = Float64Array.from({ length: raw.length / width }, (_, i) =>
      width === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true),
    );
  } else {
    t.values = Float64Array.from(
      readReals(
        fields,
        width === 8 ? 10 : 4,
        width,
        `${where}.${width === 8 ? 'double_data' : 'float_data'}`,
      ),
    );
  }
  return t;
}

function decodeValueInfo(bytes: Field, root: Uint8Array, where: string): ValueInfo {
  const v: ValueInfo = { name: '', elemType: 0 };
  const notTensor = (): void => {
    v.elemType = 0;
    v.tensor = false;
    delete v.shape;
  };
  each(bytes, root, {
    1: (f) => (v.name = readString(f, `${where}.name`)),
    // Singular message fields met twice are merged (protobuf's rule): shape dims add up, and
    // another member of TypeProto's oneof (sequence, map, ...) replaces the tensor type.
    2: (type) =>
      each(type, root, {
        1: (tensor) => {
          v.tensor = true;
          each(tensor, root, {
            1: (f) => (v.elemType = readInt(f, `${where}.type.elem_type`)),
            2: (shape) => {
              v.shape ??= [];
              each(shape, root, {
                1: (dim) => {
                  let d: number | string | undefined;
                  each(dim, root, {
                    1: (f) => (d = readInt(f, `${where}.type.shape.dim_value`)),
                    2: (f) => (d = readString(f, `${where}.type.shape.dim_param`)),
                  });
                  v.shape?.push(d);
                },
              });
            },
          });
        },
        4: notTensor,
        5: notTensor,
        8: notTensor,
        9: notTensor,
      }),
  });
  return v;
}

/** Reads a GraphProto into `g`; a second `graph` field of the same model is merged into the first, as protobuf does. */
function decodeGraph(bytes: Field, root: Uint8Array, g: Graph): Graph {
  each(bytes, root, {
    1: (f) => g.nodes.push(decodeNode(f, root, `graph.node[${g.nodes.length}]`)),
    2: (f) => (g.name = readString(f, 'graph.name')),
    5: (f) => g.initializers.push(decodeTensor(f, root, `graph.initializer[${g.initializers.length}]`)),
    10: (f) => (g.docString = readString(f, 'graph.doc_string')),
    11: (f) => g.inputs.push(decodeValueInfo(f, root, `graph.input[${g.inputs.length}]`)),
    12: (f) => g.outputs.push(decodeValueInfo(f, root, `graph.output[${g.outputs.length}]`)),
  });
  return g;
}

/** The ModelProto in `bytes`. @throws Error when the bytes are not a well-formed message. */
export function decodeModel(bytes: Uint8Array): Model {
  const m: Model = { irVersion: 0, opsets: [], producerName: '', producerVersion: '', docString: '' };
  each(bytes, bytes, {
    1: (f) => (m.irVersion = readInt(f, 'ir_version')),
    2: (f) => (m.producerName = readString(f, 'producer_name')),
    3: (f) => (m.producerVersion = readString(f, 'producer_version')),
    6: (f) => (m.docString = readString(f, 'doc_string')),
    7: (f) =>
      (m.graph = decodeGraph(
        f,
        bytes,
        m.graph ?? { name: '', docString: '', nodes: [], initializers: [], inputs: [], outputs: [] },
      )),
    8: (f) => {
      const opset = { domain: '', version: 0 };
      each(f, bytes, {
        1: (d) => (opset.domain = readString(d, 'opset_import.domain')),
        2: (v) => (opset.version = readInt(v, 'opset_import.version')),
      });
      m.opsets.push(opset);
    },
  });
  return m;
}
