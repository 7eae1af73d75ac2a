import { Value } from '@mg/engine';

/**
 * What every optimizer shares: the parameters it updates, a settable learning rate, and
 * `zeroGrad()`. Subclasses compute each parameter's new value in {@link Optimizer.update}.
 *
 * A step is all or nothing: new values and new optimizer state are computed first and only
 * written when every one of them is finite, so a NaN or infinite gradient throws and leaves
 * both the parameters and the optimizer as they were.
 *
 * @example
 * ```ts
 * const opt: Optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * opt.steps; // 1
 * ```
 */
export abstract class Optimizer {
  /** The parameters, in the order given. */
  readonly params: readonly Value[];
  private learningRate: number;
  private readonly next: Float64Array;
  private readonly name: string;
  private taken = 0;

  /**
   * @param params - the Values to update (usually `model.parameters()`)
   * @param lr - the learning rate
   * @param where - the optimizer's name, for error messages
   * @throws TypeError when `params` holds something other than Values; RangeError for a bad `lr`
   */
  protected constructor(params: readonly Value[], lr: number, where: string) {
    this.params = checkParams(params, where);
    this.learningRate = checkRate(lr, `${where}: lr`);
    this.next = new Float64Array(params.length);
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
    this.learningRate = checkRate(value, 'Optimizer.lr');
  }

  /**
   * Updates every parameter from its `grad`.
   *
   * @throws RangeError naming the parameter when a gradient or result is not finite; nothing changes then
   */
  step(): void {
    const { params, next } = this;
    const t = this.taken + 1;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const x = this.update(i, p.data, p.grad, t);
      if (!(x - x === 0)) {
        throw new RangeError(
          `${this.name}.step: parameter ${i} would become ${x} (value ${p.data}, grad ${p.grad}); nothing was updated`,
        );
      }
      next[i] = x;
    }
    this.commit();
    for (let i = 0; i < params.length; i++) params[i]!.data = next[i]!;
    this.taken = t;
  }

  /** Sets every parameter's `grad` to 0. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = 0;
  }

  /**
   * The new value of parameter `i`; stages (does not yet store) any state it updates.
   *
   * @param i - the parameter's index
   * @param x - its value
   * @param g - its gradient
   * @param t - the step number, from 1
   * @returns the new value
   */
  protected abstract update(i: number, x: number, g: number, t: number): number;

  /** Stores the state staged by `update` during a step that succeeded. */
  protected abstract commit(): void;
}

/** Throws a RangeError unless `x` is a finite number >= 0. */
export function checkRate(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${String(x)}`);
  }
  return x;
}

/** Throws a RangeError unless `x` is a number in [0, 1). */
export function checkUnit(x: unknown, what: string): number {
  if (typeof x !== 'number' || !(x >= 0 && x < 1)) {
    throw new RangeError(`${what} must be a number in [0, 1), got ${String(x)}`);
  }
  return x;
}

function checkParams(params: unknown, where: string): Value[] {
  if (!Array.isArray(params)) throw new TypeError(`${where}: params must be an array of Values`);
  return params.map((p: unknown, i) => {
    if (!(p instanceof Value)) throw new TypeError(`${where}: params[${i}] is not a Value`);
    return p;
  });
}
