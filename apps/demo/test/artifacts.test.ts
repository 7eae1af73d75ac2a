import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Value } from '@mg/engine';
import { toDot, toSvg } from '@mg/viz';
import { describe, expect, it } from 'vitest';
import { embedGraphFont, svgToPng } from '../src/cli/artifacts.js';
import { woffToSfnt } from '../src/cli/woff.js';
import { parseSvg, pngSize } from './svg.js';

const woff = readFileSync(
  createRequire(import.meta.url).resolve('@fontsource/tinos/files/tinos-latin-400-normal.woff'),
);

async function graphSvg(): Promise<string> {
  const w = new Value(-0.0761, { label: 'w1' });
  const x = new Value(-0.4439, { label: 'x1' });
  const out = w.mul(x);
  out.backward();
  return toSvg(toDot(out));
}

describe('woffToSfnt', () => {
  it('unpacks every table of the WOFF file into a TrueType font', () => {
    const sfnt = woffToSfnt(woff);
    const view = new DataView(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
    const tables = view.getUint16(4);
    const tags = Array.from({ length: tables }, (_, i) =>
      String.fromCharCode(...sfnt.subarray(12 + 16 * i, 16 + 16 * i)),
    );
    const head = view.getUint32(12 + 16 * tags.indexOf('head') + 8);

    expect(view.getUint32(0)).toBe(0x00010000);
    expect(tables).toBe(new DataView(woff.buffer, woff.byteOffset).getUint16(12));
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head', 'hmtx', 'loca', 'name']));
    // The head table's magic number, where the OpenType spec puts it.
    expect(view.getUint32(head + 12)).toBe(0x5f0f3cf5);
  });

  it('throws RangeError for a file that is not WOFF', () => {
    expect(() => woffToSfnt(new Uint8Array(64))).toThrow(
      new RangeError('woffToSfnt: not a WOFF 1.0 file (no "wOFF" signature)'),
    );
  });
});

describe('graph pictures', () => {
  it("draw Graphviz's text in the pinned font whatever the system has", async () => {
    const svg = await graphSvg();

    const withSystemFonts = await svgToPng(svg);
    const pinnedOnly = await svgToPng(svg, false);

    expect(pngSize(withSystemFonts).width).toBeGreaterThan(200);
    expect(withSystemFonts.equals(pinnedOnly)).toBe(true);
  });

  it('embed the font in the SVG file, so a browser lays it out the same', async () => {
    const svg = embedGraphFont(await graphSvg());

    expect(svg).toMatch(
      /<svg\b[^>]*>\n<style>@font-face\{font-family:"Tinos";src:url\(data:font\/woff;base64,[A-Za-z0-9+/=]+\) format\("woff"\)\}<\/style>/,
    );
    expect(svg).not.toContain('font-family="Times,serif"');
    expect(svg).toContain('font-family="Tinos,Times,serif"');
    expect(parseSvg(svg).width).toBeGreaterThan(100);
  });
});
