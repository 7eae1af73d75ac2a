export { MT19937 } from './mt19937.js';
export { PythonRandom } from './python-random.js';
export { Module } from './module.js';
export { Neuron, type NeuronOptions } from './neuron.js';
export { Layer, type LayerOptions } from './layer.js';
export { MLP, type MLPOptions } from './mlp.js';
export type { Activation } from './activation.js';
export type { Initializer, RandomOptions } from './init.js';
// The engine's sum is Python's (micrograd's order); re-exported so the losses' building blocks come from one place.
export { sum } from '@mg/engine';
export {
  mean,
  hinge,
  hingeLoss,
  squaredError,
  mseLoss,
  bceWithLogits,
  bceWithLogitsLoss,
  logSumExp,
  softmaxCrossEntropy,
  crossEntropyLoss,
  l2,
} from './losses.js';
export { LOSSES, type LossKind, type LossName } from './loss-table.js';
export { Optimizer, type StateSlot } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export type {
  MLPJSON,
  LayerJSON,
  NeuronJSON,
  LayerFileJSON,
  NeuronFileJSON,
  JSONNumber,
} from './serialize.js';
export { ENGINES, type Engine } from './engines.js';
export type { Dataset } from './data.js';
export { Trainer } from './trainer.js';
export type {
  LearningRate,
  LiveOptions,
  StepInfo,
  TrainableModel,
  TrainerOptions,
} from './trainer-options.js';
export { fit, type FitResult } from './fit.js';
