import { Value } from './value.js';
import { gradientsOf } from './graph.js';
import { checkData, checkOptions, checkValue, describe, isArray } from './errors.js';
import { at } from './at.js';

/** Options for {@link gradcheck}. */
export interface GradcheckOptions {
  /** Central-difference step, scaled by `max(1, |x|)`: a finite number above 0. Default `1e-6`. */
  eps?: number;
  /** Relative tolerance: a finite number, 0 or more. Default `1e-5`. */
  rtol?: number;
  /** Absolute tolerance: a finite number, 0 or more. Default `1e-7`. */
  atol?: number;
}

const OPTION_KEYS = ['eps', 'rtol', 'atol'] as const;

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
 * from back-propagation with `(f(x + h e_i) - f(x - h e_i)) / 2h`. Changes no `grad`: Values
 * that `fn` captures keep theirs.
 *
 * @param fn - builds the output from fresh leaf values, one per input
 * @param inputs - the point at which to check
 * @param options - step and tolerances
 * @returns per-input analytic and numeric gradients, their relative error and a verdict
 * @throws TypeError when `fn` is not a function or does not return a Value, `inputs` is not an
 *   array of numbers, or an option is unknown or not a number; RangeError for an infinite input,
 *   `eps` not above 0 or a negative tolerance, and for a probe `x ± h` that is not finite or at
 *   which `fn` throws a RangeError (a step outside its domain, such as `log` near 0: the
 *   message names the probe and suggests a smaller `eps`)
 *
 * @example
 * ```ts
 * const r = gradcheck(([x, y]) => x.mul(y).tanh(), [0.3, -1.2]);
 * console.log(r.ok); // true
 * ```
 */
export function gradcheck(
  fn: (inputs: Value[]) => Value,
  inputs: readonly number[],
  options: GradcheckOptions = {},
): GradcheckResult {
  if (typeof fn !== 'function') throw new TypeError(`gradcheck: fn must be a function, got ${describe(fn)}`);
  if (!isArray(inputs)) {
    throw new TypeError(`gradcheck: inputs must be an array of numbers, got ${describe(inputs)}`);
  }
  // An indexed loop: forEach would skip a hole (`[1, , 2]`).
  for (let i = 0; i < inputs.length; i++) checkData(inputs[i], `gradcheck: inputs[${i}]`);
  const o = checkOptions(options, OPTION_KEYS, 'gradcheck');
  const eps = numberOption(o.eps, 'eps', 1e-6, 'above 0');
  const rtol = numberOption(o.rtol, 'rtol', 1e-5, '0 or more');
  const atol = numberOption(o.atol, 'atol', 1e-7, '0 or more');
  const output = (leaves: Value[]) => checkValue(fn(leaves), 'gradcheck: the result of fn');
  const evaluate = (xs: readonly number[]) => output(xs.map((x) => new Value(x)))._data;

  const leaves = inputs.map((x) => new Value(x));
  const gradients = gradientsOf(output(leaves), leaves);

  const entries = inputs.map((x, index): GradcheckEntry => {
    const h = eps * Math.max(1, Math.abs(x));
    const shifted = (d: number) => {
      const probe = x + d;
      const at = `inputs[${index}] ${d > 0 ? '+' : '-'} h`;
      if (!Number.isFinite(probe)) {
        throw new RangeError(
          `gradcheck: ${at} is not finite (inputs[${index}] = ${x}, h = ${h}): take a smaller options.eps`,
        );
      }
      try {
        return evaluate(inputs.map((v, j) => (j === index ? probe : v)));
      } catch (e) {
        // fn ran at the input itself, so the step took it where fn is not defined (log of a
        // negative, say): mg's ops say so with a RangeError.
        if (!(e instanceof RangeError)) throw e;
        const why = e.message;
        throw new RangeError(
          `gradcheck: fn failed at ${at} = ${probe} (h = ${h}), a step outside its domain: ${why}; take a smaller options.eps`,
          { cause: e },
        );
      }
    };
    const numeric = (shifted(h) - shifted(-h)) / (2 * h);
    const analytic = at(gradients, index);
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

/** A finite number option, `above 0` or `0 or more`; its default when not given. */
function numberOption(x: unknown, name: string, fallback: number, range: 'above 0' | '0 or more'): number {
  if (x === undefined) return fallback;
  if (typeof x !== 'number' || Number.isNaN(x)) {
    throw new TypeError(`gradcheck: options.${name} must be a number, got ${describe(x)}`);
  }
  if (!(x < Infinity && (range === 'above 0' ? x > 0 : x >= 0))) {
    throw new RangeError(`gradcheck: options.${name} must be a finite number ${range}, got ${describe(x)}`);
  }
  return x;
}
