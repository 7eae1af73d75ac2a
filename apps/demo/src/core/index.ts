// What the CLI and the web page share; nothing here uses Node APIs.
export { RandomState } from './random-state.js';
export type { MutableArrayLike } from './random-state.js';
export { DATASET_NAMES, linspace, makeCircles, makeDataset, makeMoons, makeSpiral } from './datasets.js';
export type { Dataset, DatasetName, DatasetOptions } from './datasets.js';
export { ENGINES, Training } from './train.js';
export type { Engine, StepRecord, TrainingOptions } from './train.js';
export { boundaryGrid, curvesSvg, decisionBoundarySvg } from './plots.js';
export type { Grid } from './plots.js';
export { activePoint, neuronGraph } from './neuron-graph.js';
export { median } from './median.js';
export { seedExamples } from './examples.js';
export type { Example } from './examples.js';
