import type { Value } from '@mg/engine';
import { Optimizer, checkRate, checkUnit } from './optimizer.js';

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
 * const opt = new Adam(model.parameters(), { lr: 0.01 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
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
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly vMax: Float64Array;
  private readonly staged: Float64Array;

  /**
   * @param params - the Values to update
   * @param options - learning rate, betas, eps, weight decay, AMSGrad
   * @throws RangeError for an option out of range
   */
  constructor(params: readonly Value[], options: AdamOptions = {}) {
    super(params, options.lr ?? 0.001, new.target === AdamW ? 'AdamW' : 'Adam');
    const where = new.target === AdamW ? 'AdamW' : 'Adam';
    this.decoupled = new.target === AdamW;
    const [b1, b2] = options.betas ?? [0.9, 0.999];
    this.betas = [checkUnit(b1, `${where}: betas[0]`), checkUnit(b2, `${where}: betas[1]`)];
    this.eps = checkRate(options.eps ?? 1e-8, `${where}: eps`);
    this.weightDecay = checkRate(options.weightDecay ?? (this.decoupled ? 0.01 : 0), `${where}: weightDecay`);
    this.amsgrad = options.amsgrad ?? false;
    const n = params.length;
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
    this.vMax = new Float64Array(n);
    this.staged = new Float64Array(3 * n);
  }

  protected update(i: number, x: number, grad: number, t: number): number {
    const { lr, weightDecay: wd, eps } = this;
    const [b1, b2] = this.betas;
    let g = grad;
    if (wd !== 0) {
      if (this.decoupled) x = x * (1 - lr * wd);
      else g = g + wd * x;
    }
    const m = b1 * this.m[i]! + (1 - b1) * g;
    const v = b2 * this.v[i]! + (1 - b2) * g * g;
    const vHat = this.amsgrad ? Math.max(this.vMax[i]!, v) : v;
    const n = this.m.length;
    this.staged[i] = m;
    this.staged[n + i] = v;
    this.staged[2 * n + i] = vHat;
    const denom = Math.sqrt(vHat) / Math.sqrt(1 - b2 ** t) + eps;
    return x - (lr / (1 - b1 ** t)) * (m / denom);
  }

  protected commit(): void {
    const n = this.m.length;
    this.m.set(this.staged.subarray(0, n));
    this.v.set(this.staged.subarray(n, 2 * n));
    this.vMax.set(this.staged.subarray(2 * n));
  }
}

/**
 * AdamW: Adam with decoupled weight decay, PyTorch's rule: first `θ = θ(1 - γλ)`, then the
 * Adam step without λ in the gradient. Default `weightDecay` 0.01.
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { lr: 0.01, weightDecay: 0.05 });
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
