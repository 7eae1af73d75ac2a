import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  divergenceRisk,
  formatConfig,
  learningRate,
  niceBelow,
  parseConfig,
  safeLearningRate,
} from '../src/web/config.js';

describe('the web page settings', () => {
  it('reads back every setting it writes into a link', () => {
    const config = {
      ...DEFAULTS,
      hidden: [8, 4],
      lr: 0.05,
      optimizer: 'momentum' as const,
      test: 20,
      decay: false,
      speed: '5' as const,
    };

    expect(parseConfig(formatConfig(config))).toEqual({ config, ignored: [] });
    expect(formatConfig(config)).toContain('&speed=5');
  });

  it('trains at 20 steps a second unless a link says otherwise, and lists a speed it does not offer', () => {
    expect(DEFAULTS.speed).toBe('20');
    expect(parseConfig('?speed=max').config.speed).toBe('max');
    expect(parseConfig('?speed=fast')).toEqual({
      config: DEFAULTS,
      ignored: ['speed=fast (allowed: 1, 5, 20, 60, max)'],
    });
  });

  it("lists a link's unusable parameters with what they allow, and uses the defaults for them", () => {
    const { config, ignored } = parseConfig(
      '?samples=5000&hidden=128,128&optimizer=rmsprop&colour=red&lr=0.5',
    );

    expect(config.samples).toBe(DEFAULTS.samples);
    expect(config.hidden).toEqual(DEFAULTS.hidden);
    expect(config.lr).toBe(0.5);
    expect(ignored).toEqual([
      'samples=5000 (allowed: 2 to 2000, a whole number)',
      'hidden=128,128 (allowed: up to 4 layers of 1 to 64 neurons)',
      'optimizer=rmsprop (allowed: sgd, momentum, adam)',
      'colour=red (not a setting)',
    ]);
  });

  it("keeps the notebook's schedule to the bit and holds its last rate past the end", () => {
    const settings = { lr: 1, decay: true, steps: 100 };

    expect(learningRate(settings, 37)).toBe(1.0 - (0.9 * 37) / 100);
    expect(learningRate(settings, 250)).toBe(learningRate(settings, 100));
  });

  it('warns about rates that deep networks diverge at, not about the notebook run', () => {
    expect(divergenceRisk({ hidden: [16, 16], lr: 1, optimizer: 'sgd' })).toBeNull();
    expect(divergenceRisk({ hidden: [64, 64, 64, 64], lr: 10, optimizer: 'sgd' })).toMatch(
      /likely to diverge at learning rate 10: try 0\.003 or less/,
    );
    expect(safeLearningRate([32, 32, 32])).toBe(0.3);
    expect([niceBelow(0.5), niceBelow(0.05), niceBelow(1e-9)]).toEqual([0.3, 0.03, 0.0001]);
  });
});
