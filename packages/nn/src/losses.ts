import { Value, checkValue, describeInput, sum } from '@mg/engine';
import { BCE_LABEL, HINGE_LABEL, checkClassIndex, checkLabel, checkProbabilities } from './labels.js';
import { at } from './at.js';

// Every loss is built from the engine's primitives in the order micrograd's demo writes it in
// Python, because floating-point sums depend on their order and the demo must reproduce the
// notebook bit for bit. Python's `sum(xs)` starts from the int 0, and `0 + v` runs
// `v.__radd__(0)`, which is `v + Value(0)`: hence the `.add(0)` after the first term.

/**
 * The mean as micrograd's demo takes it: `sum(values) * (1.0 / len(values))`.
 *
 * @param values - at least one Value
 * @returns their mean
 * @throws RangeError for an empty array
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { mean } from '@mg/nn';
 *
 * console.log(mean([new Value(1), new Value(2)]).data); // 1.5
 * ```
 */
export function mean(values: readonly Value[]): Value {
  checkValues(values, 'mean');
  if (values.length === 0) throw new RangeError('mean: expected at least one Value, got an empty array');
  return sum(values).mul(1.0 / values.length);
}

/**
 * One sample's hinge (max-margin) loss, `relu(1 - y * score)`, built as micrograd's demo
 * builds `(1 + -yi*scorei).relu()`: `score.mul(-y).add(1).relu()`.
 *
 * @param score - the model's output
 * @param y - the label, -1 or +1 (a Value when traced by `compile`)
 * @returns the loss, 0 once the sample is on the right side with margin 1
 * @throws RangeError when `y` is a number other than -1 and +1
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { hinge } from '@mg/nn';
 *
 * console.log(hinge(new Value(0.25), 1).data); // 0.75
 * ```
 */
export function hinge(score: Value, y: Value | number): Value {
  checkValue(score, 'hinge: score');
  checkLabel(y, HINGE_LABEL, 'hinge: y');
  return hingeTerm(score, y);
}

/** {@link hinge} without the label check, for callers that checked their labels once. */
export function hingeTerm(score: Value, y: Value | number): Value {
  const negY = typeof y === 'number' ? -y : y.neg();
  return score.mul(negY).add(1).relu();
}

/**
 * The mean hinge loss over a batch, micrograd's `data_loss`:
 * `sum((1 + -yi*scorei).relu() for ...) * (1.0 / n)`.
 *
 * @param scores - one output per sample
 * @param ys - one label per sample, -1 or +1
 * @returns the mean loss
 * @throws RangeError when the arrays are empty or of different lengths, or a label is not -1 or +1
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { hingeLoss } from '@mg/nn';
 *
 * // (relu(1 - 2) + relu(1 + 0.5)) / 2
 * console.log(hingeLoss([new Value(2), new Value(0.5)], [1, -1]).data); // 0.75
 * ```
 */
export function hingeLoss(scores: readonly Value[], ys: readonly (Value | number)[]): Value {
  checkPairs(scores, ys, 'hingeLoss');
  checkValues(scores, 'hingeLoss', 'scores');
  for (let i = 0; i < ys.length; i++) checkLabel(ys[i], HINGE_LABEL, `hingeLoss: ys[${i}]`);
  return mean(scores.map((s, i) => hingeTerm(s, at(ys, i))));
}

/**
 * One sample's squared error, `(prediction - target) ** 2`.
 *
 * @param prediction - the model's output
 * @param target - the wanted value
 * @returns the squared difference
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { squaredError } from '@mg/nn';
 *
 * console.log(squaredError(new Value(3), 1).data); // 4
 * ```
 */
export function squaredError(prediction: Value, target: Value | number): Value {
  checkValue(prediction, 'squaredError: prediction');
  checkTarget(target, 'squaredError: target');
  return prediction.sub(target).pow(2);
}

/**
 * Mean squared error over a batch: the mean of `(prediction - target) ** 2` over every sample
 * (and, for rows of several outputs, every output).
 *
 * @param predictions - one output per sample, or one row of outputs per sample
 * @param targets - matching numbers or rows
 * @returns the mean squared error
 * @throws RangeError when shapes differ or are empty
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { mseLoss } from '@mg/nn';
 *
 * // ((3 - 1)² + (0 - 1)²) / 2
 * console.log(mseLoss([new Value(3), new Value(0)], [1, 1]).data); // 2.5
 * ```
 */
