import type { Value } from '@mg/engine';

/**
 * How to fill value nodes: `'none'`; `'grad'`, blue for a positive gradient and red for a
 * negative one, stronger the larger `|grad|` is next to the largest `|grad|` drawn (a zero
 * gradient stays white); or a function returning a Graphviz colour (`'gold'`, `'#ffcc00'`) for a
 * value, or `undefined` to leave it white.
 */
export type Highlight = 'none' | 'grad' | ((value: Value) => string | undefined);

const POSITIVE = '#2f7fd8';
const NEGATIVE = '#d8432f';

/** The fill colour of each value under `highlight`, `undefined` for no fill. */
export function fillColors(values: readonly Value[], highlight: Highlight): (string | undefined)[] {
  if (highlight === 'none') return values.map(() => undefined);
  if (typeof highlight === 'function') return values.map((v) => highlight(v));
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v.grad));
  return values.map((v) => {
    if (v.grad === 0) return undefined;
    // Never fully opaque, so black text stays readable; never invisible, so the sign shows.
    const alpha = Math.round(255 * (0.15 + 0.6 * (Math.abs(v.grad) / max)));
    return `${v.grad > 0 ? POSITIVE : NEGATIVE}${alpha.toString(16).padStart(2, '0')}`;
  });
}
