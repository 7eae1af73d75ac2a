import { isAbsolute, relative } from 'node:path';

/** Where a command writes, and how it learns of Ctrl-C. */
export interface Output {
  write: (text: string) => void;
  isTTY: boolean;
  /** The folder relative paths are the caller's from; paths are shown relative to it. */
  base: string;
  /** Calls `listener` on Ctrl-C or SIGTERM until the returned function is called. */
  onInterrupt: (listener: () => void) => () => void;
}

/** `path` as the user would type it from `base`. */
export function shown(path: string, base: string): string {
  const rel = relative(base, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