export function mseLoss(
  predictions: readonly Value[] | readonly (readonly Value[])[],
  targets: readonly (Value | number)[] | readonly (readonly (Value | number)[])[],
): Value {
  checkPairs(predictions, targets, 'mseLoss');
  const errors: Value[] = [];
  predictions.forEach((p, i) => {
    const t = at<Value | number | readonly (Value | number)[]>(targets, i);
    if (Array.isArray(p) !== Array.isArray(t)) {
      throw new TypeError(
        `mseLoss: sample ${i} mixes a row and a single value (prediction and target must have the same shape)`,
      );
    }
    if (Array.isArray(p)) {
      checkPairs(p, t as readonly unknown[], `mseLoss: sample ${i}`);
      checkValues(p, 'mseLoss', `predictions[${i}]`);
      for (let j = 0; j < p.length; j++)
        checkTarget((t as readonly unknown[])[j], `mseLoss: targets[${i}][${j}]`);
    } else {
      checkValue(p, `mseLoss: predictions[${i}]`);
      checkTarget(t, `mseLoss: targets[${i}]`);
    }
    errors.push(
      ...squaredErrors(Array.isArray(p) ? p : [p as Value], Array.isArray(t) ? t : [t as Value | number]),
    );
  });
  return mean(errors);
}

/**
 * One sample's squared errors, one per output, in output order: the terms whose mean over
 * samples and outputs is {@link mseLoss} (and the Trainer's `'mse'`).
 */
export function squaredErrors(predictions: readonly Value[], targets: readonly (Value | number)[]): Value[] {
  return predictions.map((p, j) => squaredError(p, at(targets, j)));
}

/**
 * One sample's binary cross-entropy of a logit `z` (a score before the sigmoid) and a label
 * `y` in [0, 1]: `-(y log σ(z) + (1 - y) log(1 - σ(z)))`, computed as PyTorch's
 * `binary_cross_entropy_with_logits` does, `(1 - y) z + m + log(e^-m + e^(-z-m))` with
 * `m = max(-z, 0)`, so no exponential overflows and large |z| gives exact, finite losses.
 * The gradient is `σ(z) - y` everywhere, also at z = 0: the terms in `m` cancel whatever
 * ReLU's derivative at 0 is.
 *
 * @param logit - the model's output
 * @param y - the label, 0 or 1 (or a probability)
 * @returns the loss
 * @throws RangeError when `y` is a number outside [0, 1]
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { bceWithLogits } from '@mg/nn';
 *
 * console.log(bceWithLogits(new Value(0), 1).data); // 0.6931471805599453
 * console.log(bceWithLogits(new Value(-1000), 1).data); // 1000
 * ```
 */
export function bceWithLogits(logit: Value, y: Value | number): Value {
  checkValue(logit, 'bceWithLogits: logit');
  checkLabel(y, BCE_LABEL, 'bceWithLogits: y');
  return bceTerm(logit, y);
}

/** {@link bceWithLogits} without the label check, for callers that checked their labels once. */
export function bceTerm(logit: Value, y: Value | number): Value {
  const negZ = logit.neg();
  const m = negZ.relu();
  const oneMinusY = typeof y === 'number' ? 1 - y : y.neg().add(1);
  const softplusNegZ = m.add(m.neg().exp().add(negZ.sub(m).exp()).log());
  return logit.mul(oneMinusY).add(softplusNegZ);
}

/**
 * Mean binary cross-entropy with logits over a batch (see {@link bceWithLogits}).
 *
 * @param logits - one output per sample
 * @param ys - one label per sample, 0 or 1
 * @returns the mean loss
 * @throws RangeError when the arrays are empty or of different lengths, or a label is outside [0, 1]
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { bceWithLogitsLoss } from '@mg/nn';
 *
 * console.log(bceWithLogitsLoss([new Value(0), new Value(0)], [0, 1]).data); // 0.6931471805599453
 * ```
 */
