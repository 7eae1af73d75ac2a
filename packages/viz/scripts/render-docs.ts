// Regenerates docs/neuron.svg, the graph the README shows: `pnpm --filter @mg/viz docs`.
// test/docs.test.ts fails when the checked-in file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { neuronExample } from '@mg/test-utils';
import { toSvg } from '../src/index.js';

/** The neuron of micrograd's first lecture after `backward()`, drawn with gradients highlighted. */
export async function neuronSvg(): Promise<string> {
  return toSvg(neuronExample().root, {
    title: 'o = tanh(x1*w1 + x2*w2 + b) after o.backward()',
    highlight: 'grad',
  });
}

export const neuronSvgPath = fileURLToPath(new URL('../docs/neuron.svg', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(neuronSvgPath, await neuronSvg());
  console.log(`wrote ${neuronSvgPath}`);
}
