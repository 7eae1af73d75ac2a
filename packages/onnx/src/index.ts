export { toOnnx } from './to-onnx.js';
export type { OnnxDType, ToOnnxOptions } from './to-onnx.js';
export { fromOnnx } from './from-onnx.js';
