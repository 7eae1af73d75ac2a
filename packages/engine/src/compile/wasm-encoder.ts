/**
 * The few pieces of the WebAssembly binary format the back end emits: LEB128 numbers,
 * sections, and the opcodes it uses (f64, i32, 128-bit SIMD over two f64 lanes).
 */

/** Opcodes by their text-format name. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  call: 0x10,
  call_indirect: 0x11,
  select: 0x1b,
  'local.get': 0x20,
  'local.set': 0x21,
  'local.tee': 0x22,
  'i32.load': 0x28,
  'f64.load': 0x2b,
  'f64.store': 0x39,
  'i32.const': 0x41,
  'f64.const': 0x44,
  'i32.eqz': 0x45,
  'i32.eq': 0x46,
  'i32.ne': 0x47,
  'i32.lt_s': 0x48,
  'i32.lt_u': 0x49,
  'i32.gt_u': 0x4b,
  'i32.le_u': 0x4d,
  'i32.ge_s': 0x4e,
  'i32.ge_u': 0x4f,
  'f64.eq': 0x61,
  'f64.ne': 0x62,
  'f64.lt': 0x63,
  'f64.gt': 0x64,
  'f64.le': 0x65,
  'f64.ge': 0x66,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.and': 0x71,
  'i32.or': 0x72,
  'i32.shl': 0x74,
  'i32.shr_u': 0x76,
  'f64.abs': 0x99,
  'f64.neg': 0x9a,
  'f64.add': 0xa0,
  'f64.sub': 0xa1,
  'f64.mul': 0xa2,
  'f64.div': 0xa3,
} as const;

/** SIMD opcodes (after the 0xfd prefix) by name. */
export const SIMD = {
  'v128.load': 0x00,
  'v128.load64_splat': 0x0a,
  'v128.store': 0x0b,
  'v128.load64_lane': 0x57,
  'v128.store64_lane': 0x5b,
  'v128.load64_zero': 0x5d,
  'f64x2.splat': 0x14,
  'f64x2.extract_lane': 0x21,
  'f64x2.eq': 0x47,
  'f64x2.ne': 0x48,
  'f64x2.lt': 0x49,
  'f64x2.gt': 0x4a,
  'f64x2.le': 0x4b,
  'f64x2.ge': 0x4c,
  'v128.bitselect': 0x52,
  'f64x2.abs': 0xec,
  'f64x2.neg': 0xed,
  'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2,
  'f64x2.div': 0xf3,
} as const;

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** A growing byte buffer with the format's encodings. */
export class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    if (this.length + bs.length > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.length + bs.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }

  /** Unsigned LEB128. */
  u32(n: number): this {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }

  /** Signed LEB128. */
  i32(n: number): this {
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f64(x: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x, true);
    for (let i = 0; i < 8; i++) this.byte(view.getUint8(i));
    return this;
  }

  name(s: string): this {
    this.u32(s.length);
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
    return this;
  }

  /** A length-prefixed copy of `other`. */
  sized(other: Bytes): this {
    return this.u32(other.length).bytes(other.view());
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Function body emitter: opcodes with their immediates. */
export class Code extends Bytes {
  op(name: keyof typeof OP): this {
    return this.byte(OP[name]);
  }

  simd(name: keyof typeof SIMD): this {
    return this.byte(0xfd).u32(SIMD[name]);
  }

  get(local: number): this {
    return this.op('local.get').u32(local);
  }

  set(local: number): this {
    return this.op('local.set').u32(local);
  }

  tee(local: number): this {
    return this.op('local.tee').u32(local);
  }

  int(n: number): this {
    return this.op('i32.const').i32(n);
  }

  num(x: number): this {
    return this.op('f64.const').f64(x);
  }

  /** `f64.load` / `f64.store` / `v128.load` / `v128.store` with natural alignment, offset 0. */
  loadF64(): this {
    return this.op('f64.load').u32(3).u32(0);
  }

  storeF64(): this {
    return this.op('f64.store').u32(3).u32(0);
  }

  loadI32(offset: number): this {
    return this.op('i32.load').u32(2).u32(offset);
  }

  loadV128(): this {
    return this.simd('v128.load').u32(4).u32(0);
  }

  storeV128(): this {
    return this.simd('v128.store').u32(4).u32(0);
  }
}

/** Assembles a module from its sections (ids per the specification). */
export function module(sections: [number, Bytes][]): Uint8Array {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const [id, body] of sections) out.byte(id).sized(body);
  return out.view().slice();
}
