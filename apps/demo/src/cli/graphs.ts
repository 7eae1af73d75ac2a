import type { Value } from '@mg/engine';
import type { MLP } from '@mg/nn';
import { toDot, toSvg } from '@mg/viz';
import { neuronGraph, type NeuronChoice } from '../core/neuron-graph.js';
import { embedGraphFont, svgToPng, type OutputFile } from './artifacts.js';

/** The files {@link graphFiles} makes for `name`. */
export function graphFileNames(name: string): string[] {
  return ['dot', 'svg', 'png'].map((ext) => `${name}.${ext}`);
}

/**
 * The graph of `root` as `name.dot` (ending in a newline, as every text file the CLI writes),
 * `name.svg` (its font embedded) and `name.png`.
 *
 * @returns the files, in that order
 */
export async function graphFiles(name: string, root: Value, title: string): Promise<OutputFile[]> {
  const dot = toDot(root, { title, highlight: 'grad' });
  const svg = embedGraphFont(await toSvg(dot));
  const [dotName, svgName, pngName] = graphFileNames(name) as [string, string, string];
  return [
    { name: dotName, content: `${dot}\n` },
    { name: svgName, content: svg },
    { name: pngName, content: await svgToPng(svg) },
  ];
}

/**
 * The graph of a neuron of the model's first hidden layer at a point (see {@link neuronGraph}),
 * as `neuron-graph.{dot,svg,png}`, titled with {@link neuronGraphTitle}.
 *
 * @param choice - the neuron and point, from `chooseNeuron`
 */
export function neuronGraphFiles(model: MLP, choice: NeuronChoice): Promise<OutputFile[]> {
  return graphFiles(
    'neuron-graph',
    neuronGraph(model, choice.point, choice.neuron),
    neuronGraphTitle(choice),
  );
}

/**
 * What the neuron graph shows: `first hidden neuron at (x, y)`, or `hidden neuron 3 ...` when
 * the first ones are inactive at every point, or a note that every gradient is 0 when all are.
 */
export function neuronGraphTitle(choice: NeuronChoice): string {
  const [x, y] = choice.point;
  const which = choice.neuron === 0 ? 'first hidden neuron' : `hidden neuron ${choice.neuron + 1}`;
  const title = `${which} at (${x.toFixed(4)}, ${y.toFixed(4)})`;
  if (!choice.active) return `${title}: no neuron of layer 1 is active at any point, every gradient is 0`;
  return choice.neuron === 0 ? title : `${title}, the first of layer 1 active at any point`;
}

/**
 * What the CLI should say about the neuron graph beyond its title: nothing, unless no neuron of
 * the first hidden layer is active at any point, so that the graph's gradients are all 0.
 *
 * @returns one sentence, or none
 */
export function neuronGraphNotes(choice: NeuronChoice): string[] {
  if (choice.active) return [];
  return [
    'no neuron of the first hidden layer is active at any point (all are dead ReLUs), so neuron-graph shows neuron 1 with every gradient 0',
  ];
}
