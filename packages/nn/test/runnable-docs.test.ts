import { describeExamples, describeMarkdown } from '@mg/test-utils/vitest';
import * as engine from '@mg/engine';
import * as nn from '../src/index.js';

// Every code block of the README and every @example in the sources runs as pasted (see the
// conventions at the top of packages/test-utils/src/docs/run-block.ts).
const options = { modules: { '@mg/nn': nn, '@mg/engine': engine }, globals: { engine, nn } };
describeMarkdown(new URL('../README.md', import.meta.url), options);
describeExamples(new URL('../src/', import.meta.url), options);
