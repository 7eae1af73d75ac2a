import * as engine from '@mg/engine';
import * as nn from '@mg/nn';
import * as viz from '@mg/viz';
import { describeExamples, describeMarkdown } from '@mg/test-utils/vitest';
import * as cliExamples from '../src/cli/examples.js';

// The repository's front page and this app's README: their code runs like every package's.
const modules = { '@mg/engine': engine, '@mg/nn': nn, '@mg/viz': viz };
describeMarkdown(new URL('../../../README.md', import.meta.url), { modules });
describeMarkdown(new URL('../README.md', import.meta.url), { modules });
// The CLI's TSDoc examples (seedExamples' values), with what they use in scope.
describeExamples(new URL('../src/cli/', import.meta.url), { modules, globals: { cliExamples } });
