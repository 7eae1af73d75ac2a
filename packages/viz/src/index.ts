export { graphStats } from './stats.js';
export type { GraphStats } from './stats.js';
