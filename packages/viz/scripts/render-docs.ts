// Regenerates docs/neuron.svg, the graph the README shows: `pnpm --filter @mg/viz docs`.
// test/docs.test.ts fails when the checked-in file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Value } from '@mg/engine';
import { toSvg } from '../src/index.js';

/** The neuron of micrograd's first lecture after `backward()`, drawn with gradients highlighted. */
export async function neuronSvg(): Promise<string> {
  const x1 = new Value(2, { label: 'x1' });
  const x2 = new Value(0, { label: 'x2' });
  const w1 = new Value(-3, { label: 'w1' });
  const w2 = new Value(1, { label: 'w2' });
  const b = new Value(6.8813735870195432, { label: 'b' });
  const x1w1 = x1.mul(w1);
  x1w1.label = 'x1*w1';
  const x2w2 = x2.mul(w2);
  x2w2.label = 'x2*w2';
  const x1w1x2w2 = x1w1.add(x2w2);
  x1w1x2w2.label = 'x1*w1 + x2*w2';
  const n = x1w1x2w2.add(b);
  n.label = 'n';
  const o = n.tanh();
  o.label = 'o';
  o.backward();
  return toSvg(o, { title: 'o = tanh(x1*w1 + x2*w2 + b) after o.backward()', highlight: 'grad' });
}

export const neuronSvgPath = fileURLToPath(new URL('../docs/neuron.svg', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(neuronSvgPath, await neuronSvg());
  console.log(`wrote ${neuronSvgPath}`);
}
