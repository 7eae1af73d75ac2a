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
export {
  sum,
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
export { Optimizer } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { Adam, AdamW } from './adam.js';
export type { AdamOptions } from './adam.js';
export type { MLPJSON, LayerJSON, NeuronJSON, JSONNumber } from './serialize.js';
export { Trainer, fit } from './trainer.js';
export type { Dataset, Engine, FitResult, LossName, StepInfo, TrainerOptions } from './trainer.js';
