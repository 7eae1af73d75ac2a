// Fixtures shared by the workspace's tests and benchmarks. The runner for README and TSDoc code
// is `@mg/test-utils/docs` (and `@mg/test-utils/vitest` for its tests).
export { bigSum } from './fixtures/graphs.js';
export {
  expressionExample,
  type LectureExample,
  lectureExamples,
  named,
  neuronExample,
  tanhExample,
} from './fixtures/lecture.js';
export { median } from './fixtures/median.js';
export { readmeExample } from './fixtures/readme.js';
export { thrownBy } from './fixtures/thrown.js';
export {
  type Activation,
  compileDemoLoss,
  demoBatch,
  type DemoWorkload,
  type DemoWorkloadOptions,
  demoLoss,
  demoWorkload,
  EngineMLP,
  type EngineMLPOptions,
  hingeLoss,
  pySum,
  type ScoreModel,
  seeded,
  sgdUpdate,
  totalLoss,
  twoMoons,
} from './fixtures/workloads.js';
