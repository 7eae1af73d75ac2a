import { Value } from './value.js';
import { checkData } from './errors.js';

/** Options for {@link gradcheck}. */
export interface GradcheckOptions {
  /** Central-difference step, scaled by `max(1, |x|)`. Default `1e-6`. */
  eps?: number;
  /** Relative tolerance. Default `1e-5`. */
  rtol?: number;
  /** Absolute tolerance. Default `1e-7`. */
  atol?: number;
}

/** What {@link gradcheck} found for one input. */
export interface GradcheckEntry {
  /** Position of the input in the `inputs` array. */
  index: number;
  /** The gradient from `backward()`. */
  analytic: number;
  /** The central-difference estimate `(f(x + h) - f(x - h)) / 2h`. */
  numeric: number;
  /** `|analytic - numeric| / max(|analytic|, |numeric|)`, 0 when both are 0. */
  relativeError: number;
  /** Whether `|analytic - numeric| <= atol + rtol * |numeric|`. */
  ok: boolean;
}

/** The result of {@link gradcheck}. */
export interface GradcheckResult {
  /** True when every input passed. */
  ok: boolean;
  /** The largest relative error over all inputs. */
  worstRelativeError: number;
  /** One entry per input. */
  inputs: GradcheckEntry[];
}

/**
 * Checks `backward()` against central differences: for each input, compares d f / d x_i
 * from back-propagation with `(f(x + h e_i) - f(x - h e_i)) / 2h`.
 *
 * @param fn - builds the output from fresh leaf values, one per input
 * @param inputs - the point at which to check
 * @param options - step and tolerances
 * @returns per-input analytic and numeric gradients, their relative error and a verdict
 *
 * @example
 * ```ts
 * const r = gradcheck(([x, y]) => x.mul(y).tanh(), [0.3, -1.2]);
 * r.ok; // true
 * ```
 */
export function gradcheck(
  fn: (inputs: Value[]) => Value,
  inputs: readonly number[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-6, rtol = 1e-5, atol = 1e-7 } = options;
  inputs.forEach((x, i) => {
    checkData(x, `gradcheck: inputs[${i}]`);
  });
  const evaluate = (xs: readonly number[]) => fn(xs.map((x) => new Value(x)))._data;

  const leaves = inputs.map((x) => new Value(x));
  fn(leaves).backward();

  const entries = inputs.map((x, index): GradcheckEntry => {
    const h = eps * Math.max(1, Math.abs(x));
    const shifted = (d: number) => evaluate(inputs.map((v, j) => (j === index ? v + d : v)));
    const numeric = (shifted(h) - shifted(-h)) / (2 * h);
    const analytic = leaves[index]!.grad;
    const diff = Math.abs(analytic - numeric);
    const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
    return {
      index,
      analytic,
      numeric,
      relativeError: scale === 0 ? 0 : diff / scale,
      ok: diff <= atol + rtol * Math.abs(numeric),
    };
  });
  return {
    ok: entries.every((e) => e.ok),
    worstRelativeError: Math.max(0, ...entries.map((e) => e.relativeError)),
    inputs: entries,
  };
}
