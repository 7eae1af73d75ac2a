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
import { basename, dirname, join } from 'node:path';
import { UsageError } from './args.js';
import type { OutputFile } from './artifacts.js';
import { OutputError, ReaderGone } from './output.js';

/**
 * A run's files on their way into place: written into a hidden folder inside the output folder
 * (or, for a file outside it, beside that file), then renamed into place all together or not at all.
 */
export interface Staging {
  /**
   * Writes one of the run's files into the staging folder.
   *
   * @returns the path it will have once committed
   */
  write(name: string, content: string | Uint8Array): string;
  /**
   * Writes a file that goes outside the output folder (`--onnx`), under a hidden name beside it.
   *
   * @returns the path it will have once committed
   */
  writeBeside(file: OutsideFile): string;
  /**
   * Moves every written file into place: the files they replace are first renamed aside, then
   * the new ones renamed in; on any failure, what was moved is moved back.
   *
   * @throws OutputError saying which file could not be put in place, and that nothing was changed
   */
  commit(): void;
  /** Removes what was written, and the output folder if this run created it. */
  discard(): void;
}

/** A file a command writes outside its output folder, replaced in the same pass as the others. */
export interface OutsideFile {
  /** Where it goes, absolute. */
  readonly path: string;
  /** The flag and the path as typed, for messages: `--onnx "model.onnx"`. */
  readonly label: string;
  readonly content: string | Uint8Array;
}

