import type { Value } from '@mg/engine';
import {
  expressionExample,
  type LectureExample,
  neuronExample,
  readmeExample,
  tanhExample,
} from '@mg/test-utils';

/** One of the lecture's small worked examples, after `backward()`. */
export interface Example {
  /** A file-name-friendly name, e.g. `'neuron'`. */
  readonly name: string;
  /** What it computes, in one line. */
  readonly title: string;
  /** The final value, whose graph to draw. */
  readonly root: Value;
  /** The labelled values worth printing, in the order the lecture introduces them. */
  readonly values: readonly Value[];
}

// The fixtures label every intermediate value; the printout keeps to the ones the lecture discusses.
const PRINTED: readonly (readonly [() => LectureExample, readonly string[]])[] = [
  [tanhExample, ['x', 'y', 'z', 'a', 'b']],
  [neuronExample, ['x1', 'x2', 'w1', 'w2', 'b', 'n', 'o']],
  [expressionExample, ['a', 'b', 'c', 'e', 'd', 'f', 'L']],
  [readmeExample, ['a', 'b', 'g']],
];

/**
 * The seed examples of the micrograd lectures and the engine README's example, built
 * and back-propagated (the workspace's shared fixtures).
 *
 * @returns fresh graphs, one per example
 * @example
 * ```ts
 * const [first] = seedExamples();
 * first.root.data; // 1.9998184085251902, b = tanh(x + y) * x = tanh(5) * 2
 * ```
 */
export function seedExamples(): Example[] {
  return PRINTED.map(([build, labels]) => {
    const { name, title, root, values } = build();
    return {
      name,
      title,
      root,
      values: labels.map((label) => {
        const value = values[label];
        if (value === undefined) throw new Error(`internal error: example "${name}" has no value "${label}"`);
        return value;
      }),
    };
  });
}
