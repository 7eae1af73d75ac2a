// The release test runs against what the local registry serves, never the workspace sources.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