export function bceWithLogitsLoss(logits: readonly Value[], ys: readonly (Value | number)[]): Value {
  checkPairs(logits, ys, 'bceWithLogitsLoss');
  checkValues(logits, 'bceWithLogitsLoss', 'logits');
  for (let i = 0; i < ys.length; i++) checkLabel(ys[i], BCE_LABEL, `bceWithLogitsLoss: ys[${i}]`);
  return mean(logits.map((z, i) => bceTerm(z, at(ys, i))));
}

/**
 * `log(Σ e^z_k)`, stably: `m + log Σ e^(z_k - m)` with `m` the largest `z_k` (built with
 * ReLU, `max(a, b) = a + relu(b - a)`, so it traces; its gradient cancels out).
 *
 * @param logits - at least one Value
 * @returns log-sum-exp of the logits
 * @throws RangeError for an empty array
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { logSumExp } from '@mg/nn';
 *
 * // 1000 + log 2, where a naive log(e^1000 + e^1000) overflows
 * console.log(logSumExp([new Value(1000), new Value(1000)]).data); // 1000.6931471805599
 * ```
 */
export function logSumExp(logits: readonly Value[]): Value {
  checkValues(logits, 'logSumExp', 'logits');
  if (logits.length === 0) throw new RangeError('logSumExp: expected at least one Value, got an empty array');
  const { m, logS } = shifted(logits);
  return m.add(logS);
}

/**
 * The parts of log-sum-exp: the largest logit `m` (as a chain of `relu`s, so that gradients
 * flow as through a max) and `log Σ exp(z_k - m)`. A loss adds `m` back only after subtracting
 * the target's logit from it, as PyTorch's log-softmax does: `(m + log s) - z_t` loses the
 * low digits of `log s` when the logits are large (1e10 gave log 2 to six digits).
 */
function shifted(logits: readonly Value[]): { m: Value; logS: Value } {
  let m = at(logits, 0);
  for (let k = 1; k < logits.length; k++) m = m.add(at(logits, k).sub(m).relu());
  let s = at(logits, 0).sub(m).exp();
  for (let k = 1; k < logits.length; k++) s = s.add(at(logits, k).sub(m).exp());
  return { m, logS: s.log() };
}

/** `-log softmax(logits)[t]`, as PyTorch computes it: `log s - (z_t - m)`. */
function classTerm(logits: readonly Value[], t: number): Value {
  const { m, logS } = shifted(logits);
  return logS.sub(at(logits, t).sub(m));
}

/**
 * One sample's softmax cross-entropy: `-log softmax(logits)[class]`, computed as PyTorch does,
 * from `m`, the largest logit, and `s = Σ exp(z_k - m)`: `log s - (z_class - m)`.
 *
 * @param logits - one score per class
 * @param target - the class index, or one probability per class (a one-hot row; Values when
 *   traced by `compile`, where an index cannot select a logit), giving
 *   `-Σ t_k ((z_k - m) - log s)`
 * @returns the loss
 * @throws RangeError for a class index out of range, or a row of the wrong length or whose
 *   numbers are not probabilities summing to 1
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { softmaxCrossEntropy } from '@mg/nn';
 *
 * console.log(softmaxCrossEntropy([new Value(2), new Value(2)], 0).data); // 0.6931471805599453
 * ```
 */
export function softmaxCrossEntropy(
  logits: readonly Value[],
  target: number | readonly (Value | number)[],
): Value {
  checkValues(logits, 'softmaxCrossEntropy', 'logits');
  if (typeof target === 'number') {
    checkClassIndex(target, logits.length, 'softmaxCrossEntropy: target');
    return classTerm(logits, target);
  }
  checkPairs(logits, target, 'softmaxCrossEntropy');
  checkProbabilities(target, 'softmaxCrossEntropy: target');
  return crossEntropyTerm(logits, target);
}

/** {@link softmaxCrossEntropy} of a probability row, without checking the row. */
export function crossEntropyTerm(logits: readonly Value[], target: readonly (Value | number)[]): Value {
  // -Σ t_k log softmax_k, each log softmax_k = (z_k - m) - log s, as PyTorch computes it.
  const { m, logS } = shifted(logits);
  let dot = at(logits, 0).sub(m).sub(logS).mul(at(target, 0));
  for (let k = 1; k < logits.length; k++) dot = dot.add(at(logits, k).sub(m).sub(logS).mul(at(target, k)));
  return dot.neg();
}

