import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAsync } from '@resvg/resvg-js';
import { woffToSfnt } from './woff.js';

/** A file a command writes: its name in the output folder and its bytes. */
export interface OutputFile {
  readonly name: string;
  readonly content: string | Uint8Array;
}

// Graphviz lays its labels out with Times' character widths; Tinos has exactly those widths.
// Shipping it (rather than hoping the system has Times or Liberation Serif) makes the boxes fit
// their text in the PNG, and in the SVG in any browser, on every machine.
const GRAPH_FONT = 'font-family="Times,serif"';
const PINNED_FONT = 'font-family="Tinos,Times,serif"';
const TINOS_WOFF = '@fontsource/tinos/files/tinos-latin-400-normal.woff';

let tinos: { woff: Buffer; ttf: string } | undefined;

/** The font's WOFF bytes (for SVG files) and the path of its TrueType form (resvg reads only files). */
function tinosFont(): { woff: Buffer; ttf: string } {
  if (tinos === undefined) {
    const woff = readFileSync(createRequire(import.meta.url).resolve(TINOS_WOFF));
    tinos = { woff, ttf: cachedTtf(woffToSfnt(woff)) };
  }
  return tinos;
}

/** Writes the TrueType font once into this package's node_modules/.cache (atomically: two runs may race). */
function cachedTtf(sfnt: Uint8Array): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  const cache = join(dir, 'node_modules', '.cache', 'mg-demo');
  const path = join(cache, `tinos-latin-400-${sfnt.byteLength}.ttf`);
  if (statSync(path, { throwIfNoEntry: false })?.size === sfnt.byteLength) return path;
  mkdirSync(cache, { recursive: true });
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, sfnt);
  renameSync(temporary, path);
  return path;
}

/**
 * Graphviz's SVG with its Times text set in the Tinos font embedded in it.
 *
 * @param svg - an SVG document from `toSvg`
 * @returns the same drawing, self-contained
 */
export function embedGraphFont(svg: string): string {
  if (!svg.includes(GRAPH_FONT)) return svg;
  const face = `<style>@font-face{font-family:"Tinos";src:url(data:font/woff;base64,${tinosFont().woff.toString('base64')}) format("woff")}</style>`;
  return svg.replaceAll(GRAPH_FONT, PINNED_FONT).replace(/(<svg\b[^>]*>)/, `$1\n${face}`);
}

/**
 * An SVG document and its PNG rendering at twice the size.
 *
 * @returns `name.svg` and `name.png`
 */
export async function svgAndPng(name: string, svg: string): Promise<OutputFile[]> {
  return [
    { name: `${name}.svg`, content: svg },
    { name: `${name}.png`, content: await svgToPng(svg) },
  ];
}

/**
 * Renders SVG text to PNG bytes with resvg: Graphviz's text in Tinos, everything else in the
 * system's fonts. Off the main thread (on libuv's pool): pictures started one after another
 * render side by side.
 *
 * @param svg - the document
 * @param systemFonts - whether resvg may use the system's fonts (default true)
 */
export async function svgToPng(svg: string, systemFonts = true): Promise<Buffer> {
  const image = await renderAsync(svg.replaceAll(GRAPH_FONT, PINNED_FONT), {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: systemFonts, fontFiles: [tinosFont().ttf], defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return image.asPng();
}
