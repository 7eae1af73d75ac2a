import {
  checkOptions,
  checkValue,
  describeInput as describe,
  topologicalOrder,
  type Value,
} from '@mg/engine';
import { escapeRecordField, quote, quoteLabel } from './escape.js';
import { fillColors, type Highlight } from './highlight.js';
import { opLabel } from './op-label.js';
import { breadthFirst, checkMaxNodes, nodesOf } from './traverse.js';

/** Options of {@link toDot} (and of {@link toSvg} when it draws a `Value`). */
export interface DotOptions {
  /** Layout direction: `'LR'` (left to right, as micrograd draws it) or `'TB'` (top to bottom). Default `'LR'`. */
  rankdir?: 'LR' | 'TB';
  /** Digits after the decimal point of `data` and `grad` (micrograd's `%.4f`, so -0 is `-0.0000`). An integer 0-100, default 4. */
  precision?: number;
  /** Formats `data` and `grad` instead of `precision` (give one or the other), e.g. `(x) => x.toExponential(2)`. */
  format?: (x: number) => string;
  /** Draw the `grad` field of each value. Default `true`. */
  showGrad?: boolean;
  /** A caption above the graph. */
  title?: string;
  /**
   * The most nodes (value nodes plus op nodes) to draw. Default 1000: past that a drawing is
   * unreadable and slow to lay out. `Infinity` draws any graph.
   */
  maxNodes?: number;
  /**
   * What a graph with more than `maxNodes` nodes gives: `'error'` (default) throws a RangeError
   * as soon as the walk has found more than `maxNodes` nodes, without walking the rest; `'summary'`
   * draws the values nearest the root, in the same breadth-first order as the full drawing, and
   * one dashed "not drawn" node standing for the rest (a dashed edge from it for each operand
   * left out), `maxNodes` nodes at most, and counts the whole graph for that node's note.
   */
  overflow?: 'error' | 'summary';
  /** Fill value nodes by gradient or by a function of the value; see {@link Highlight}. Default `'none'`. */
  highlight?: Highlight;
}

const OPTION_KEYS = [
  'rankdir',
  'precision',
  'format',
  'showGrad',
  'title',
  'maxNodes',
  'overflow',
  'highlight',
] as const;

interface Resolved {
  rankdir: 'LR' | 'TB';
  format: (x: number) => string;
  showGrad: boolean;
  title: string | undefined;
  maxNodes: number;
  overflow: 'error' | 'summary';
  highlight: Highlight;
}

/**
 * The graph that computed `root` as Graphviz DOT, drawn the way micrograd's `draw_dot` draws it:
 * a record node `{ label | data 2.0000 | grad 0.0000 }` per value, a small node per op with an
 * edge to its result, and an edge from each operand to the op (two for `a + a`).
 *
 * Pure and deterministic: nodes are numbered in breadth-first order from the root (`v0` is the
 * root, `v0_op` the op that made it), so the same graph always gives the same text. The walk uses
 * a queue, never recursion, so any depth is fine.
 *
 * @param root - the value whose graph to draw, usually a loss after `backward()`
 * @param options - layout, number format, gradients, title, size cap and highlighting
 * @returns DOT source; render it with {@link toSvg} or any Graphviz
 * @throws TypeError if `root` is not a Value, an option is unknown or has the wrong type, or a
 *   drawn value's `grad` is not a number; RangeError for an out-of-range option, or when the graph
 *   has more than `maxNodes` nodes and `overflow` is `'error'`
 *
 * @example
 * ```ts
 * const a = new Value(2, 'a');
 * const b = a.mul(a);
 * b.label = 'b';
 * b.backward();
 * console.log(toDot(b));
 * // digraph {
 * //   graph [rankdir=LR];
 * //   v0 [shape=record, label="{ b | data 4.0000 | grad 1.0000 }"];
 * //   v0_op [label="*"];
 * //   v1 [shape=record, label="{ a | data 2.0000 | grad 4.0000 }"];
 * //   v1 -> v0_op;
 * //   v1 -> v0_op;
 * //   v0_op -> v0;
 * // }
 * ```
 */
