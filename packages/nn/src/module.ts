import type { Value } from '@mg/engine';

/**
 * Anything with trainable parameters, as micrograd's `Module`.
 *
 * @example
 * ```ts
 * import { MLP } from '@mg/nn';
 *
 * const model = new MLP(2, [4, 1], { seed: 1 });
 * model.forward([1, 2])[0].backward();
 * model.zeroGrad(); // every parameter's grad is 0 again, ready for the next backward()
 * console.log(model.parameters().length, model.parameters().every((p) => p.grad === 0)); // 17 true
 * ```
 */
export abstract class Module {
  /**
   * The trainable values, in a fixed order (micrograd's: each neuron's weights, then its bias).
   *
   * @returns a new array holding the parameters themselves (not copies)
   */
  abstract parameters(): Value[];

  /** Sets every parameter's `grad` to 0, before the next `backward()`. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}
