import type { Value } from '@mg/engine';

/**
 * How to fill value nodes: `'none'`; `'grad'`, blue for a positive gradient and red for a
 * negative one, stronger the larger `|grad|` is next to the largest finite `|grad|` drawn (a zero
 * gradient stays white, an infinite one is drawn at full strength, NaN grey); or a function
 * returning a Graphviz colour (`'gold'`, `'#ffcc00'`) for a value, or `undefined` to leave it white.
 */
export type Highlight = 'none' | 'grad' | ((value: Value) => string | undefined);

const POSITIVE = '#2f7fd8';
const NEGATIVE = '#d8432f';
const NOT_A_NUMBER = '#b0b0b0';

/** The fill colour of each value under `highlight`, `undefined` for no fill. */
export function fillColors(values: readonly Value[], highlight: Highlight): (string | undefined)[] {
  if (highlight === 'none') return values.map(() => undefined);
  if (typeof highlight === 'function') return values.map((v) => highlight(v));
  // Gradients are plain fields a user may set to anything: the largest is taken over finite
  // ones, so one Infinity or NaN cannot turn every other strength into NaN.
  let max = 0;
  for (const v of values) if (Number.isFinite(v.grad)) max = Math.max(max, Math.abs(v.grad));
  return values.map((v) => {
    const g = v.grad;
    if (g === 0) return undefined;
    if (Number.isNaN(g)) return NOT_A_NUMBER;
    const share = Number.isFinite(g) ? Math.abs(g) / max : 1;
    // Never fully opaque, so black text stays readable; never invisible, so the sign shows.
    const alpha = Math.round(255 * (0.15 + 0.6 * share));
    return `${g > 0 ? POSITIVE : NEGATIVE}${alpha.toString(16).padStart(2, '0')}`;
  });
}
