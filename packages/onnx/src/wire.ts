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
    // Sizes, tags and non-negative integers below 2^53; negative ones are 64-bit two's complement.
    this.reserve(10);
    if (value < 0) {
      // A negative int64 is its 64-bit two's complement pattern: 10 bytes.
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.buffer[this.length++] = Number(big & 0x7fn) | 0x80;
        big >>= 7n;
      }
      this.buffer[this.length++] = Number(big);
      return;
    }
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

  /** An int32/int64/enum field (a safe integer; negative values as 64-bit two's complement, as protobuf writes them). */
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
  /**
   * A varint's value as a signed 64-bit integer (two's complement, as protobuf writes negative
   * int32 and int64 values): exact when it is a safe integer, approximate beyond (readers check).
   */
  int: number;
  /** A varint's 64 bits, low 32 then high 32 (unsigned), to quote a value beyond 2^53 exactly. */
  bits: readonly [number, number];
  /** The payload of a LEN, FIXED32 or FIXED64 field (a view into the input, not a copy). */
  bytes: Uint8Array;
}

/** Thrown when bytes are not a well-formed protobuf message; names the byte offset. */
export class WireError extends Error {
  override name = 'WireError';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

const TWO_32 = 2 ** 32;
const NO_BITS: readonly [number, number] = [0, 0];

/** A varint read from `bytes` at `start`: its 64 bits (unsigned halves, arithmetic only) and where it ends. */
interface Varint {
  lo: number;
  hi: number;
  end: number;
}

/**
 * The varint at `bytes[start]`, or `undefined` when the bytes end inside it. Bits beyond the 64th
 * (in a 10th byte above 1) are dropped, as protobuf's own parsers do.
 * @throws WireError when it is longer than 10 bytes
 */
function varintAt(bytes: Uint8Array, start: number, where: () => string): Varint | undefined {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    const b = bytes[start + i];
    if (b === undefined) return undefined;
    const bits = b & 0x7f;
    if (i < 4) lo += bits * 2 ** (7 * i);
    else if (i === 4) {
      lo += (bits & 0x0f) * 2 ** 28;
      hi += bits >> 4;
    } else if (i < 9) hi += bits * 2 ** (7 * i - 32);
    else hi += (bits & 1) * 2 ** 31;
    if (b < 0x80) return { lo, hi, end: start + i + 1 };
  }
  throw new WireError(`varint longer than 10 bytes at ${where()}`);
}

/** The varint as an unsigned number (sizes, keys): exact below 2^53. */
function unsigned(v: Varint): number {
  return v.hi * TWO_32 + v.lo;
}

/** The varint as a signed 64-bit integer: exact when safe. */
function signed(v: Varint): number {
  return v.hi >= 2 ** 31 ? (v.hi - TWO_32) * TWO_32 + v.lo : unsigned(v);
}

/** The exact signed 64-bit value of these bits, for messages. */
function exact([lo, hi]: readonly [number, number]): string {
  return String(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)));
}

/**
 * The fields of one message, in the order they appear (repeated fields appear several times).
 * Errors give byte offsets counted from `root`, the start of the whole input.
 */
export function readFields(bytes: Uint8Array, root: Uint8Array): Field[] {
  const base = bytes.byteOffset - root.byteOffset;
  const fields: Field[] = [];
  const empty = bytes.subarray(0, 0);
  let at = 0;
  const varint = (): Varint => {
    const v = varintAt(bytes, at, () => `byte ${base + at + 10}`);
    if (v === undefined) throw new WireError(`truncated varint at byte ${base + bytes.length}`);
    at = v.end;
    return v;
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
    const key = unsigned(varint());
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new WireError(`field number 0 at byte ${base + start}`);
    switch (wireType) {
      case VARINT: {
        const v = varint();
        fields.push({ field, wireType, int: signed(v), bits: [v.lo, v.hi], bytes: empty });
        break;
      }
      case FIXED64:
        fields.push({ field, wireType, int: 0, bits: NO_BITS, bytes: take(8, `field ${field}`) });
        break;
      case LEN: {
        const n = unsigned(varint());
        fields.push({ field, wireType, int: 0, bits: NO_BITS, bytes: take(n, `field ${field}`) });
        break;
      }
      case FIXED32:
        fields.push({ field, wireType, int: 0, bits: NO_BITS, bytes: take(4, `field ${field}`) });
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

/** An int32/int64 field's value (negative values included), which must be a safe integer. */
export function readInt(f: Field, where: string): number {
  if (f.wireType !== VARINT)
    throw new WireError(`${where}: expected an integer, found wire type ${f.wireType}`);
  return safe(f.int, f.bits, where);
}

function safe(value: number, bits: readonly [number, number], where: string): number {
  if (!Number.isSafeInteger(value))
    throw new WireError(
      `${where}: integer ${exact(bits)} is out of range (mg reads integers of at most 2^53 - 1 in magnitude)`,
    );
  return value;
}

/** Repeated int64 values of one field, packed or not, negative values included. */
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
  let at = 0;
  while (at < bytes.length) {
    const v = varintAt(bytes, at, () => `${where} (packed integers)`);
    if (v === undefined) throw new WireError(`${where}: truncated packed integers`);
    out.push(safe(signed(v), [v.lo, v.hi], where));
    at = v.end;
  }
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
