import { inflateSync } from 'node:zlib';

/**
 * Unpacks a WOFF 1.0 font into the TrueType/OpenType file it wraps (each table zlib-compressed
 * or stored), for renderers such as resvg that read only the latter.
 *
 * @param woff - the font file's bytes
 * @returns the SFNT font's bytes
 * @throws RangeError when `woff` is not a WOFF 1.0 file
 */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const view = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (woff.byteLength < 44 || view.getUint32(0) !== 0x774f4646)
    throw new RangeError('woffToSfnt: not a WOFF 1.0 file (no "wOFF" signature)');
  const flavor = view.getUint32(4);
  const numTables = view.getUint16(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + 20 * i;
    const [tag, offset, compLength, origLength, checksum] = [0, 4, 8, 12, 16].map((k) =>
      view.getUint32(at + k),
    ) as [number, number, number, number, number];
    const stored = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? new Uint8Array(inflateSync(stored)) : stored;
    if (data.byteLength !== origLength)
      throw new RangeError(
        `woffToSfnt: table ${i} unpacks to ${data.byteLength} bytes, expected ${origLength}`,
      );
    return { tag, checksum, data };
  });
  const headerSize = 12 + 16 * numTables;
  const padded = (n: number) => (n + 3) & ~3;
  const size = tables.reduce((total, t) => total + padded(t.data.byteLength), headerSize);
  const sfnt = new Uint8Array(size);
  const out = new DataView(sfnt.buffer);
  // The binary-search fields of the offset table, as the OpenType spec defines them.
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 16 * 2 ** entrySelector;
  out.setUint32(0, flavor);
  out.setUint16(4, numTables);
  out.setUint16(6, searchRange);
  out.setUint16(8, entrySelector);
  out.setUint16(10, 16 * numTables - searchRange);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const record = 12 + 16 * i;
    out.setUint32(record, t.tag);
    out.setUint32(record + 4, t.checksum);
    out.setUint32(record + 8, offset);
    out.setUint32(record + 12, t.data.byteLength);
    sfnt.set(t.data, offset);
    offset += padded(t.data.byteLength);
  });
  return sfnt;
}
