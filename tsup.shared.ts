// The one build every published package uses: ESM and CommonJS with their own .d.ts files, no
// source maps (the sources are not published). Dependencies and peers stay external (tsup's default).
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'es2022',
});
