import { checkValue, describeInput, getData, isAllFinite, setData, type Value } from '@mg/engine';
import { at, numberAt, outside } from './at.js';

/**
 * One number of optimizer state per parameter (Adam's moments, SGD's momentum buffer). A step
 * writes the new numbers to `next`; they replace `current` only when the whole step succeeded.
 */
export interface StateSlot {
  /** The name error messages use (`'v, Adam's second moment'`). */
  readonly name: string;
  /** The state the last successful step left. */
  readonly current: Float64Array;
  /** The state the step in progress computes. */
  readonly next: Float64Array;
}

/**
 * What every optimizer shares: the parameters it updates, a settable learning rate, and
 * `zeroGrad()`. Subclasses compute each parameter's new value in {@link Optimizer.update} and
 * keep their per-parameter state in slots made by {@link Optimizer.slot}.
 *
 * A step is all or nothing: every new value and every new number of state is computed first and
 * written only when all of them are finite. Otherwise the step throws a RangeError naming the
 * parameter (index and label) and the number that was not finite, and the parameters, the state
 * and the step count are exactly as before.
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { SGD } from '@mg/nn';
 *
 * const w = new Value(1, { label: 'w' });
 * const opt = new SGD([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.mul(w).backward(); // d(w²)/dw = 2
 * opt.step();
 * console.log(w.data, opt.steps); // 0.8 1
 * ```
 */
export abstract class Optimizer {
  /** The parameters, in the order given. */
  readonly params: readonly Value[];
  private learningRate: number;
  /** The parameters' values, their gradients and their new values during a step. */
  private readonly x: Float64Array;
  private readonly g: Float64Array;
  private readonly next: Float64Array;
  private readonly slots: StateSlot[] = [];
  private readonly name: string;
  private taken = 0;

  /**
   * @param params - the Values to update (usually `model.parameters()`)
   * @param lr - the learning rate
   * @param where - the optimizer's name, for error messages
   * @throws TypeError when `params` holds something other than Values; RangeError when it is empty or lists a Value twice, or for a bad `lr`
   */
  protected constructor(params: readonly Value[], lr: unknown, where: string) {
    this.params = checkParams(params, `new ${where}`);
    this.learningRate = checkRate(lr, `new ${where}: lr`);
    this.x = new Float64Array(this.params.length);
    this.g = new Float64Array(this.params.length);
    this.next = new Float64Array(this.params.length);
    this.name = where;
  }

  /** Steps taken so far (Adam's `t`). */
  get steps(): number {
    return this.taken;
  }

  /** The learning rate; set it between steps for a schedule (e.g. `1.0 - 0.9 * k / 100`). */
  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = checkRate(value, `${this.name}.lr`);
  }

  /**
   * Updates every parameter from its `grad`.
   *
   * @throws RangeError naming the parameter and the number when a new value or a new number of
   *   state would not be finite; nothing changes then
   */
  step(): void {
    const { params, x, g, next, slots } = this;
    const t = this.taken + 1;
    getData(params, x);
    readGradients(params, g);
    this.updateAll(x, g, t, this.learningRate, next);
    if (!isAllFinite(next) || !slots.every((s) => isAllFinite(s.next))) this.refuse();
    for (const slot of slots) slot.current.set(slot.next);
    setData(params, next);
    this.taken = t;
  }

  /** Sets every parameter's `grad` to 0. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = 0;
  }

  /**
   * A new slot of per-parameter state, all zeros, checked and stored by {@link Optimizer.step}.
   * Every call of {@link Optimizer.update} must write its parameter's entry of each slot's `next`.
   *
   * @param name - what error messages call it
   */
  protected slot(name: string): StateSlot {
    const slot = {
      name,
      current: new Float64Array(this.params.length),
      next: new Float64Array(this.params.length),
    };
    this.slots.push(slot);
    return slot;
  }

  /**
   * The new value of parameter `i`; writes any state it updates to its slots' `next` arrays.
   *
   * @param i - the parameter's index
   * @param x - its value
   * @param g - its gradient
   * @param t - the step number, from 1
   * @param lr - the learning rate ({@link Optimizer.lr}), passed so the loop reads it once
   * @returns the new value
   */
  protected abstract update(i: number, x: number, g: number, t: number, lr: number): number;

  /**
   * Every parameter's new value into `next` (and its new state into the slots' `next` arrays),
   * by {@link Optimizer.update} per parameter. An optimizer may compute them in one loop over
   * the arrays instead, with the same operations in the same order: a step calls this once, and
   * V8 optimises a small loop within a few steps where a call per parameter costs more until then.
   *
   * @param x - the parameters' values
   * @param g - their gradients
   * @param t - the step number, from 1
   * @param lr - the learning rate
   * @param next - where the new values go
   */
  protected updateAll(x: Float64Array, g: Float64Array, t: number, lr: number, next: Float64Array): void {
    for (let i = 0; i < next.length; i++) next[i] = this.update(i, numberAt(x, i), numberAt(g, i), t, lr);
  }

  /** Refuses the step: names the first parameter whose new value or state is not finite. */
  private refuse(): never {
    const notFinite = (X: Float64Array): number => {
      const i = X.findIndex((v) => !Number.isFinite(v));
      return i < 0 ? X.length : i;
    };
    const i = Math.min(notFinite(this.next), ...this.slots.map((s) => notFinite(s.next)));
    const x = numberAt(this.next, i);
    const slot = this.slots.find((s) => !Number.isFinite(numberAt(s.next, i)));
    const [what, bad] =
      !Number.isFinite(x) || slot === undefined ? ['its value', x] : [slot.name, numberAt(slot.next, i)];
    const p = at(this.params, i);
    const label = p.label === '' ? '' : ` ${JSON.stringify(p.label)}`;
    throw new RangeError(
      `${this.name}.step: parameter ${i}${label} (value ${p.data}, grad ${p.grad}) would make ${what} ${bad}; nothing was updated`,
    );
  }
}

