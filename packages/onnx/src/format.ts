import type { Activation } from '@mg/nn';

/** The ONNX IR version and default-domain opset that {@link toOnnx} writes (ONNX 1.12, 2022). */
export const IR_VERSION = 8;
export const OPSET = 17;

/** `MLP(2, [16 relu, 16 relu, 1 linear])`: the architecture, as nn's error messages spell it. */
export function describeModel(nin: number, layers: readonly (readonly [number, Activation])[]): string {
  return `MLP(${nin}, [${layers.map(([n, a]) => `${n} ${a}`).join(', ')}])`;
}

/** A value quoted for an error message. */
export function show(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint' || x === null)
    return String(x);
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'function') return 'a function';
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object'
    ? `${article(name)} ${name}`
    : 'an object';
}

/** `an` before a vowel sound as a class name is read: an ArrayBuffer, an MLP, a Uint8Array, a Layer. */
function article(name: string): string {
  return /^(?:[AEIOaeio]|[Uu](?!int)|[FHLMNRSX][A-Z0-9])/.test(name) ? 'an' : 'a';
}
