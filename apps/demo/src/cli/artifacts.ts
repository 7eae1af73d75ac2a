import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/**
 * Writes an SVG document and its PNG rendering (at twice the size) into `dir`.
 *
 * @returns the paths written: `name.svg`, `name.png`
 */
export function writeSvgAndPng(dir: string, name: string, svg: string): string[] {
  mkdirSync(dir, { recursive: true });
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  writeFileSync(svgPath, svg);
  writeFileSync(pngPath, svgToPng(svg));
  return [svgPath, pngPath];
}

/** Writes a text file into `dir`, creating it. */
export function writeText(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Renders SVG text to PNG bytes with resvg, using the system's fonts. */
export function svgToPng(svg: string): Buffer {
  // Graphviz sizes its labels for Times, which Linux rarely has: Liberation Serif has the same
  // metrics, so the labels fit their boxes (resvg's generic-serif fallback does not reach it).
  const fonted = svg.replaceAll('font-family="Times,serif"', 'font-family="Times,Liberation Serif,serif"');
  const resvg = new Resvg(fonted, {
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
