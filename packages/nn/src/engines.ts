/** Where training runs: eager graphs built per step, or a program compiled once by `compile` from `@mg/engine`. */
export type Engine = 'eager' | 'compiled';

/** Every {@link Engine}, for option checks and menus. */
export const ENGINES: readonly Engine[] = ['eager', 'compiled'];
