import { join } from 'node:path';
import { seedExamples } from '../core/examples.js';
import { writeGraph } from './graphs.js';
import { shown, type Output } from './train-command.js';

/** Builds the lecture's examples, prints their values and gradients, and draws their graphs into `out/examples`. */
export async function examplesCommand(out: string, json: boolean, output: Output): Promise<void> {
  const dir = join(out, 'examples');
  for (const example of seedExamples()) {
    const artifacts = (await writeGraph(dir, example.name, example.root, example.title)).map((a) => shown(a, output.base));
    if (json) {
      const values = Object.fromEntries(example.values.map((v) => [v.label, { data: v.data, grad: v.grad }]));
      output.write(`${JSON.stringify({ example: example.name, title: example.title, values, artifacts })}\n`);
      continue;
    }
    const width = Math.max(...example.values.map((v) => v.label.length));
    const rows = example.values.map((v) => `  ${v.label.padEnd(width)}  data ${fixed(v.data)}  grad ${fixed(v.grad)}`);
    output.write(`${example.name}: ${example.title}\n${rows.join('\n')}\n  wrote ${artifacts.join(', ')}\n\n`);
  }
}

function fixed(x: number): string {
  return x.toFixed(4).padStart(10);
}
