import { describeInput, type Value } from '@mg/engine';

/** A neuron's nonlinearity. `'linear'` leaves the weighted sum as it is. */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

const NAMES: Record<Activation, string> = {
  relu: 'ReLU',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  linear: 'Linear',
};

/** The prefix of a neuron's `toString()`, as micrograd spells it (`ReLUNeuron`, `LinearNeuron`). */
export function activationName(a: Activation): string {
  return NAMES[a];
}

/** Applies `a` to `x`. */
export function activate(a: Activation, x: Value): Value {
  switch (a) {
    case 'relu':
      return x.relu();
    case 'tanh':
      return x.tanh();
    case 'sigmoid':
      return x.sigmoid();
    case 'linear':
      return x;
  }
}

/** Throws a TypeError naming `what` (e.g. `'new MLP: activation'`) unless `a` is an {@link Activation}. */
export function checkActivation(a: unknown, what: string): Activation {
  if (typeof a === 'string' && Object.hasOwn(NAMES, a)) return a as Activation;
  throw new TypeError(`${what} must be 'relu', 'tanh', 'sigmoid' or 'linear', got ${describeInput(a)}`);
}
