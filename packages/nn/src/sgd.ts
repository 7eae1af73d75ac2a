import { checkOptions, type Value } from '@mg/engine';
import { Optimizer, checkFlag, checkRate, checkUnit, type StateSlot } from './optimizer.js';
import { numberAt, outside } from './at.js';

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
 * import { MLP, SGD, hingeLoss } from '@mg/nn';
 *
 * const model = new MLP(2, [4, 1], { seed: 1 });
 * const opt = new SGD(model.parameters(), { lr: 1.0 });
 * const lossOf = () => hingeLoss([model.forward([1, 2])[0], model.forward([-1, 0])[0]], [1, -1]);
 * for (let k = 0; k < 10; k++) {
 *   const loss = lossOf();
 *   opt.zeroGrad();
 *   loss.backward();
 *   opt.lr = 1.0 - (0.9 * k) / 100;
 *   opt.step();
 * }
 * console.log(lossOf().data, opt.steps); // 0 10
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
  private readonly buffer: StateSlot | null;

  /**
   * @param params - the Values to update
   * @param options - learning rate, momentum, dampening, weight decay, Nesterov
   * @throws TypeError for options that are not an object or hold an unknown key; RangeError for
   *   an option out of range, or Nesterov without momentum or with dampening
   */
  constructor(params: readonly Value[], options: SGDOptions) {
    const given = checkOptions(
      options,
      ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov'],
      'new SGD',
    );
    super(params, given.lr, 'SGD');
    this.momentum = checkUnit(given.momentum ?? 0, 'new SGD: momentum');
    this.dampening = checkUnit(given.dampening ?? 0, 'new SGD: dampening');
    this.weightDecay = checkRate(given.weightDecay ?? 0, 'new SGD: weightDecay');
    this.nesterov = checkFlag(given.nesterov ?? false, 'new SGD: nesterov');
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new RangeError(
        `new SGD: Nesterov momentum needs momentum > 0 and dampening = 0, got momentum ${this.momentum} and dampening ${this.dampening}`,
      );
    }
    this.buffer = this.momentum === 0 ? null : this.slot('its momentum buffer');
  }

  /** Plain SGD (no momentum, no weight decay) as one loop: `x - lr * g` per parameter. */
  protected override updateAll(
    x: Float64Array,
    g: Float64Array,
    t: number,
    lr: number,
    next: Float64Array,
  ): void {
    if (this.buffer === null && this.weightDecay === 0) descend(x, g, lr, next);
    else super.updateAll(x, g, t, lr, next);
  }

  protected update(i: number, x: number, grad: number, t: number, lr: number): number {
    const { momentum: mu, weightDecay: wd, buffer } = this;
    let g = wd === 0 ? grad : grad + wd * x;
    if (buffer !== null) {
      const b = t === 1 ? g : mu * numberAt(buffer.current, i) + (1 - this.dampening) * g;
      buffer.next[i] = b;
      g = this.nesterov ? g + mu * b : b;
    }
    return x - lr * g;
  }
}

/** `next[i] = x[i] - lr * g[i]`: micrograd's `p.data -= learning_rate * p.grad`, for every parameter. */
function descend(x: Float64Array, g: Float64Array, lr: number, next: Float64Array): void {
  for (let i = 0; i < next.length; i++) {
    const xi = x[i];
    const gi = g[i];
    if (xi === undefined || gi === undefined) throw outside(x, i);
    next[i] = xi - lr * gi;
  }
}
