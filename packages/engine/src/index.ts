export { Value } from './value.js';
export type { ValueOptions } from './value.js';
export type { Op, PrimitiveOp } from './ops.js';
export { topologicalOrder } from './graph.js';
export { gradcheck } from './gradcheck.js';
export type { GradcheckOptions, GradcheckEntry, GradcheckResult } from './gradcheck.js';
export { TraceError } from './trace-error.js';
export { compile, Program } from './compile/program.js';
export type { Backend, CompileOptions } from './compile/program.js';