export function toDot(root: Value, options?: DotOptions): string {
  return drawDot(checkValue(root, 'toDot: root'), options, 'toDot');
}

/** {@link toDot} for a checked root, with `where`, the function the user called, naming it in every error. */
export function drawDot(root: Value, options: DotOptions | undefined, where: string): string {
  const o = resolve(options, where);
  const { order, index, fits } = breadthFirst(root, o.maxNodes);

  let shown = order.length;
  let whole: { values: number; ops: number } | undefined;
  if (!fits) {
    if (o.overflow === 'error') {
      throw new RangeError(
        `${where}: the graph has more than maxNodes (${o.maxNodes}) nodes to draw; raise maxNodes (Infinity draws any graph), ` +
          `pass overflow: 'summary' to draw the ${o.maxNodes} nodes nearest the root, or see its size with graphStats(root)`,
      );
    }
    shown = 0;
    // The note for the rest is a node too.
    let nodes = 1;
    for (const v of order) {
      nodes += nodesOf(v);
      if (nodes > o.maxNodes) break;
      shown++;
    }
    whole = count(root);
  }

  const values = order.slice(0, shown);
  for (const v of values) {
    if (typeof v.grad !== 'number') {
      throw new TypeError(
        `${where}: the grad of every value drawn must be a number, got ${describe(v.grad)} (${v.toString()})`,
      );
    }
  }
  const fills = fillColors(values, o.highlight);
  const graph = [`rankdir=${o.rankdir}`];
  if (o.title !== undefined) graph.push(`label=${quoteLabel(o.title)}`, 'labelloc=t');
  const nodes: string[] = [];
  const edges: string[] = [];
  let opsShown = 0;

  values.forEach((v, i) => {
    const fields = [escapeRecordField(v.label), escapeRecordField(`data ${o.format(v.data)}`)];
    if (o.showGrad) fields.push(escapeRecordField(`grad ${o.format(v.grad)}`));
    const fill: unknown = fills[i];
    if (fill !== undefined && typeof fill !== 'string') {
      throw new TypeError(
        `${where}: highlight(${v.toString()}) must return a colour string or undefined, got ${describe(fill)}`,
      );
    }
    const style = fill === undefined ? '' : `, style=filled, fillcolor=${quote(fill)}`;
    nodes.push(`  v${i} [shape=record${style}, label="{ ${fields.join(' | ')} }"];`);
    if (v.op === '') return;
    nodes.push(`  v${i}_op [label=${quoteLabel(opLabel(v))}];`);
    opsShown++;
    for (const child of v.children) {
      // A walk that stopped at the cap may not have reached this operand: it is not drawn either way.
      const c = index.get(child) ?? shown;
      edges.push(c < shown ? `  v${c} -> v${i}_op;` : `  more -> v${i}_op [style=dashed];`);
    }
    edges.push(`  v${i}_op -> v${i};`);
  });

  if (whole !== undefined) {
    const hiddenValues = whole.values - shown;
    const hiddenOps = whole.ops - opsShown;
    const total = whole.values + whole.ops;
    const note = `${hiddenValues} more values and ${hiddenOps} more ops not drawn\n(maxNodes ${o.maxNodes}; the whole graph has ${total} nodes)`;
    nodes.push(`  more [shape=note, style=dashed, label=${quoteLabel(note)}];`);
  }

  return ['digraph {', `  graph [${graph.join(', ')}];`, ...nodes, ...edges, '}'].join('\n');
}

/** Values and ops of the whole graph, for the summary's note: a walk that makes nothing per value but the order. */
function count(root: Value): { values: number; ops: number } {
  const order = topologicalOrder(root);
  let ops = 0;
  for (const v of order) if (v.op !== '') ops++;
  return { values: order.length, ops };
}

