import type { Value } from '@mg/engine';
import { Optimizer, checkRate, checkUnit } from './optimizer.js';

/** Options for {@link SGD}; the names and defaults are PyTorch's (`torch.optim.SGD`). */
export interface SGDOptions {
  /** Learning rate γ. */
  lr: number;
  /** Momentum factor μ in [0, 1). Default 0. */
  momentum?: number;
  /** Dampening τ of the momentum in [0, 1). Default 0. */
  dampening?: number;
  /** L2 penalty λ, added to the gradient as `λθ`. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs `momentum > 0` and `dampening = 0`). Default false. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with PyTorch's update rule: `g = ∇ + λθ`; with momentum,
 * `b = g` on the first step and `b = μb + (1 - τ)g` after, then `g = b` (or `g + μb` for
 * Nesterov); finally `θ = θ - γg`.
 *
 * With the defaults one step is micrograd's `p.data -= learning_rate * p.grad`, bit for bit.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 1.0 });
 * for (let k = 0; k < 100; k++) {
 *   const loss = lossOf(model);   // any Value
 *   opt.zeroGrad();
 *   loss.backward();
 *   opt.lr = 1.0 - (0.9 * k) / 100;
 *   opt.step();
 * }
 * ```
 */
export class SGD extends Optimizer {
  /** The momentum factor μ. */
  readonly momentum: number;
  /** The momentum dampening τ. */
  readonly dampening: number;
  /** The L2 penalty λ. */
  readonly weightDecay: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;
  private readonly buffer: Float64Array;
  private readonly staged: Float64Array;

  /**
   * @param params - the Values to update
   * @param options - learning rate, momentum, dampening, weight decay, Nesterov
   * @throws RangeError for an option out of range, or Nesterov without momentum or with dampening
   */
  constructor(params: readonly Value[], options: SGDOptions) {
    if (typeof (options as unknown) !== 'object' || (options as unknown) === null) {
      throw new TypeError('new SGD: options must be an object such as { lr: 0.1 }');
    }
    super(params, options.lr, 'SGD');
    this.momentum = checkUnit(options.momentum ?? 0, 'SGD: momentum');
    this.dampening = checkUnit(options.dampening ?? 0, 'SGD: dampening');
    this.weightDecay = checkRate(options.weightDecay ?? 0, 'SGD: weightDecay');
    this.nesterov = options.nesterov ?? false;
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new RangeError('SGD: Nesterov momentum needs momentum > 0 and dampening = 0');
    }
    this.buffer = new Float64Array(params.length);
    this.staged = new Float64Array(params.length);
  }

  protected update(i: number, x: number, grad: number, t: number): number {
    const { momentum: mu, weightDecay: wd } = this;
    let g = wd === 0 ? grad : grad + wd * x;
    if (mu !== 0) {
      const b = t === 1 ? g : mu * this.buffer[i]! + (1 - this.dampening) * g;
      this.staged[i] = b;
      g = this.nesterov ? g + mu * b : b;
    }
    return x - this.lr * g;
  }

  protected commit(): void {
    if (this.momentum !== 0) this.buffer.set(this.staged);
  }
}