/**
 * Mean softmax cross-entropy over a batch (see {@link softmaxCrossEntropy}).
 *
 * @param logits - one row of class scores per sample
 * @param targets - one class index or probability row per sample
 * @returns the mean loss
 * @throws RangeError when the arrays are empty or of different lengths, or a target is out of range
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { crossEntropyLoss } from '@mg/nn';
 *
 * // log(1 + e^-5)
 * console.log(crossEntropyLoss([[new Value(5), new Value(0)]], [0]).data); // 0.006715348489117967
 * ```
 */
export function crossEntropyLoss(
  logits: readonly (readonly Value[])[],
  targets: readonly (number | readonly (Value | number)[])[],
): Value {
  checkPairs(logits, targets, 'crossEntropyLoss');
  return mean(
    logits.map((z, i) => {
      const t = at(targets, i);
      if (!Array.isArray(z)) {
        throw new TypeError(
          `crossEntropyLoss: logits[${i}] must be an array of Values (one row of class scores per sample), got ${describeInput(z)}`,
        );
      }
      checkValues(z, 'crossEntropyLoss', `logits[${i}]`);
      if (typeof t === 'number') {
        checkClassIndex(t, z.length, `crossEntropyLoss: targets[${i}]`);
        return classTerm(z, t);
      }
      checkPairs(z, t, `crossEntropyLoss: sample ${i}`);
      checkProbabilities(t, `crossEntropyLoss: targets[${i}]`);
      return crossEntropyTerm(z, t);
    }),
  );
}

/**
 * An L2 penalty as micrograd's demo writes `alpha * sum((p*p for p in model.parameters()))`:
 * `sum(p.mul(p)).mul(alpha)`.
 *
 * @param parameters - the values to penalise (usually `model.parameters()`)
 * @param alpha - the coefficient, a finite number
 * @returns the penalty
 * @throws TypeError when `parameters` is not an array or `alpha` not a number; RangeError when `parameters` is empty or `alpha` is not finite
 *
 * @example
 * ```ts
 * import { Value } from '@mg/engine';
 * import { l2 } from '@mg/nn';
 *
 * console.log(l2([new Value(3), new Value(4)], 1e-4).data); // 0.0025
 * ```
 */
export function l2(parameters: readonly Value[], alpha: number): Value {
  checkValues(parameters, 'l2', 'parameters');
  if (parameters.length === 0)
    throw new RangeError(
      'l2: parameters is an empty array; pass the Values to penalise (say model.parameters())',
    );
  if (typeof alpha !== 'number')
    throw new TypeError(`l2: alpha must be a finite number, got ${describeInput(alpha)}`);
  if (!Number.isFinite(alpha)) throw new RangeError(`l2: alpha must be a finite number, got ${alpha}`);
  return sum(parameters.map((p) => p.mul(p))).mul(alpha);
}

/** Throws unless `values` is an array of Values (holes included: each entry is checked by its index). */
function checkValues(values: unknown, where: string, name = 'values'): void {
  if (!Array.isArray(values))
    throw new TypeError(`${where}: ${name} must be an array of Values, got ${describeInput(values)}`);
  // The message is built only for a value that fails: a loss over a batch checks thousands.
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (!(v instanceof Value)) checkValue(v, `${where}: ${name}[${i}]`);
  }
}

/** Throws unless `x` is a Value or a finite number. */
function checkTarget(x: unknown, what: string): void {
  if (typeof x === 'number' && Number.isFinite(x)) return;
  if (typeof x === 'number')
    throw new RangeError(`${what} must be a Value or a finite number, got ${describeInput(x)}`);
  checkValue(x, what, 'a Value or a finite number');
}

function checkPairs(a: readonly unknown[], b: readonly unknown[], where: string): void {
  if (!Array.isArray(a) || !Array.isArray(b)) {
    throw new TypeError(
      `${where}: expected an array of predictions and an array of targets, got ${describeInput(a)} and ${describeInput(b)}`,
    );
  }
  if (a.length !== b.length) {
    throw new RangeError(`${where}: ${a.length} predictions but ${b.length} targets`);
  }
  if (a.length === 0) throw new RangeError(`${where}: expected at least one sample, got none`);
}
