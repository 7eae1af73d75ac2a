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
  /**
   * Whether the reader of `write` has gone (a closed pipe, as after `| head`): the run then stops
   * as at Ctrl-C, before it writes any file, or once its files are all in place.
   */
  readerGone?: () => boolean;
}

/** The run stopped because its reader went away: the CLI ends quietly, with the exit code of SIGPIPE. */
export class ReaderGone extends Error {
  override readonly name = 'ReaderGone';
  constructor() {
    super('standard output was closed');
  }
}

/**
 * The files could not be put in place (the folder changed under the run, a file of another user
 * in a sticky folder, a full disk): the CLI prints the message, which says what was left, and exits
 * with code 1.
 */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** `path` as the user would type it from `base`. */
export function shown(path: string, base: string): string {
  const rel = relative(base, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
