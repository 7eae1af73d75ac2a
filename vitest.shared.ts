// Tests run against the packages' sources, so a test run never waits for (or races) a build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export const workspaceAliases = {
  '@mg/engine': src('engine'),
  '@mg/nn': src('nn'),
  '@mg/viz': src('viz'),
};

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 60_000,
  },
});
