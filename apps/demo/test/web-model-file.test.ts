import { MLP } from '@mg/nn';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '@mg/test-utils';
import { DEFAULTS, type Config } from '../src/web/config.js';
import { configFor } from '../src/web/model-file.js';

const base: Config = { ...DEFAULTS, hidden: [...DEFAULTS.hidden] };
const why = (text: string): string => (thrownBy(() => configFor(text, base)) as Error).message;

describe('reading a model file into the page', () => {
  it("takes a saved model's hidden sizes and activation", () => {
    const model = new MLP(2, [8, 4, 1], { seed: 1, activation: 'tanh' });

    const { config } = configFor(JSON.stringify(model.toJSON()), base);

    expect(config.hidden).toEqual([8, 4]);
    expect(config.activation).toBe('tanh');
  });

  it('says in words what is wrong with a file that is not a model, quoting what it holds', () => {
    const mlp = '"format":"mg.mlp","version":1';

    expect(why('')).toBe('the file is empty');
    expect(why('null')).toBe('not an MLP saved by @mg/nn: it needs "format": "mg.mlp", and it is null');
    expect(why('[1,2]')).toBe('not an MLP saved by @mg/nn: it needs "format": "mg.mlp", and it is [1,2]');
    expect(why(`{${mlp},"nin":2,"layers":[1,2]}`)).toBe('layer 1 is 1, not an object with neurons');
    expect(why(`{${mlp},"nin":2,"layers":{}}`)).toBe('its layers are {}, not a list of layers');
    expect(why(`{${mlp},"nin":2,"layers":[{"neurons":null}]}`)).toBe(
      "layer 1's neurons are null, not a list of neurons",
    );
    expect(why(`{${mlp},"layers":[]}`)).toBe(
      'the model\'s input count ("nin") is missing; this page\'s points have 2',
    );
    expect(why(`{${mlp},"nin":3}`)).toBe('the model\'s input count ("nin") is 3; this page\'s points have 2');
  });
});
