export { toDot, type DotOptions } from './dot.js';
export { toSvg } from './svg.js';
export { graphStats, type GraphStats, type GraphStatsOptions } from './stats.js';
export { opLabel } from './op-label.js';
export type { Highlight } from './highlight.js';
