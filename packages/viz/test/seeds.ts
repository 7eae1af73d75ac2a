// The lecture's worked examples are shared with the other packages' tests.
import { expressionExample, neuronExample, tanhExample } from '@mg/test-utils';

export { neuronExample, tanhExample };
export const lossExample = expressionExample;

export const seeds = [tanhExample, neuronExample, expressionExample].map(
  (example) => [example().title, example] as const,
);
