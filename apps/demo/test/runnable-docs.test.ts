import * as engine from '@mg/engine';
import * as nn from '@mg/nn';
import * as viz from '@mg/viz';
import { describeMarkdown } from '@mg/test-utils/vitest';

// The repository's front page and this app's README: their code runs like every package's.
const modules = { '@mg/engine': engine, '@mg/nn': nn, '@mg/viz': viz };
describeMarkdown(new URL('../../../README.md', import.meta.url), { modules });
describeMarkdown(new URL('../README.md', import.meta.url), { modules });
