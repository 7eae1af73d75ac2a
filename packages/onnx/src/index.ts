export { toOnnx, type OnnxDType, type ToOnnxOptions } from './to-onnx.js';
export { fromOnnx } from './from-onnx.js';
