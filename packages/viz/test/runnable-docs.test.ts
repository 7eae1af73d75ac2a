import * as engine from '@mg/engine';
import { failingIn } from '@mg/test-utils/docs';
import { describeExamples, describeMarkdown } from '@mg/test-utils/vitest';
import * as viz from '../src/index.js';

describeMarkdown(new URL('../README.md', import.meta.url), { modules: { '@mg/viz': viz, '@mg/engine': engine } }, failingIn('@mg/viz'));
describeExamples(new URL('../src/', import.meta.url), { globals: { engine, viz } }, failingIn('@mg/viz'));
