import { failingIn } from '@mg/test-utils/docs';
import { describeExamples, describeMarkdown } from '@mg/test-utils/vitest';
import * as engine from '../src/index.js';

describeMarkdown(new URL('../README.md', import.meta.url), { modules: { '@mg/engine': engine } }, failingIn('@mg/engine'));
describeExamples(new URL('../src/', import.meta.url), { globals: { engine } }, failingIn('@mg/engine'));