/** Throws unless `x` is a finite number >= 0: a TypeError for a non-number, else a RangeError. */
export function checkRate(x: unknown, what: string): number {
  if (typeof x !== 'number')
    throw new TypeError(`${what} must be a finite number >= 0, got ${describeInput(x)}`);
  if (!Number.isFinite(x) || x < 0) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${x}`);
  }
  return x;
}

/** Throws unless `x` is a number in [0, 1): a TypeError for a non-number, else a RangeError. */
export function checkUnit(x: unknown, what: string): number {
  if (typeof x !== 'number')
    throw new TypeError(`${what} must be a number in [0, 1), got ${describeInput(x)}`);
  if (!(x >= 0 && x < 1)) {
    throw new RangeError(`${what} must be a number in [0, 1), got ${x}`);
  }
  return x;
}

/** Throws a TypeError unless `x` is a boolean. */
export function checkFlag(x: unknown, what: string): boolean {
  if (typeof x !== 'boolean') throw new TypeError(`${what} must be true or false, got ${describeInput(x)}`);
  return x;
}

function checkParams(params: unknown, where: string): readonly Value[] {
  if (!Array.isArray(params))
    throw new TypeError(`${where}: params must be an array of Values, got ${describeInput(params)}`);
  if (params.length === 0) {
    // As PyTorch refuses it: a step would silently train nothing.
    throw new RangeError(
      `${where}: params is an empty array; pass the Values to update (say model.parameters())`,
    );
  }
  const values: Value[] = [];
  const seen = new Map<Value, number>();
  for (let i = 0; i < params.length; i++) {
    // checkValue also explains a Value from a second loaded copy of @mg/engine.
    const p = checkValue(params[i], `${where}: params[${i}]`);
    const first = seen.get(p);
    if (first !== undefined) {
      // PyTorch warns and updates such a parameter twice; one update was silently different.
      throw new RangeError(
        `${where}: params[${i}] is the same Value as params[${first}]; list each parameter once`,
      );
    }
    seen.set(p, i);
    values.push(p);
  }
  // Frozen: every buffer of a step is sized to this list, so it cannot grow under the optimizer.
  return Object.freeze(values);
}

// A step's loops over the parameters are small functions of their own, which V8 optimises after a
// few steps (a loop inside `step` waits until all of `step` is optimised). The values are read and
// written by the engine's getData and setData, which skip the `data` accessor's call per parameter.

/** Each parameter's gradient into `g`. */
function readGradients(params: readonly Value[], g: Float64Array): void {
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === undefined) throw outside(params, i);
    g[i] = p.grad;
  }
}
