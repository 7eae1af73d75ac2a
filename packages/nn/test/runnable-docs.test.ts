import * as engine from '@mg/engine';
import { failingIn } from '@mg/test-utils/docs';
import { describeExamples, describeMarkdown } from '@mg/test-utils/vitest';
import * as nn from '../src/index.js';

describeMarkdown(new URL('../README.md', import.meta.url), { modules: { '@mg/nn': nn, '@mg/engine': engine } }, failingIn('@mg/nn'));
describeExamples(new URL('../src/', import.meta.url), { globals: { engine, nn } }, failingIn('@mg/nn'));
