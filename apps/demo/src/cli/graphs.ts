import type { Value } from '@mg/engine';
import type { MLP } from '@mg/nn';
import { toDot, toSvg } from '@mg/viz';
import { activePoint, neuronGraph } from '../core/neuron-graph.js';
import { writeSvgAndPng, writeText } from './artifacts.js';

/**
 * Writes the graph of `root` as `name.dot`, `name.svg` and `name.png` into `dir`.
 *
 * @returns the paths written
 */
export async function writeGraph(dir: string, name: string, root: Value, title: string): Promise<string[]> {
  const dot = toDot(root, { title, highlight: 'grad' });
  const svg = await toSvg(dot);
  return [writeText(dir, `${name}.dot`, dot), ...writeSvgAndPng(dir, name, svg)];
}

/**
 * Writes the graph of the model's first hidden neuron at a point of `X` where it is active
 * (see {@link neuronGraph}).
 *
 * @returns the paths written
 */
export function writeNeuronGraph(dir: string, model: MLP, X: Float64Array): Promise<string[]> {
  const point = activePoint(model, X);
  const root = neuronGraph(model, point);
  return writeGraph(dir, 'neuron-graph', root, `first hidden neuron at (${point[0].toFixed(4)}, ${point[1].toFixed(4)})`);
}