/** One staged file's way into place. */
interface Move {
  readonly from: string;
  readonly to: string;
  /** The file in messages: `"a.png" in --out "out"`. */
  readonly what: string;
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
  const flag = `--out ${JSON.stringify(shown)}`;
  const refuse = (why: string): never => {
    throw new UsageError(`${flag} ${why}`);
  };
  const kind = kindOf(dir);
  if (kind === 'file') refuse('is a file, not a folder');
  if (kind === 'broken-link') refuse('is a broken symbolic link, not a folder');
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
  // The same failures after training are no longer the command line's fault.
  const late = (why: string): never => {
    throw new OutputError(`${flag} ${why}; nothing was changed`);
  };
  let created: string[] = [];
  let staging: string | undefined;
  const moves: Move[] = [];
  const beside: string[] = [];
  return {
    write(name, content) {
      if (!names.includes(name))
        throw new Error(`Staging.write: ${JSON.stringify(name)} is not one of the files this run declared`);
      if (staging === undefined) {
        created = openStaging(dir, late, shown);
        staging = created[created.length - 1];
      }
      const path = join(staging ?? dir, name);
      const what = `${JSON.stringify(name)} in ${flag}`;
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      } catch (error) {
        throw new OutputError(`could not write ${what} (${reason(error)}); nothing was changed`);
      }
      moves.push({ from: path, to: join(dir, name), what });
      return join(dir, name);
    },
    writeBeside(file) {
      const path = join(dirname(file.path), `.${basename(file.path)}.partial-${process.pid}`);
      beside.push(path);
      try {
        writeFileSync(path, file.content);
      } catch (error) {
        throw new OutputError(`could not write ${file.label} (${reason(error)}); nothing was changed`);
      }
      moves.push({ from: path, to: file.path, what: file.label });
      return file.path;
    },
    commit() {
      replaceAll(moves);
      if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
    },
    discard() {
      for (const path of beside) rmSync(path, { force: true });
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

let asides = 0;

/** A free hidden name beside `path`, to keep the file there while the new one is put in place. */
function asideName(path: string): string {
  for (;;) {
    const aside = join(dirname(path), `.demo-old-${process.pid}-${++asides}-${basename(path)}`);
    if (lstatSync(aside, { throwIfNoEntry: false }) === undefined) return aside;
  }
}

/**
 * Renames every staged file into place, all or none: first every file in the way is renamed
 * aside (beside itself), then every new one is renamed in, then the old ones are removed. A
 * failure at any point moves back what was moved.
 *
 * @throws OutputError naming the file that could not be put in place, and what was left
 */
function replaceAll(moves: readonly Move[]): void {
  const folders: string[] = [];
  const aside: { move: Move; path: string }[] = [];
  const placed: Move[] = [];
  let verb = 'replace';
  let current: Move | undefined;
  try {
    for (const move of moves) {
      current = move;
      // Names are at most one folder deep: only that folder can be missing.
      const parent = dirname(move.to);
      if (kindOf(parent) === 'none') {
        mkdirSync(parent);
        folders.push(parent);
      }
      if (lstatSync(move.to, { throwIfNoEntry: false }) === undefined) continue;
      const path = asideName(move.to);
      renameSync(move.to, path);
      aside.push({ move, path });
    }
    verb = 'write';
    for (const move of moves) {
      current = move;
      renameSync(move.from, move.to);
      placed.push(move);
    }
  } catch (error) {
    const left = rollBack(aside, placed, folders);
    throw new OutputError(
      `could not ${verb} ${current?.what ?? 'the files'} (${reason(error)}); ${left.length === 0 ? 'nothing was changed' : left.join('; ')}`,
    );
  }
  for (const { path } of aside) {
    try {
      rmSync(path, { force: true });
    } catch {
      // Replaced already: an old copy left under a hidden name is harmless.
    }
  }
}

/**
 * Undoes {@link replaceAll}'s renames: the new files out, the old ones back, the folders it made.
 *
 * @returns what could not be undone, in words; empty when everything is as it was
 */
function rollBack(
  aside: readonly { move: Move; path: string }[],
  placed: readonly Move[],
  folders: readonly string[],
): string[] {
  const left: string[] = [];
  const restored = new Set(aside.map((a) => a.move.to));
  for (const move of placed) {
    if (restored.has(move.to)) continue;
    try {
      renameSync(move.to, move.from);
    } catch {
      left.push(`${move.what} is this run's`);
    }
  }
  for (const { move, path } of aside) {
    try {
      renameSync(path, move.to);
    } catch {
      left.push(`the old ${move.what} could not be put back and is kept as ${JSON.stringify(path)}`);
    }
  }
  removeFolders(folders);
  return left;
}

/**
 * Makes every group of files, in memory, then stages and commits them all in one synchronous
 * pass with Ctrl-C and SIGTERM held off, so the folder holds this run's files or the last run's.
 * A signal while the files are made stops the run before anything is written; a failure while
 * they are staged or committed leaves everything as it was.
 *
 * @param staging - from {@link prepareOut}
 * @param holdSignals - holds off Ctrl-C and SIGTERM until the returned function is called
 * @param groups - makers of files, called in order without waiting for the one before to finish
 * @param options - `outside`: the files that go outside the folder, made after the groups;
 *   `stopped`: whether to stop (the reader has gone), asked before and after the groups
 * @returns the paths written, the folder's first
 * @throws ReaderGone when `stopped` says so, before anything is written
 */
export async function writeAll(
  staging: Staging,
  holdSignals: () => () => void,
  groups: readonly (() => OutputFile[] | Promise<OutputFile[]>)[],
  options: { outside?: () => OutsideFile[]; stopped?: () => boolean } = {},
): Promise<string[]> {
  const check = () => {
    if (options.stopped?.() === true) throw new ReaderGone();
  };
  check();
  // Each group starts as soon as the one before has done its share on this thread (a picture's
  // PNG then renders on libuv's pool while the next is drawn); all are awaited, and any failure
  // ends the run, before anything is written.
  const made = await Promise.all(groups.map((group) => Promise.resolve().then(group)));
  check();
  const files = made.flat();
  const outside = options.outside?.() ?? [];
  const release = holdSignals();
  try {
    const paths = [
      ...files.map((file) => staging.write(file.name, file.content)),
      ...outside.map((file) => staging.writeBeside(file)),
    ];
    staging.commit();
    return paths;
  } catch (error) {
    staging.discard();
    throw error;
  } finally {
    release();
  }
}

/**
 * What is at `path`: nothing, a file, a folder, a symbolic link to nothing, something else, or
 * nothing because a parent is a file.
 */
function kindOf(path: string): 'none' | 'file' | 'dir' | 'broken-link' | 'other' | 'under-file' {
  try {
    const stat = lstatSync(path);
    if (stat.isDirectory()) return 'dir';
    if (stat.isFile()) return 'file';
    if (!stat.isSymbolicLink()) return 'other';
    const target = statSync(path, { throwIfNoEntry: false });
    // A symbolic link to a folder is a fine place to write into.
    return target === undefined ? 'broken-link' : target.isDirectory() ? 'dir' : 'other';
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
  const kind = kindOf(path);
  if (kind !== 'dir') {
    const what =
      kind === 'file'
        ? 'a file, not a folder'
        : kind === 'broken-link'
          ? 'a broken symbolic link'
          : 'not a folder';
    refuse(`is inside ${JSON.stringify(typed)}, which is ${what}`);
  }
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
    EISDIR: 'a folder is in the way',
    EXDEV: 'it is on another file system',
    EBUSY: 'it is in use',
  };
  return code !== undefined ? `${explained[code] ?? 'error'}: ${code}` : String(error);
}