// Options are checked as `unknown`: callers from JavaScript get a clear error, not a wrong drawing.
function resolve(options: DotOptions | undefined, where: string): Resolved {
  const o = checkOptions(options, OPTION_KEYS, where);
  const {
    rankdir = 'LR',
    precision,
    format,
    showGrad = true,
    title,
    maxNodes = 1000,
    overflow = 'error',
    highlight = 'none',
  } = o;
  if (rankdir !== 'LR' && rankdir !== 'TB') {
    throw new RangeError(`${where}: rankdir must be 'LR' or 'TB', got ${describe(rankdir)}`);
  }
  if (precision !== undefined && format !== undefined) {
    throw new TypeError(`${where}: give precision or format, not both`);
  }
  if (
    precision !== undefined &&
    !(typeof precision === 'number' && Number.isInteger(precision) && precision >= 0 && precision <= 100)
  ) {
    throw new (typeof precision === 'number' ? RangeError : TypeError)(
      `${where}: precision must be an integer from 0 to 100, got ${describe(precision)}`,
    );
  }
  if (format !== undefined && typeof format !== 'function') {
    throw new TypeError(`${where}: format must be a function (x: number) => string, got ${describe(format)}`);
  }
  if (typeof showGrad !== 'boolean') {
    throw new TypeError(`${where}: showGrad must be a boolean, got ${describe(showGrad)}`);
  }
  if (title !== undefined && typeof title !== 'string') {
    throw new TypeError(`${where}: title must be a string, got ${describe(title)}`);
  }
  checkMaxNodes(maxNodes, 3, where);
  if (overflow !== 'error' && overflow !== 'summary') {
    throw new RangeError(`${where}: overflow must be 'error' or 'summary', got ${describe(overflow)}`);
  }
  if (highlight !== 'none' && highlight !== 'grad' && typeof highlight !== 'function') {
    throw new RangeError(
      `${where}: highlight must be 'none', 'grad' or a function, got ${describe(highlight)}`,
    );
  }
  const digits = precision ?? 4;
  return {
    rankdir,
    format:
      format === undefined ? (x) => fixed(x, digits) : checkedFormat(format as (x: number) => string, where),
    showGrad,
    title,
    maxNodes,
    overflow,
    highlight: highlight as Highlight,
  };
}

/**
 * `x` with `digits` digits after the point, as Python's `'%.4f' % x` writes it: -0 keeps its sign
 * (`-0.0000`); an exact tie rounds to even (`0.03125` is `0.0312`, where `toFixed` rounds away
 * from zero); from 1e21 on every digit is written where `toFixed` switches to `1e+21` (such a
 * number is a whole number, so its digits are its `BigInt`'s); and NaN and the infinities are
 * `nan`, `inf` and `-inf`.
 */
function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return `-${(0).toFixed(digits)}`;
  if (Math.abs(x) >= 1e21) return digits === 0 ? BigInt(x).toString() : `${BigInt(x)}.${'0'.repeat(digits)}`;
  const sign = x < 0 ? '-' : '';
  const text = x.toFixed(digits);
  // A tie is x * 10^digits exactly halfway between two integers: then the product (exact, as
  // such an x is a short binary fraction) ends in .5; other products that end in .5 after
  // rounding are told apart by x's exact digits (toFixed's 100 digits hold them all here).
  const scaled = Math.abs(x) * 10 ** digits;
  if (scaled - Math.floor(scaled) !== 0.5) return text;
  const exact = Math.abs(x).toFixed(100);
  const end = exact.indexOf('.') + 1 + digits;
  if (!/^50*$/.test(exact.slice(end))) return text;
  const down = exact.slice(0, digits === 0 ? end - 1 : end);
  return Number(down.at(-1)) % 2 === 0 ? `${sign}${down}` : text;
}

function checkedFormat(format: (x: number) => string, where: string): (x: number) => string {
  return (x) => {
    const text: unknown = format(x);
    if (typeof text !== 'string') {
      throw new TypeError(`${where}: format(${x}) must return a string, got ${describe(text)}`);
    }
    return text;
  };
}
