import { checkValue, type Value } from '@mg/engine';
import type { Viz } from '@viz-js/viz';
import { drawDot, type DotOptions } from './dot.js';

// Graphviz compiled to WebAssembly is a 1.2 MB module: it is loaded on the first render, not on
// import, so `toDot` and `graphStats` stay light. One instance serves every later render.
let viz: Promise<Viz> | undefined;

function graphviz(): Promise<Viz> {
  viz ??= import('@viz-js/viz').then(
    (module) => module.instance(),
    (error: unknown) => {
      viz = undefined;
      throw new Error(`toSvg: could not load @viz-js/viz (${String(error)})`, { cause: error });
    },
  );
  return viz;
}

/**
 * Renders a graph to SVG with Graphviz compiled to WebAssembly (`@viz-js/viz`): no system
 * Graphviz needed, the same in Node and in browsers. Graphviz is loaded on the first call.
 *
 * @param root - a value, drawn with {@link toDot} and `options`
 * @param options - the {@link toDot} options
 * @returns the SVG document as a string
 * @throws TypeError for a bad argument; RangeError as {@link toDot} does (a graph over `maxNodes`),
 *   naming `toSvg`, and for a `highlight` colour Graphviz does not know; SyntaxError, quoting
 *   Graphviz, when the DOT cannot be rendered or Graphviz crashes on it
 *
 * @example
 * ```ts
 * const x = new Value(2, 'x');
 * const y = x.tanh();
 * y.backward();
 * const svg = await toSvg(y, { rankdir: 'TB' });
 * console.log(svg.slice(svg.indexOf('<svg'), svg.indexOf(' ', svg.indexOf('<svg')))); // <svg
 * ```
 */
export function toSvg(root: Value, options?: DotOptions): Promise<string>;
/**
 * Renders DOT source (from {@link toDot}, or any other) to SVG.
 *
 * @param dot - Graphviz DOT source
 * @returns the SVG document as a string
 * @throws SyntaxError, quoting Graphviz, when the DOT is invalid or Graphviz crashes on it
 */
export function toSvg(dot: string): Promise<string>;
export async function toSvg(input: Value | string, options?: DotOptions): Promise<string> {
  let dot: string;
  if (typeof input === 'string') {
    if (options !== undefined) {
      throw new TypeError('toSvg: options apply when drawing a Value; a DOT string is rendered as it is');
    }
    dot = input;
  } else {
    dot = drawDot(checkValue(input, 'toSvg: input', 'a Value or a DOT string'), options, 'toSvg');
  }

  const loaded = graphviz();
  const renderer = await loaded;
  let result: ReturnType<Viz['render']>;
  try {
    result = renderer.render(dot, { format: 'svg' });
  } catch (error) {
    // Graphviz crashed inside WebAssembly (a RuntimeError such as "table index is out of
    // bounds"): its memory may be left inconsistent, so the next render gets a fresh instance.
    if (viz === loaded) viz = undefined;
    throw new SyntaxError(
      `toSvg: Graphviz could not render the DOT: it crashed (${String(error)}) (DOT starts ${JSON.stringify(startOf(dot))})`,
      { cause: error },
    );
  }
  if (result.status !== 'success' || result.output.trim() === '') {
    const messages = result.errors.filter((e) => e.level !== 'warning').map((e) => e.message);
    const reason = messages.length > 0 ? messages.join('; ') : 'no graph in the input';
    throw new SyntaxError(
      `toSvg: Graphviz could not render the DOT: ${reason} (DOT starts ${JSON.stringify(startOf(dot))})`,
    );
  }
  if (typeof input !== 'string') refuseUnknownColors(result.errors);
  return result.output;
}

/**
 * A fill colour Graphviz does not know is drawn black, hiding the label, with only a warning: when
 * drawing a Value, the colour came from `options.highlight`, which is refused instead.
 */
function refuseUnknownColors(messages: readonly { message: string }[]): void {
  for (const { message } of messages) {
    const unknown = /^(.*) is not a known color\.$/.exec(message.trim());
    if (unknown === null) continue;
    throw new RangeError(
      `toSvg: options.highlight returned ${JSON.stringify(unknown[1])}, which Graphviz does not know as a colour (use a name such as "lightblue", or "#rrggbb")`,
    );
  }
}

/** The first 60 characters of `dot`, for an error message. */
function startOf(dot: string): string {
  return dot.length > 60 ? `${dot.slice(0, 60)}...` : dot;
}
