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
    const { weightDecay: wd, eps, vMax } = this;
    const [b1, b2] = this.betas;
    let g = grad;
    if (wd !== 0) {
      if (this.decoupled) x = x * (1 - lr * wd);
      else g = g + wd * x;
    }
    const m = b1 * numberAt(this.m.current, i) + (1 - b1) * g;
    const v = b2 * numberAt(this.v.current, i) + (1 - b2) * g * g;
    this.m.next[i] = m;
    this.v.next[i] = v;
    let vHat = v;
    if (vMax !== null) vHat = vMax.next[i] = Math.max(numberAt(vMax.current, i), v);
    const denom = Math.sqrt(vHat) / Math.sqrt(1 - b2 ** t) + eps;
    return x - (lr / (1 - b1 ** t)) * (m / denom);
  }
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
