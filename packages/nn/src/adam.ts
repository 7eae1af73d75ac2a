import { checkOptions, describeInput, type Value } from '@mg/engine';
import { Optimizer, checkFlag, checkRate, checkUnit, type StateSlot } from './optimizer.js';
import { numberAt } from './at.js';

/** Options for {@link Adam} and {@link AdamW}; names and defaults are PyTorch's. */
export interface AdamOptions {
  /** Learning rate γ. Default 0.001. */
  lr?: number;
  /** Decay rates (β1, β2) of the first and second moment estimates. Default `[0.9, 0.999]`. */
  betas?: readonly [number, number];
  /** ε added to the denominator. Default 1e-8. */
  eps?: number;
  /** Weight decay λ: an L2 term `λθ` in the gradient for Adam, a decoupled `θ -= γλθ` for AdamW. Default 0 (Adam), 0.01 (AdamW). */
  weightDecay?: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  amsgrad?: boolean;
}

/**
 * Adam, with PyTorch's documented update: `g = ∇ + λθ`; `m = β1 m + (1 - β1) g`;
 * `v = β2 v + (1 - β2) g²`; `θ = θ - (γ / (1 - β1^t)) · m / (√v / √(1 - β2^t) + ε)`
 * (the bias-corrected `γ m̂ / (√v̂ + ε)`, with ε where PyTorch puts it).
 *
 * @example
 * ```ts
 * import { Adam, MLP, mseLoss } from '@mg/nn';
 *
 * const model = new MLP(2, [4, 1], { seed: 1 });
 * const opt = new Adam(model.parameters(), { lr: 0.01 });
 * const before = mseLoss(model.forward([1, 2]), [0.5]);
 * opt.zeroGrad();
 * before.backward();
 * opt.step();
 * console.log(mseLoss(model.forward([1, 2]), [0.5]).data < before.data); // true
 * ```
 */
export class Adam extends Optimizer {
  /** β1 and β2. */
  readonly betas: readonly [number, number];
  /** ε. */
  readonly eps: number;
  /** λ. */
  readonly weightDecay: number;
  /** Whether AMSGrad is on. */
  readonly amsgrad: boolean;
  private readonly decoupled: boolean;
  private readonly m: StateSlot;
  private readonly v: StateSlot;
  private readonly vMax: StateSlot | null;

  /**
   * @param params - the Values to update
   * @param options - learning rate, betas, eps, weight decay, AMSGrad
   * @throws TypeError for options that are not an object or hold an unknown key; RangeError for an option out of range
   */
  constructor(params: readonly Value[], options: AdamOptions = {}) {
    const where = new.target === AdamW ? 'AdamW' : 'Adam';
    const given = checkOptions(options, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'], `new ${where}`);
    super(params, given.lr ?? 0.001, where);
    this.decoupled = new.target === AdamW;
    const betas: unknown = given.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new TypeError(`new ${where}: betas must be a pair [β1, β2], got ${describeInput(betas)}`);
    }
    this.betas = [
      checkUnit(betas[0], `new ${where}: betas[0]`),
      checkUnit(betas[1], `new ${where}: betas[1]`),
    ];
    this.eps = checkRate(given.eps ?? 1e-8, `new ${where}: eps`);
    this.weightDecay = checkRate(
      given.weightDecay ?? (this.decoupled ? 0.01 : 0),
      `new ${where}: weightDecay`,
    );
    this.amsgrad = checkFlag(given.amsgrad ?? false, `new ${where}: amsgrad`);
    this.m = this.slot('m (first moment)');
    this.v = this.slot('v (second moment)');
    this.vMax = this.amsgrad ? this.slot('max v (AMSGrad)') : null;
  }

  protected update(i: number, x: number, grad: number, t: number, lr: number): number {
    return adamUpdate(this.constants(t, lr), this.m, this.v, this.vMax, i, x, grad);
  }

  /** Every parameter's update in one loop, with the step's constants worked out once. */
  protected override updateAll(
    x: Float64Array,
    g: Float64Array,
    t: number,
    lr: number,
    next: Float64Array,
  ): void {
    const c = this.constants(t, lr);
    const { m, v, vMax } = this;
    for (let i = 0; i < next.length; i++)
      next[i] = adamUpdate(c, m, v, vMax, i, numberAt(x, i), numberAt(g, i));
  }

  /** The numbers of step `t` that every parameter's update uses: the same for each of them. */
  private constants(t: number, lr: number): AdamConstants {
    const [b1, b2] = this.betas;
    const wd = this.weightDecay;
    return {
      b1,
      b2,
      eps: this.eps,
      wd,
      decoupled: this.decoupled,
      shrink: 1 - lr * wd,
      c2: Math.sqrt(1 - b2 ** t),
      size: lr / (1 - b1 ** t),
    };
  }
}

/** What {@link adamUpdate} needs of a step: the options, and the bias corrections of step `t`. */
interface AdamConstants {
  readonly b1: number;
  readonly b2: number;
  readonly eps: number;
  readonly wd: number;
  readonly decoupled: boolean;
  /** AdamW's `1 - γλ`. */
  readonly shrink: number;
  /** `√(1 - β2^t)`. */
  readonly c2: number;
  /** `γ / (1 - β1^t)`. */
  readonly size: number;
}

/**
 * Parameter `i`'s new value (and its moments' new numbers, into the slots' `next`), in PyTorch's
 * order of operations: the step's constants are the numbers it would compute per parameter.
 */
function adamUpdate(
  c: AdamConstants,
  mSlot: StateSlot,
  vSlot: StateSlot,
  vMax: StateSlot | null,
  i: number,
  x: number,
  grad: number,
): number {
  let g = grad;
  if (c.wd !== 0) {
    if (c.decoupled) x = x * c.shrink;
    else g = g + c.wd * x;
  }
  const m = c.b1 * numberAt(mSlot.current, i) + (1 - c.b1) * g;
  const v = c.b2 * numberAt(vSlot.current, i) + (1 - c.b2) * g * g;
  mSlot.next[i] = m;
  vSlot.next[i] = v;
  let vHat = v;
  if (vMax !== null) vHat = vMax.next[i] = Math.max(numberAt(vMax.current, i), v);
  const denom = Math.sqrt(vHat) / c.c2 + c.eps;
  return x - c.size * (m / denom);
}

/**
 * AdamW: Adam with decoupled weight decay, PyTorch's rule: first `θ = θ(1 - γλ)`, then the
 * Adam step without λ in the gradient. Default `weightDecay` 0.01.
 *
 * @example
 * ```ts
 * import { AdamW, MLP } from '@mg/nn';
 *
 * const model = new MLP(2, [4, 1], { seed: 1 });
 * const opt = new AdamW(model.parameters(), { lr: 0.01, weightDecay: 0.05 });
 * console.log(opt.weightDecay, opt.betas); // 0.05 [ 0.9, 0.999 ]
 * ```
 */
export class AdamW extends Adam {
  /**
   * @param params - the Values to update
   * @param options - learning rate, betas, eps, weight decay (default 0.01), AMSGrad
   * @throws RangeError for an option out of range
   */
  constructor(params: readonly Value[], options: AdamOptions = {}) {
    super(params, options);
  }
}
