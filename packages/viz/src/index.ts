export { toDot } from './dot.js';
export type { DotOptions } from './dot.js';
export { toSvg } from './svg.js';
export { graphStats } from './stats.js';
export type { GraphStats, GraphStatsOptions } from './stats.js';
export { opLabel } from './op-label.js';
export type { Highlight } from './highlight.js';
