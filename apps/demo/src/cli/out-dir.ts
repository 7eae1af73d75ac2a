import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from './args.js';
import type { OutputFile } from './artifacts.js';

/**
 * A run's files on their way into the output folder: written into a hidden folder inside it,
 * then renamed over the old ones, each rename atomic.
 */
export interface Staging {
  /**
   * Writes one of the run's files into the staging folder.
   *
   * @returns the path it will have once committed
   */
  write(name: string, content: string | Uint8Array): string;
  /** Moves every written file into place. */
  commit(): void;
  /** Removes what was written, and the output folder if this run created it. */
  discard(): void;
}

/**
 * Checks that `dir` can take the files `names` (relative paths, at most one folder deep), before
 * any work is done: by creating it (if need be) and a staging folder inside it, then removing them.
 *
 * @param dir - the output folder, absolute
 * @param names - every file the run will write
 * @param shown - `dir` as the user typed it, for messages
 * @returns where to write
 * @throws UsageError naming `--out` when the folder is a file, inside a file, or not writable
 */
export function prepareOut(dir: string, names: readonly string[], shown: string): Staging {
  const refuse = (why: string): never => {
    throw new UsageError(`--out ${JSON.stringify(shown)} ${why}`);
  };
  const kind = kindOf(dir);
  if (kind === 'file') refuse('is a file, not a folder');
  if (kind === 'other') refuse('is not a folder');
  for (const name of kind === 'dir' ? names : []) {
    const parent = dirname(join(dir, name));
    if (parent !== dir && !['none', 'dir'].includes(kindOf(parent)))
      refuse(`holds ${JSON.stringify(dirname(name))}, which is not a folder`);
    if (!['none', 'file'].includes(kindOf(join(dir, name))))
      refuse(`holds ${JSON.stringify(name)}, which is not a file`);
  }
  // Probe now, by doing what the first write will do, and undo it: a run stopped while it trains
  // leaves nothing behind.
  removeFolders(openStaging(dir, refuse, shown));
  let created: string[] = [];
  let staging: string | undefined;
  const written = new Map<string, string>();
  return {
    write(name, content) {
      if (!names.includes(name))
        throw new Error(`Staging.write: ${JSON.stringify(name)} is not one of the files this run declared`);
      if (staging === undefined) {
        created = openStaging(dir, refuse, shown);
        staging = created[created.length - 1];
      }
      const path = join(staging ?? dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      written.set(name, path);
      return join(dir, name);
    },
    commit() {
      for (const [name, path] of written) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        renameSync(path, join(dir, name));
      }
      if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
    },
    discard() {
      if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
      removeFolders(created.slice(0, -1));
    },
  };
}

/**
 * Creates `dir` if need be and a staging folder inside it.
 *
 * @returns the folders created, the staging folder last
 */
function openStaging(dir: string, refuse: (why: string) => never, shown: string): string[] {
  const created = kindOf(dir) === 'dir' ? [] : makeFolders(dir, refuse, shown);
  try {
    created.push(mkdtempSync(join(dir, '.demo-partial-')));
  } catch (error) {
    removeFolders(created);
    refuse(`is not writable (${reason(error)})`);
  }
  return created;
}

/**
 * Makes every group of files, in memory, then stages and commits them all in one synchronous
 * pass with Ctrl-C and SIGTERM held off, so the folder holds this run's files or the last run's.
 * A signal while the files are made stops the run before anything is written; a failure while
 * they are staged discards them.
 *
 * @param staging - from {@link prepareOut}
 * @param holdSignals - holds off Ctrl-C and SIGTERM until the returned function is called
 * @param groups - makers of files, called in order
 * @returns the paths written
 */
export async function writeAll(
  staging: Staging,
  holdSignals: () => () => void,
  groups: readonly (() => OutputFile[] | Promise<OutputFile[]>)[],
): Promise<string[]> {
  const files: OutputFile[] = [];
  for (const group of groups) files.push(...(await group()));
  const release = holdSignals();
  try {
    const paths = files.map((file) => staging.write(file.name, file.content));
    staging.commit();
    return paths;
  } catch (error) {
    staging.discard();
    throw error;
  } finally {
    release();
  }
}

/** What is at `path`: nothing, a file, a folder, something else, or nothing because a parent is a file. */
function kindOf(path: string): 'none' | 'file' | 'dir' | 'other' | 'under-file' {
  try {
    const stat = lstatSync(path);
    if (stat.isDirectory()) return 'dir';
    if (stat.isFile()) return 'file';
    // A symbolic link to a folder is a fine place to write into.
    return stat.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isDirectory() === true
      ? 'dir'
      : 'other';
  } catch (error) {
    if (isCode(error, 'ENOENT')) return 'none';
    if (isCode(error, 'ENOTDIR')) return 'under-file';
    return 'other';
  }
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir never returns for a path under /proc.
 *
 * @returns the folders it created, deepest last
 */
function makeFolders(dir: string, refuse: (why: string) => never, shown: string): string[] {
  const missing: string[] = [];
  let path = dir;
  // The same ancestor as the user typed it, for the message.
  let typed = shown;
  while (['none', 'under-file'].includes(kindOf(path)) && dirname(path) !== path) {
    missing.unshift(path);
    path = dirname(path);
    typed = dirname(typed);
  }
  if (kindOf(path) !== 'dir') refuse(`is inside ${JSON.stringify(typed)}, which is a file, not a folder`);
  const created: string[] = [];
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      removeFolders(created);
      refuse(`cannot be created (${reason(error)})`);
    }
    created.push(folder);
  }
  return created;
}

function removeFolders(created: readonly string[]): void {
  for (const folder of [...created].reverse()) {
    try {
      rmdirSync(folder);
    } catch {
      // Not empty (someone else wrote there meanwhile): leave it.
    }
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function reason(error: unknown): string {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const explained: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'the system does not allow it there',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'part of the path is a file',
  };
  return code !== undefined ? `${explained[code] ?? 'error'}: ${code}` : String(error);
}
