import { describe, expect, it } from 'vitest';
import { Value } from '../src/index.js';
import { readmeExample } from '@mg/test-utils';
import { expectRelativelyClose } from './close.js';

// micrograd's test/test_engine.py, checked there against PyTorch.
describe('micrograd reference cases', () => {
  it('sanity check: y.data == -20 and x.grad == 46', () => {
    const x = new Value(-4.0);
    const z = new Value(2).mul(x).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));

    y.backward();

    expect(y.data).toBe(-20);
    expect(x.grad).toBe(46);
  });

  it('more ops: the README example matches PyTorch within 1e-12', () => {
    const { a, b, g } = readmeExample().values;

    expectRelativelyClose(g!.data, 24.70408163265306);
    expectRelativelyClose(a!.grad, 138.83381924198252);
    expectRelativelyClose(b!.grad, 645.5772594752186);
  });
});
