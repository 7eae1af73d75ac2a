// Every refusal in one table: the exact error class, the exact message, and proof that the
// failure left everything as it was (a snapshot taken before equals one taken after).
import { describe, expect, it } from 'vitest';
import { Value } from '@mg/engine';
import { thrownBy } from '@mg/test-utils';
import {
  Adam,
  AdamW,
  Layer,
  MLP,
  MT19937,
  Neuron,
  SGD,
  Trainer,
  bceWithLogits,
  bceWithLogitsLoss,
  crossEntropyLoss,
  fit,
  hinge,
  hingeLoss,
  l2,
  softmaxCrossEntropy,
} from '../src/index.js';
import type { Optimizer, StateSlot } from '../src/index.js';

interface Case {
  /** Runs the failing call. */
  act: () => unknown;
  /** Everything the failure must leave as it was. */
  state: () => unknown;
}

const data = {
  x: [
    [1, 2],
    [-1, 0.5],
    [0.3, -2],
  ],
  y: [1, -1, 1],
};

function params(ps: readonly Value[]): [number, number, string][] {
  return ps.map((p) => [p.data, p.grad, p.label]);
}

function optimizerState(opt: Optimizer): unknown {
  const slots = (opt as unknown as { slots: StateSlot[] }).slots;
  return {
    params: params(opt.params),
    steps: opt.steps,
    lr: opt.lr,
    slots: slots.map((s) => [s.name, Array.from(s.current)]),
  };
}

function trainerState(t: Trainer): unknown {
  return {
    model: params(t.model.parameters()),
    steps: t.steps,
    alpha: t.alpha,
    optimizer: optimizerState(t.optimizer),
    kind: t.optimizer.constructor.name,
  };
}

/** An optimizer over `values`, already one good step in (so it has state), with `grads` set for the next step. */
function stepped<O extends Optimizer>(make: (ps: Value[]) => O, grads: number[]): { opt: O; ps: Value[] } {
  const ps = grads.map((_, i) => new Value(1, { label: `p${i}` }));
  const opt = make(ps);
  ps.forEach((p) => (p.grad = 0.5));
  opt.step();
  ps.forEach((p, i) => (p.grad = grads[i]!));
  return { opt, ps };
}

function optimizerCase(make: (ps: Value[]) => Optimizer, grads: number[]): Case {
  const { opt } = stepped(make, grads);
  return {
    act: () => {
      opt.step();
    },
    state: () => optimizerState(opt),
  };
}

function trained(options: ConstructorParameters<typeof Trainer>[2] = {}): Trainer {
  const trainer = new Trainer(new MLP(2, [3, 1], { seed: 4 }), data, options);
  trainer.step();
  return trainer;
}

function trainerCase(trainer: Trainer, act: (t: Trainer) => unknown): Case {
  return { act: () => act(trainer), state: () => trainerState(trainer) };
}

/** A call with no state to disturb: the state is its arguments, which must not be mutated. */
function pure(act: () => unknown, ...args: unknown[]): Case {
  return { act, state: () => structuredClone(args) };
}

/** `numbers` then holes up to `length` (a sparse array: `map` skips its holes). */
function holed(numbers: number[], length: number): number[] {
  const row = [...numbers];
  row.length = length;
  return row;
}

