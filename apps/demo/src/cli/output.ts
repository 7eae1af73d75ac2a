import { isAbsolute, relative } from 'node:path';

/** Where a command writes, and how it keeps Ctrl-C from cutting a write in half. */
export interface Output {
  write: (text: string) => void;
  isTTY: boolean;
  /** The folder relative paths are the caller's from; paths are shown relative to it. */
  base: string;
  /**
   * Holds off Ctrl-C and SIGTERM until the returned function is called: a signal that comes
   * meanwhile is dropped, the run finishing in milliseconds anyway.
   */
  holdSignals: () => () => void;
}

/** `path` as the user would type it from `base`. */
export function shown(path: string, base: string): string {
  const rel = relative(base, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
