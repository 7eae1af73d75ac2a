// The protobuf wire format, as far as ONNX needs it: varints, 64-bit and 32-bit fixed fields and
// length-delimited fields (bytes, strings, nested messages, packed arrays). Groups are not used by
// onnx.proto and are rejected as malformed input.

/** Protobuf wire types. */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

const utf8 = new TextEncoder();

/** Builds one message; nested messages are built by their own Writer and added with {@link Writer.message}. */
export class Writer {
  private buffer = new Uint8Array(256);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private varint(value: number): void {
    // Values here are non-negative integers below 2^53 (sizes, enum values, versions, dimensions).
    this.reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** An int32/int64/enum field holding a non-negative integer. */
  int(field: number, value: number): this {
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  /** A float field (32-bit). */
  float(field: number, value: number): this {
    this.tag(field, FIXED32);
    this.reserve(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LEN);
    this.varint(value.length);
    this.raw(value);
    return this;
  }

  /** A string field, UTF-8. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A nested message field. */
  message(field: number, value: Writer): this {
    return this.bytes(field, value.finish());
  }

  /** The message's bytes so far. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** One field of a decoded message: its number, wire type, and value (a number for varints, else bytes). */
export interface Field {
  field: number;
  wireType: number;
  /** A varint's value: exact below 2^53, approximate above (readers that need it exact check). */
  int: number;
  /** The payload of a LEN, FIXED32 or FIXED64 field (a view into the input, not a copy). */
  bytes: Uint8Array;
}

/** Thrown when bytes are not a well-formed protobuf message; names the byte offset. */
export class WireError extends Error {
  override name = 'WireError';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The fields of one message, in the order they appear (repeated fields appear several times).
 * Errors give byte offsets counted from `root`, the start of the whole input.
 */
export function readFields(bytes: Uint8Array, root: Uint8Array): Field[] {
  const base = bytes.byteOffset - root.byteOffset;
  const fields: Field[] = [];
  const empty = bytes.subarray(0, 0);
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = bytes[at];
      if (b === undefined) throw new WireError(`truncated varint at byte ${base + at}`);
      at++;
      value += (b & 0x7f) * scale;
      scale *= 0x80;
      if (b < 0x80) return value;
    }
    throw new WireError(`varint longer than 10 bytes at byte ${base + at}`);
  };
  const take = (n: number, what: string): Uint8Array => {
    if (n > bytes.length - at)
      throw new WireError(
        `${what} of ${n} bytes at byte ${base + at} runs past the end (${bytes.length - at} left)`,
      );
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  while (at < bytes.length) {
    const start = at;
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new WireError(`field number 0 at byte ${base + start}`);
    switch (wireType) {
      case VARINT:
        fields.push({ field, wireType, int: varint(), bytes: empty });
        break;
      case FIXED64:
        fields.push({ field, wireType, int: 0, bytes: take(8, `field ${field}`) });
        break;
      case LEN: {
        const n = varint();
        fields.push({ field, wireType, int: 0, bytes: take(n, `field ${field}`) });
        break;
      }
      case FIXED32:
        fields.push({ field, wireType, int: 0, bytes: take(4, `field ${field}`) });
        break;
      default:
        throw new WireError(`unsupported wire type ${wireType} (field ${field}) at byte ${base + start}`);
    }
  }
  return fields;
}

/** A string field's value. */
export function readString(f: Field, where: string): string {
  if (f.wireType !== LEN) throw new WireError(`${where}: expected a string, found wire type ${f.wireType}`);
  try {
    return decoder.decode(f.bytes);
  } catch {
    throw new WireError(`${where}: not valid UTF-8`);
  }
}

/** An int32/int64 field's value, which must be a safe integer. */
export function readInt(f: Field, where: string): number {
  if (f.wireType !== VARINT)
    throw new WireError(`${where}: expected an integer, found wire type ${f.wireType}`);
  if (!Number.isSafeInteger(f.int)) throw new WireError(`${where}: integer ${f.int} is out of range`);
  return f.int;
}

/** Repeated int64 values of one field, packed or not; negative values (10-byte varints) are rejected. */
export function readInts(fields: readonly Field[], field: number, where: string): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType === VARINT) out.push(readInt(f, where));
    else if (f.wireType === LEN) {
      for (const inner of readPackedVarints(f.bytes, where)) out.push(inner);
    } else throw new WireError(`${where}: expected integers, found wire type ${f.wireType}`);
  }
  return out;
}

function readPackedVarints(bytes: Uint8Array, where: string): number[] {
  const out: number[] = [];
  let value = 0;
  let scale = 1;
  for (const b of bytes) {
    value += (b & 0x7f) * scale;
    scale *= 0x80;
    if (b < 0x80) {
      if (!Number.isSafeInteger(value)) throw new WireError(`${where}: integer ${value} is out of range`);
      out.push(value);
      value = 0;
      scale = 1;
    }
  }
  if (scale !== 1) throw new WireError(`${where}: truncated packed integers`);
  return out;
}

/** A float field's value (fixed32). */
export function readFloat(f: Field, where: string): number {
  if (f.wireType !== FIXED32)
    throw new WireError(`${where}: expected a float, found wire type ${f.wireType}`);
  return new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
}

/**
 * Repeated float (width 4) or double (width 8) values of one field, packed or not, in order.
 */
export function readReals(fields: readonly Field[], field: number, width: 4 | 8, where: string): number[] {
  const out: number[] = [];
  const wireType = width === 4 ? FIXED32 : FIXED64;
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wireType !== wireType && f.wireType !== LEN)
      throw new WireError(
        `${where}: expected ${width === 4 ? 'floats' : 'doubles'}, found wire type ${f.wireType}`,
      );
    if (f.bytes.length % width !== 0)
      throw new WireError(`${where}: ${f.bytes.length} bytes is not a whole number of ${width}-byte values`);
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length);
    for (let i = 0; i < f.bytes.length; i += width)
      out.push(width === 4 ? view.getFloat32(i, true) : view.getFloat64(i, true));
  }
  return out;
}
