// How a hidden neuron's output becomes the colours of its picture: each activation's range is
// put on the same scale, blue for its low end, white, orange for its high end, so the note's
// "orange: high, blue: low" holds for ReLU and sigmoid (whose outputs are never below 0) as it
// does for tanh.
import type { Activation } from '@mg/nn';

/** A ReLU neuron's 0 (inactive: no gradient flows) on the colour scale: a pale blue. */
export const INACTIVE = -0.5;

/** An activation's middle, shown white: 0.5 for sigmoid, 0 for tanh and linear. */
function middle(activation: Activation): number {
  return activation === 'sigmoid' ? 0.5 : 0;
}

/**
 * One neuron's outputs on the colour scale [-1, 1] (blue low, white, orange high), into `out`:
 *
 * - tanh (and linear): `v / max |v|`, white at 0;
 * - sigmoid: `(v - 0.5) / max |v - 0.5|`, white at its midpoint 0.5;
 * - ReLU, whose outputs are never below 0: from {@link INACTIVE} (pale blue) at 0, where the
 *   neuron is inactive, in step with the output up to orange at its largest.
 *
 * @returns `out`
 */
export function scaleOutputs(
  values: ArrayLike<number>,
  activation: Activation,
  out: Float32Array,
): Float32Array {
  const relu = activation === 'relu';
  const mid = middle(activation);
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs((values[i] ?? mid) - mid));
  const scale = max === 0 ? 0 : 1 / max;
  for (let i = 0; i < values.length; i++) {
    const t = ((values[i] ?? mid) - mid) * scale;
    out[i] = relu ? INACTIVE + (1 - INACTIVE) * Math.max(0, t) : t;
  }
  return out;
}

/**
 * The activation that hidden outputs `neurons` (all of a network's, over the plane) most likely
 * come from, for a page that did not say: negative outputs are tanh's, exact zeros or outputs
 * over 1 ReLU's, anything else sigmoid's.
 */
export function inferActivation(neurons: ArrayLike<number>): Activation {
  let zero = false;
  let over = false;
  for (let i = 0; i < neurons.length; i++) {
    const v = neurons[i] ?? 0;
    if (v < 0) return 'tanh';
    zero ||= v === 0;
    over ||= v > 1;
  }
  return zero || over || neurons.length === 0 ? 'relu' : 'sigmoid';
}

/** What the neuron pictures' colours mean: a bar of the scale from `from` to `to`, its ends named. */
export interface ColourKey {
  /** The activation's name. */
  name: string;
  from: number;
  to: number;
  low: string;
  high: string;
  /** What white is, and how outputs are scaled. */
  note: string;
}

/** What the neuron pictures' colours mean under `activation`. */
export function colourKey(activation: Activation): ColourKey {
  const own = 'each neuron on its own scale';
  switch (activation) {
    case 'relu':
      return { name: 'ReLU', from: INACTIVE, to: 1, low: '0, inactive', high: 'largest output', note: own };
    case 'sigmoid':
      return {
        name: 'sigmoid',
        from: -1,
        to: 1,
        low: 'below 0.5',
        high: 'above',
        note: `white is 0.5; ${own}`,
      };
    case 'tanh':
    case 'linear':
      return { name: activation, from: -1, to: 1, low: 'below 0', high: 'above', note: `white is 0; ${own}` };
  }
}