const cases: [string, () => Case, ErrorConstructor, string | RegExp][] = [
  // Optimizers: a step is all or nothing.
  [
    'Adam: a huge finite gradient would make the second moment infinite',
    () => optimizerCase((ps) => new Adam(ps, { lr: 0.1 }), [1, 1e200]),
    RangeError,
    'Adam.step: parameter 1 "p1" (value 0.900000002, grad 1e+200) would make v (second moment) Infinity; nothing was updated',
  ],
  [
    'Adam: a NaN gradient',
    () => optimizerCase((ps) => new Adam(ps, { lr: 0.1 }), [Number.NaN, 1]),
    RangeError,
    'Adam.step: parameter 0 "p0" (value 0.900000002, grad NaN) would make its value NaN; nothing was updated',
  ],
  [
    'AdamW: a huge finite gradient',
    () => optimizerCase((ps) => new AdamW(ps, { lr: 0.1 }), [1e200]),
    RangeError,
    'AdamW.step: parameter 0 "p0" (value 0.899000002, grad 1e+200) would make v (second moment) Infinity; nothing was updated',
  ],
  [
    'Adam with AMSGrad: an infinite gradient',
    () => optimizerCase((ps) => new Adam(ps, { amsgrad: true }), [Number.POSITIVE_INFINITY]),
    RangeError,
    'Adam.step: parameter 0 "p0" (value 0.99900000002, grad Infinity) would make its value NaN; nothing was updated',
  ],
  [
    'SGD with momentum: an infinite gradient',
    () => optimizerCase((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 }), [1, Number.POSITIVE_INFINITY]),
    RangeError,
    'SGD.step: parameter 1 "p1" (value 0.95, grad Infinity) would make its value -Infinity; nothing was updated',
  ],
  [
    'SGD: a gradient that overflows the update',
    () => optimizerCase((ps) => new SGD(ps, { lr: 10 }), [1.7e308]),
    RangeError,
    'SGD.step: parameter 0 "p0" (value -4, grad 1.7e+308) would make its value -Infinity; nothing was updated',
  ],
  [
    'Optimizer.lr: a negative learning rate',
    () => {
      const { opt } = stepped((ps) => new SGD(ps, { lr: 0.1 }), [1]);
      return { act: () => (opt.lr = -1), state: () => optimizerState(opt) };
    },
    RangeError,
    'SGD.lr must be a finite number >= 0, got -1',
  ],
  [
    'new SGD: options missing',
    () => pure(() => new SGD([new Value(1)], undefined as unknown as { lr: number })),
    TypeError,
    'new SGD: lr must be a finite number >= 0, got undefined',
  ],
  [
    'new SGD: lr as a string',
    () => pure(() => new SGD([new Value(1)], { lr: '0.1' as unknown as number })),
    TypeError,
    'new SGD: lr must be a finite number >= 0, got "0.1"',
  ],
  [
    'new SGD: NaN lr',
    () => pure(() => new SGD([new Value(1)], { lr: Number.NaN })),
    RangeError,
    'new SGD: lr must be a finite number >= 0, got NaN',
  ],
  [
    'new SGD: momentum 1',
    () => pure(() => new SGD([new Value(1)], { lr: 0.1, momentum: 1 })),
    RangeError,
    'new SGD: momentum must be a number in [0, 1), got 1',
  ],
  [
    'new SGD: Nesterov without momentum',
    () => pure(() => new SGD([new Value(1)], { lr: 0.1, nesterov: true })),
    RangeError,
    'new SGD: Nesterov momentum needs momentum > 0 and dampening = 0, got momentum 0 and dampening 0',
  ],
  [
    'new SGD: a number among the params',
    () => pure(() => new SGD([1 as unknown as Value], { lr: 0.1 })),
    TypeError,
    'new SGD: params[0] must be a Value, got 1 (number)',
  ],
  [
    'new SGD: a Value from another copy of @mg/engine',
    () => {
      const foreign = { [Symbol.for('@mg/engine.Value')]: true, data: 1, grad: 0 };
      return pure(() => new SGD([foreign as unknown as Value], { lr: 0.1 }));
    },
    TypeError,
    /^new SGD: params\[0\] is a Value from another copy of @mg\/engine: two copies are loaded .*deduplicate/,
  ],
  [
    'new SGD: no params',
    () => pure(() => new SGD([], { lr: 0.1 })),
    RangeError,
    'new SGD: params is an empty array; pass the Values to update (say model.parameters())',
  ],
  [
    'new SGD: params not an array',
    () => pure(() => new SGD(null as unknown as Value[], { lr: 0.1 })),
    TypeError,
    'new SGD: params must be an array of Values, got null',
  ],
  [
    'new SGD: unknown option',
    () => pure(() => new SGD([new Value(1)], { lr: 0.1, momentun: 0.9 } as unknown as { lr: number })),
    TypeError,
    'new SGD: unknown option "momentun" (did you mean "momentum"?); the options are lr, momentum, dampening, weightDecay, nesterov',
  ],
  [
    'new Adam: betas not a pair',
    () => pure(() => new Adam([new Value(1)], { betas: 0.9 as unknown as [number, number] })),
    TypeError,
    'new Adam: betas must be a pair [β1, β2], got 0.9 (number)',
  ],
  [
    'new AdamW: amsgrad not a boolean',
    () => pure(() => new AdamW([new Value(1)], { amsgrad: 'yes' as unknown as boolean })),
    TypeError,
    'new AdamW: amsgrad must be true or false, got "yes"',
  ],
  [
    'new Adam: options null',
    () => pure(() => new Adam([new Value(1)], null as unknown as object)),
    TypeError,
    'new Adam: options must be an object, got null',
  ],

  // Losses say which labels they take.
  [
    'hinge: a 0 label',
    () => pure(() => hinge(new Value(0.5), 0)),
    RangeError,
    'hinge: y must be -1 or +1, got 0 (0/1 labels are for binary cross-entropy; map them to -1/+1 with 2y - 1)',
  ],
  [
    'hingeLoss: 0/1 labels',
    () => pure(() => hingeLoss([new Value(1), new Value(2)], [1, 0]), [1, 0]),
    RangeError,
    'hingeLoss: ys[1] must be -1 or +1, got 0 (0/1 labels are for binary cross-entropy; map them to -1/+1 with 2y - 1)',
  ],
  [
    'bceWithLogits: a -1 label',
    () => pure(() => bceWithLogits(new Value(0.5), -1)),
    RangeError,
    'bceWithLogits: y must be 0 or 1 (or a probability in [0, 1]), got -1 (-1/+1 labels are for the hinge loss; map them to 0/1 with (y + 1) / 2)',
  ],
  [
    'bceWithLogitsLoss: a label that is not a number',
    () => pure(() => bceWithLogitsLoss([new Value(1)], ['1' as unknown as number])),
    TypeError,
    'bceWithLogitsLoss: ys[0] must be a label, 0 or 1 (or a probability in [0, 1]), got "1"',
  ],
  [
    'crossEntropyLoss: a target row [1, 1]',
    () => pure(() => crossEntropyLoss([[new Value(1), new Value(2)]], [[1, 1]]), [[1, 1]]),
    RangeError,
    'crossEntropyLoss: targets[0] must hold probabilities that sum to 1, got [1, 1] (sum 2)',
  ],
  [
    'softmaxCrossEntropy: a negative probability',
    () => pure(() => softmaxCrossEntropy([new Value(1), new Value(2)], [-0.5, 1.5])),
    RangeError,
    'softmaxCrossEntropy: target[0] must be a probability in [0, 1], got -0.5 (a class index or a one-hot row such as [0, 1, 0])',
  ],
  [
    'softmaxCrossEntropy: a class index out of range',
    () => pure(() => softmaxCrossEntropy([new Value(1)], 1)),
    RangeError,
    'softmaxCrossEntropy: target must be a class index, an integer in [0, 1), got 1',
  ],
  [
    'l2: NaN alpha',
    () => pure(() => l2([new Value(1)], Number.NaN)),
    RangeError,
    'l2: alpha must be a finite number, got NaN',
  ],

  // Models.
  [
    'new MLP: options null',
    () => pure(() => new MLP(2, [1], null as unknown as object)),
    TypeError,
    'new MLP: options must be an object, got null',
  ],
  [
    'new MLP: gelu with no hidden layer',
    () => pure(() => new MLP(2, [1], { activation: 'gelu' as 'relu' })),
    TypeError,
    "new MLP: activation must be 'relu', 'tanh', 'sigmoid' or 'linear', got \"gelu\"",
  ],
  [
    'new MLP: an unknown output activation',
    () => pure(() => new MLP(2, [4, 1], { outputActivation: 'softmax' as 'linear' })),
    TypeError,
    "new MLP: outputActivation must be 'relu', 'tanh', 'sigmoid' or 'linear', got \"softmax\"",
  ],
  [
    'new MLP: nin as a string',
    () => pure(() => new MLP('2' as unknown as number, [1])),
    TypeError,
    'new MLP: nin must be a positive integer, got "2"',
  ],
  [
    'new MLP: nouts a number',
    () => pure(() => new MLP(2, 3 as unknown as number[])),
    TypeError,
    'new MLP: nouts must be a non-empty array of layer sizes, got 3 (number)',
  ],
  [
    'new MLP: a layer of 0',
    () => pure(() => new MLP(2, [3, 0])),
    RangeError,
    'new MLP: nouts[1] must be a positive integer, got 0',
  ],
  [
    'new MLP: unknown option',
    () => pure(() => new MLP(2, [1], { seeed: 1 } as object)),
    TypeError,
    'new MLP: unknown option "seeed" (did you mean "seed"?); the options are activation, outputActivation, activations, seed, rng, init',
  ],
  [
    'new Layer: options an array',
    () => pure(() => new Layer(2, 1, [] as object)),
    TypeError,
    'new Layer: options must be an object, got an array of 0',
  ],
  [
    'new Neuron: rng not a function',
    () => pure(() => new Neuron(2, { rng: 0.5 as unknown as () => number })),
    TypeError,
    'new Neuron: options.rng must be a function, got 0.5 (number)',
  ],
  [
    "Neuron.fromJSON: an MLP's JSON",
    () => pure(() => Neuron.fromJSON(new MLP(1, [1]).toJSON())),
    TypeError,
    'Neuron.fromJSON: format must be "mg.neuron", got "mg.mlp" (is this saved by Neuron.toJSON?)',
  ],
  [
    'Layer.fromJSON: a weight that is not finite',
    () => {
      const json = { ...new Layer(2, 1).toJSON(), neurons: [{ w: [1, Number.NaN], b: 0 }] };
      return pure(() => Layer.fromJSON(json), json);
    },
    TypeError,
    'Layer.fromJSON: neurons[0].w[1] must be a finite number, got NaN (number)',
  ],

  // Training.
  [
    'fit: a misspelt option',
    () => pure(() => fit(new MLP(2, [1]), data, { los: 'mse' } as object), data),
    TypeError,
    'fit: unknown option "los" (did you mean "loss"?); the options are loss, alpha, optimizer, lr, batchSize, sample, seed, engine, backend, onStep, steps',
  ],
  [
    'fit: a Neuron',
    () => pure(() => fit(new Neuron(2) as unknown as MLP, data), data),
    TypeError,
    'Trainer: model must have one output array per sample, like an MLP or a Layer; got ReLUNeuron(2), whose forward returns one Value (a model with one output is new MLP(2, [1]))',
  ],
  [
    'fit: steps as a string',
    () => pure(() => fit(new MLP(2, [1]), data, { steps: '10' as unknown as number }), data),
    TypeError,
    'fit: steps must be a non-negative integer, got "10"',
  ],
  [
    'MLP.forward: a string input',
    () => {
      const model = new MLP(2, [1], { seed: 1 });
      return {
        act: () => model.forward([1, '2' as unknown as number]),
        state: () => params(model.parameters()),
      };
    },
    TypeError,
    'MLP.forward: input 1 must be a Value or a finite number, got "2"',
  ],
  [
    'MLP.forward: NaN',
    () => pure(() => new MLP(2, [1]).forward([1, Number.NaN])),
    RangeError,
    'MLP.forward: input 1 must be a Value or a finite number, got NaN',
  ],
  [
    'Layer.forward: null',
    () => pure(() => new Layer(2, 1).forward(null as unknown as number[])),
    TypeError,
    'Layer.forward: expected an array of 2 inputs (Values or numbers), got null',
  ],
  [
    'Neuron.forward: too few inputs',
    () => pure(() => new Neuron(2).forward([1])),
    RangeError,
    'Neuron.forward: expected 2 inputs, got 1',
  ],
  [
    'Trainer: a two-output model for hinge',
    () => pure(() => new Trainer(new MLP(2, [3]), data), data),
    RangeError,
    "Trainer: the 'hinge' loss needs a model with one output, this one has 3",
  ],
  [
    'Trainer: bce with -1/+1 labels',
    () => pure(() => new Trainer(new MLP(2, [1]), data, { loss: 'bce' }), data),
    RangeError,
    "Trainer: y[1] (loss 'bce') must be 0 or 1 (or a probability in [0, 1]), got -1 (-1/+1 labels are for the hinge loss; map them to 0/1 with (y + 1) / 2)",
  ],
  [
    'Trainer: hinge with 0/1 labels',
    () => pure(() => new Trainer(new MLP(2, [1]), { x: data.x, y: [1, 0, 1] })),
    RangeError,
    "Trainer: y[1] (loss 'hinge') must be -1 or +1, got 0 (0/1 labels are for binary cross-entropy; map them to -1/+1 with 2y - 1)",
  ],
  [
    'Trainer: cross-entropy with a target row [1, 1]',
    () => pure(() => new Trainer(new MLP(2, [2]), { x: [[1, 2]], y: [[1, 1]] }, { loss: 'cross-entropy' })),
    RangeError,
    "Trainer: y[0] (loss 'cross-entropy') must hold probabilities that sum to 1, got [1, 1] (sum 2)",
  ],
  [
    'Trainer: a class index out of range',
    () => pure(() => new Trainer(new MLP(2, [3]), { x: [[1, 2]], y: [3] }, { loss: 'cross-entropy' })),
    RangeError,
    "Trainer: y[0] (loss 'cross-entropy') must be a class index, an integer in [0, 3), got 3",
  ],
  [
    'Trainer: an input row too long',
    () => pure(() => new Trainer(new MLP(2, [1]), { x: [[1, 2, 3]], y: [1] })),
    RangeError,
    'Trainer: x[0] must be a row of 2 numbers, got 3',
  ],
  [
    'Trainer: a back end that does not exist',
    () => pure(() => new Trainer(new MLP(2, [1]), data, { backend: 'gpu' as 'wasm' })),
    TypeError,
    `Trainer: backend must be 'auto', 'wasm' or 'interpreter', got "gpu"`,
  ],
  [
    'Trainer: an input row with a hole',
    () => pure(() => new Trainer(new MLP(2, [1]), { x: [holed([1], 2)], y: [1] })),
    TypeError,
    'Trainer: x[0][1] must be a finite number, got undefined',
  ],
  [
    'Trainer: NaN in an input row, a RangeError as for every number out of range',
    () => pure(() => new Trainer(new MLP(2, [1]), { x: [[1, Number.NaN]], y: [1] })),
    RangeError,
    'Trainer: x[0][1] must be a finite number, got NaN (number)',
  ],
  [
    'l2: no parameters',
    () => pure(() => l2([], 1e-4)),
    RangeError,
    'l2: parameters is an empty array; pass the Values to penalise (say model.parameters())',
  ],
  [
    'Trainer: a target row with a hole',
    () => pure(() => new Trainer(new MLP(2, [2]), { x: [[1, 2]], y: [holed([0.5], 2)] }, { loss: 'mse' })),
    TypeError,
    "Trainer: y[0] (loss 'mse')[1] must be a finite number, got undefined",
  ],
  [
    'Trainer: more targets than inputs',
    () => pure(() => new Trainer(new MLP(2, [1]), { x: [[1, 2]], y: [1, -1] })),
    RangeError,
    'Trainer: data has 1 inputs but 2 targets',
  ],
  [
    'Trainer: a batch larger than the data',
    () => pure(() => new Trainer(new MLP(2, [1]), data, { batchSize: 4 })),
    RangeError,
    'Trainer: batchSize must be an integer in [1, 3], got 4',
  ],
  [
    'SGD: an option set to null (it used to mean the default)',
    () => pure(() => new SGD([new Value(1)], { lr: 0.1, momentum: null as unknown as number })),
    TypeError,
    'new SGD: option "momentum" is null; leave it out for its default',
  ],
  [
    'Adam: lr set to null',
    () => pure(() => new Adam([new Value(1)], { lr: null as unknown as number })),
    TypeError,
    'new Adam: option "lr" is null; leave it out for its default',
  ],
  [
    'SGD: a parameter listed twice (PyTorch updates it twice, mg once: refused)',
    () => {
      const w = new Value(1);
      return { act: () => new SGD([w, new Value(2), w], { lr: 0.1 }), state: () => [w.data, w.grad] };
    },
    RangeError,
    'new SGD: params[2] is the same Value as params[0]; list each parameter once',
  ],
  [
    'MLP: a bad seed beside an rng',
    () => pure(() => new MLP(2, [1], { rng: () => 0.5, seed: 'oops' as unknown as number })),
    TypeError,
    /^new MLP: seed must be a safe integer or a bigint, got "oops"/,
  ],
  [
    'MLP: an unknown init, named as the MLP option',
    () => pure(() => new MLP(2, [1], { init: 'normal' as unknown as 'uniform' })),
    TypeError,
    `new MLP: options.init must be 'uniform', 'uniform-scaled' or a function, got "normal"`,
  ],
  [
    'MLP: an init that returns NaN, blamed on the MLP',
    () => pure(() => new MLP(2, [3, 1], { init: () => Number.NaN })),
    RangeError,
    'new MLP: options.init must return finite numbers, returned NaN (number)',
  ],
  [
    'Layer: an init that returns a string, a TypeError blamed on the Layer',
    () => pure(() => new Layer(2, 3, { init: () => 'x' as unknown as number })),
    TypeError,
    'new Layer: options.init must return finite numbers, returned "x"',
  ],
  [
    'MT19937.fromSeed: a string',
    () => pure(() => MT19937.fromSeed('5' as unknown as number)),
    TypeError,
    'MT19937.fromSeed: expected an integer in [0, 2^32), got "5"',
  ],
  [
    'MT19937.fromArray: not an array',
    () => pure(() => MT19937.fromArray(5 as unknown as number[])),
    TypeError,
    'MT19937.fromArray: key must be an array of 32-bit words, got 5 (number)',
  ],
  [
    'Trainer: a bad option after a given optimizer and lr',
    () => {
      const model = new MLP(2, [1], { seed: 1 });
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      return {
        act: () => new Trainer(model, data, { optimizer, lr: 0.5, batchSize: 0 }),
        state: () => optimizerState(optimizer),
      };
    },
    RangeError,
    'Trainer: batchSize must be an integer in [1, 3], got 0',
  ],
  [
    'Trainer: an unknown engine',
    () => pure(() => new Trainer(new MLP(2, [1]), data, { engine: 'gpu' as 'eager' })),
    TypeError,
    "Trainer: engine must be 'auto', 'eager' or 'compiled', got \"gpu\"",
  ],
  [
    'Trainer: an unknown loss',
    () => pure(() => new Trainer(new MLP(2, [1]), data, { loss: 'l1' as 'mse' })),
    TypeError,
    "Trainer: loss must be 'hinge', 'bce', 'mse', 'cross-entropy', got \"l1\"",
  ],
  [
    'Trainer: a schedule returning NaN, eager',
    () =>
      trainerCase(
        trained({
          engine: 'eager',
          lr: function decay(k) {
            return k < 1 ? 0.1 : Number.NaN;
          },
        }),
        (t) => t.step(),
      ),
    RangeError,
    'Trainer: the learning-rate schedule (function decay) returned NaN for step 1; it must return a finite number >= 0',
  ],
  [
    'Trainer: a schedule returning NaN, compiled',
    () =>
      trainerCase(trained({ engine: 'compiled', lr: (k) => (k < 1 ? 0.1 : Number.NaN) }), (t) => t.step()),
    RangeError,
    'Trainer: the learning-rate schedule (function lr) returned NaN for step 1; it must return a finite number >= 0',
  ],
  ...(['eager', 'compiled'] as const).map((engine): (typeof cases)[number] => [
    `Trainer: an update that overflows after backward, ${engine}`,
    () => {
      const wide = { x: data.x.map((row) => row.map((v) => 100 * v)), y: data.y };
      const trainer = new Trainer(new MLP(2, [3, 1], { seed: 4 }), wide, { engine, lr: 0.001 });
      trainer.step();
      trainer.setOptions({ lr: 1.7e308 });
      return trainerCase(trainer, (t) => t.step());
    },
    RangeError,
    'SGD.step: parameter 0 "L1.N1.w1" (value -0.5000401509859497, grad -27.71803636723032) would make its value Infinity; nothing was updated',
  ]),
  ...(['eager', 'compiled'] as const).map((engine): (typeof cases)[number] => [
    `Trainer: a loss that overflows in the forward pass, ${engine}`,
    () => {
      const trainer = new Trainer(
        new MLP(2, [1], { seed: 4 }),
        {
          x: [
            [1, 2],
            [1e200, 1],
          ],
          y: [1, -1],
        },
        { engine, loss: 'mse' },
      );
      trainer.model.parameters().forEach((p, i) => (p.grad = i / 8)); // left over from earlier work
      return trainerCase(trainer, (t) => t.step());
    },
    RangeError,
    engine === 'eager' ? /^pow: result is Infinity/ : /^compile: /,
  ]),
  [
    'Trainer.setOptions: a misspelt key',
    () =>
      trainerCase(trained(), (t) => {
        t.setOptions({ l2: 0.1 } as object);
      }),
    TypeError,
    'Trainer.setOptions: unknown option "l2" (did you mean "lr"?); the options are lr, optimizer, alpha',
  ],
  [
    'Trainer.setOptions: a negative lr with a good optimizer',
    () =>
      trainerCase(trained(), (t) => {
        t.setOptions({ lr: -1, optimizer: new Adam(t.model.parameters()) });
      }),
    RangeError,
    'Trainer.setOptions: lr must be a finite number >= 0, got -1',
  ],
  [
    'Trainer.setOptions: an optimizer of other Values',
    () =>
      trainerCase(trained(), (t) => {
        t.setOptions({ optimizer: new SGD([new Value(1)], { lr: 1 }), alpha: 0.5 });
      }),
    RangeError,
    "Trainer.setOptions: the optimizer's params[0] is not a parameter of the model (build it from model.parameters())",
  ],
  [
    'Trainer.setOptions: not an optimizer',
    () =>
      trainerCase(trained(), (t) => {
        t.setOptions({ optimizer: { step() {} } as unknown as Optimizer });
      }),
    TypeError,
    'Trainer.setOptions: optimizer must be an Optimizer such as new SGD(model.parameters(), { lr: 0.1 }), got an object',
  ],
  [
    'Trainer.setOptions: a schedule that fails at the current step',
    () =>
      trainerCase(trained(), (t) => {
        t.setOptions({ lr: () => -1 });
      }),
    RangeError,
    'Trainer: the learning-rate schedule (function lr) returned -1 for step 1; it must return a finite number >= 0',
  ],
];

