// Tests run against the packages' sources, so a test run never waits for (or races) a build: each
// workspace package's `exports` lists `src/index.ts` under the `@mg/source` condition.
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** The export condition under which every workspace package exposes its TypeScript sources. */
export const sourceCondition = '@mg/source';

export default defineConfig({
  resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 60_000,
  },
});
