// What the CLI and the web page share; nothing here uses Node APIs.
export { RandomState } from './random-state.js';
export type { MutableArrayLike } from './random-state.js';
export { DATASET_NAMES, linspace, makeCircles, makeDataset, makeMoons, makeSpiral } from './datasets.js';
export type { Dataset, DatasetName, DatasetOptions } from './datasets.js';
export { Diverged, Training } from './train.js';
export { EXPLOSION, isNotFiniteError, lossDiverged } from './divergence.js';
export type { StepRecord, TrainingOptions } from './train.js';
// @mg/nn's, re-exported for the page's imports.
export { ENGINES } from '@mg/nn';
export type { Engine } from '@mg/nn';
export { boundaryGrid, curvesSvg, decisionBoundarySvg } from './plots.js';
export type { Grid } from './plots.js';
export { activePoint, chooseNeuron, firstNeuron, neuronGraph } from './neuron-graph.js';
export type { NeuronChoice } from './neuron-graph.js';
export { at, last, pointAt, present } from './checked.js';
export { median } from './median.js';