describe('every refusal', () => {
  for (const [name, make, type, message] of cases) {
    it(`${name}: ${type.name}, state unchanged`, () => {
      const { act, state } = make();
      const before = state();

      const error = thrownBy(act);

      expect(error).toBeInstanceOf(Error);
      expect((error as Error).constructor).toBe(type);
      if (typeof message === 'string') expect((error as Error).message).toBe(message);
      else expect((error as Error).message).toMatch(message);
      expect(state()).toEqual(before);
    });
  }
});

describe('after a refused step', () => {
  it("Adam continues exactly as if the bad step never happened (micrograd's repro: 1e200, then three steps of 1)", () => {
    const p = new Value(1);
    const opt = new Adam([p], { lr: 0.1 });
    p.grad = 1e200;
    expect(() => {
      opt.step();
    }).toThrow(RangeError);

    for (let k = 0; k < 3; k++) {
      p.grad = 1;
      opt.step();
    }

    expect(p.data).toBe(0.7000000030000006);
  });

  it('a Trainer retries the same batch and reaches the numbers of a run that never failed', () => {
    const x = Array.from({ length: 8 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const y = x.map(([a]) => (a! > 0 ? 1 : -1));
    let fail = true;
    const flaky = (k: number) => (k === 2 && fail ? Number.NaN : 0.1);
    const reference = fit(
      new MLP(2, [4, 1], { seed: 9 }),
      { x, y },
      { steps: 5, batchSize: 3, seed: 1, lr: 0.1 },
    );
    const trainer = new Trainer(
      new MLP(2, [4, 1], { seed: 9 }),
      { x, y },
      { batchSize: 3, seed: 1, lr: flaky },
    );
    trainer.step();
    trainer.step();
    expect(() => trainer.step()).toThrow(RangeError);
    fail = false;

    const losses = [trainer.step(), trainer.step(), trainer.step()].map((s) => s.loss);

    expect(losses).toEqual(reference.losses.slice(2));
  });
});
