import { realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { MLP } from '@mg/nn';
import { toOnnx } from '@mg/onnx';
import { UsageError } from './args.js';
import type { OutsideFile } from './out-dir.js';

/** Where `--onnx` puts the trained model, checked before training. */
export interface OnnxFile {
  /**
   * The model as a file (float64, every weight exact), for `writeAll` to put in place with the
   * pictures: all of them or none.
   */
  file(model: MLP): OutsideFile;
}

/** The output folder, as `prepareOut` got it. */
export interface OutFolder {
  /** Absolute. */
  readonly dir: string;
  /** As the user typed it, for messages. */
  readonly shown: string;
  /** The files the run writes there. */
  readonly names: readonly string[];
}

/**
 * Checks that `path` can take the model before any work is done: it is not `--out` or one of
 * the files written there, its folder exists (or is one `--out` creates) and a file can be
 * created beside it (probed, then removed).
 *
 * @param path - the file, absolute
 * @param shown - `path` as the user would type it, for messages
 * @param out - the output folder the run also writes
 * @throws UsageError naming `--onnx` when the path is a folder, is where `--out` writes, its
 *   folder is missing, or not writable
 */
export function prepareOnnxFile(path: string, shown: string, out: OutFolder): OnnxFile {
  const label = `--onnx ${JSON.stringify(shown)}`;
  const refuse = (why: string): never => {
    throw new UsageError(`${label} ${why}`);
  };
  const onnxFile: OnnxFile = {
    file: (model) => ({ path, label: `--onnx file ${JSON.stringify(shown)}`, content: toOnnx(model) }),
  };
  // Compared as the system will find them: through symbolic links, whether they exist yet or not.
  const file = canonical(path);
  const folder = canonical(out.dir);
  const outLabel = `--out ${JSON.stringify(out.shown)}`;
  if (within(folder, file)) refuse(`must be a file, but ${outLabel} puts a folder there`);
  if (within(file, folder) && out.names.includes(relative(folder, file).split(sep).join('/')))
    refuse(`is one of the files ${outLabel} writes; give the model another name`);
  const target = statSync(path, { throwIfNoEntry: false });
  if (target !== undefined && !target.isFile())
    refuse(target.isDirectory() ? 'is a folder, not a file' : 'is not a file');
  const parent = statSync(dirname(path), { throwIfNoEntry: false });
  if (parent === undefined && within(folder, canonical(dirname(path)))) {
    // `--out` creates it (and has checked that it can) before the model is written.
    return onnxFile;
  }
  if (parent === undefined || !parent.isDirectory())
    refuse(`is in ${JSON.stringify(dirname(shown))}, which is not a folder`);
  // The model is written beside the file and renamed over it: probe that now.
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    writeFileSync(partial, '');
  } catch (error) {
    refuse(`cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    rmSync(partial, { force: true });
  }
  return onnxFile;
}

/** Whether `path` is `folder` or inside it. */
function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** `path` with every symbolic link of its existing part resolved. */
function canonical(path: string): string {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      return join(realpathSync(head), ...rest.reverse());
    } catch {
      if (dirname(head) === head) return path;
      rest.push(basename(head));
      head = dirname(head);
    }
  }
}
