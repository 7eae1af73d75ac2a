import { join } from 'node:path';
import { seedExamples } from './examples.js';
import { graphFileNames, graphFiles } from './graphs.js';
import { prepareOut, writeAll } from './out-dir.js';
import { shown, type Output } from './output.js';

/**
 * Builds the lecture's examples, prints their values and gradients, and replaces their graphs in
 * `out/examples` (all of them or none).
 *
 * @param out - the output folder, absolute
 * @param json - one JSON object per example instead of text
 * @param output - where to report
 * @param outShown - `out` as the user typed it, for messages
 * @throws UsageError when `out` cannot take the graphs
 */
export async function examplesCommand(
  out: string,
  json: boolean,
  output: Output,
  outShown = out,
): Promise<void> {
  const examples = seedExamples();
  const path = (name: string) => `examples/${name}`;
  const staging = prepareOut(
    out,
    examples.flatMap((e) => graphFileNames(path(e.name))),
    outShown,
  );
  await writeAll(
    staging,
    output.holdSignals,
    examples.map((e) => () => graphFiles(path(e.name), e.root, e.title)),
    output.readerGone === undefined ? {} : { stopped: output.readerGone },
  );
  for (const example of examples) {
    const artifacts = graphFileNames(path(example.name)).map((name) => shown(join(out, name), output.base));
    if (json) {
      const values = Object.fromEntries(example.values.map((v) => [v.label, { data: v.data, grad: v.grad }]));
      output.write(`${JSON.stringify({ example: example.name, title: example.title, values, artifacts })}\n`);
      continue;
    }
    const width = Math.max(...example.values.map((v) => v.label.length));
    const rows = example.values.map(
      (v) => `  ${v.label.padEnd(width)}  data ${fixed(v.data)}  grad ${fixed(v.grad)}`,
    );
    output.write(
      `${example.name}: ${example.title}\n${rows.join('\n')}\n  wrote ${artifacts.join(', ')}\n\n`,
    );
  }
}

function fixed(x: number): string {
  return x.toFixed(4).padStart(10);
}
