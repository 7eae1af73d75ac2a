import type { Value } from '@mg/engine';
import type { MLP } from '@mg/nn';
import { toDot, toSvg } from '@mg/viz';
import { activePoint, neuronGraph } from '../core/neuron-graph.js';
import { embedGraphFont, svgToPng, type OutputFile } from './artifacts.js';

/** The files {@link graphFiles} makes for `name`. */
export function graphFileNames(name: string): string[] {
  return ['dot', 'svg', 'png'].map((ext) => `${name}.${ext}`);
}

/**
 * The graph of `root` as `name.dot`, `name.svg` (its font embedded) and `name.png`.
 *
 * @returns the files, in that order
 */
export async function graphFiles(name: string, root: Value, title: string): Promise<OutputFile[]> {
  const dot = toDot(root, { title, highlight: 'grad' });
  const svg = embedGraphFont(await toSvg(dot));
  const [dotName, svgName, pngName] = graphFileNames(name) as [string, string, string];
  return [
    { name: dotName, content: dot },
    { name: svgName, content: svg },
    { name: pngName, content: svgToPng(svg) },
  ];
}

/**
 * The graph of the model's first hidden neuron at a point of `X` where it is active
 * (see {@link neuronGraph}), as `neuron-graph.{dot,svg,png}`.
 */
export function neuronGraphFiles(model: MLP, X: Float64Array): Promise<OutputFile[]> {
  const point = activePoint(model, X);
  const root = neuronGraph(model, point);
  return graphFiles(
    'neuron-graph',
    root,
    `first hidden neuron at (${point[0].toFixed(4)}, ${point[1].toFixed(4)})`,
  );
}
