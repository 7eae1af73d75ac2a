export { MT19937 } from './mt19937.js';
export { PythonRandom } from './python-random.js';
export { Module } from './module.js';
export { Neuron } from './neuron.js';
export type { NeuronOptions } from './neuron.js';
export { Layer } from './layer.js';
export type { LayerOptions } from './layer.js';
export { MLP } from './mlp.js';
export type { MLPOptions } from './mlp.js';
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
export { LOSSES } from './loss-table.js';
export type { LossKind, LossName } from './loss-table.js';
export { Optimizer } from './optimizer.js';
export type { StateSlot } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { Adam, AdamW } from './adam.js';
export type { AdamOptions } from './adam.js';
export type {
  MLPJSON,
  LayerJSON,
  NeuronJSON,
  LayerFileJSON,
  NeuronFileJSON,
  JSONNumber,
} from './serialize.js';
export { ENGINES } from './engines.js';
export type { Engine } from './engines.js';
export type { Dataset } from './data.js';
export { Trainer } from './trainer.js';
export type {
  LearningRate,
  LiveOptions,
  StepInfo,
  TrainableModel,
  TrainerOptions,
} from './trainer-options.js';
export { fit } from './fit.js';
export type { FitResult } from './fit.js';
