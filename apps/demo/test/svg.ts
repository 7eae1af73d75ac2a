import { Resvg } from '@resvg/resvg-js';

/**
 * Parses SVG text with resvg's strict XML parser (which rejects malformed XML and a document
 * whose root is not `<svg>`) and returns its size in pixels.
 */
export function parseSvg(svg: string): { width: number; height: number } {
  const { width, height } = new Resvg(svg);
  return { width, height };
}

/** The width and height a PNG's IHDR chunk declares, after checking the 8-byte signature. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG: bad signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
    throw new Error('not a PNG: no IHDR chunk first');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
