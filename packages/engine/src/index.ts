export { Value, type ValueOptions } from './value.js';
export type { Op, PrimitiveOp } from './ops.js';
export { topologicalOrder } from './graph.js';
export { add, sub, mul, div, sum, dot, valueAndGrad, type ValueAndGrad } from './functional.js';
export { gradcheck, type GradcheckOptions, type GradcheckEntry, type GradcheckResult } from './gradcheck.js';
export { describe as describeInput, checkValue, checkOptions } from './errors.js';
export { TraceError } from './trace-error.js';
export { isAllFinite } from './compile/finite.js';
export { getData, setData } from './data.js';
export {
  compile,
  Program,
  BACKENDS,
  MAX_INPUTS,
  type Backend,
  type CompileOptions,
  type RunOptions,
} from './compile/program.js';
export { ready } from './compile/ready.js';
