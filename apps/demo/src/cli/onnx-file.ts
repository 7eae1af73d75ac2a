import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MLP } from '@mg/nn';
import { toOnnx } from '@mg/onnx';
import { UsageError } from './args.js';

/** Where `--onnx` puts the trained model, checked before training. */
export interface OnnxFile {
  /**
   * Writes the model (float64, every weight exact), replacing the file in one rename.
   *
   * @returns the file's path
   */
  write(model: MLP): string;
}

/**
 * Checks that `path` can take the model before any work is done: its folder exists and a file
 * can be created beside it (probed, then removed).
 *
 * @param path - the file, absolute
 * @param shown - `path` as the user would type it, for messages
 * @throws UsageError naming `--onnx` when the path is a folder, its folder is missing, or not writable
 */
export function prepareOnnxFile(path: string, shown: string): OnnxFile {
  const refuse = (why: string): never => {
    throw new UsageError(`--onnx ${JSON.stringify(shown)} ${why}`);
  };
  const target = statSync(path, { throwIfNoEntry: false });
  if (target !== undefined && !target.isFile())
    refuse(target.isDirectory() ? 'is a folder, not a file' : 'is not a file');
  const folder = statSync(dirname(path), { throwIfNoEntry: false });
  if (folder === undefined || !folder.isDirectory())
    refuse(`is in ${JSON.stringify(dirname(shown))}, which is not a folder`);
  // Written aside and renamed over the file: the file holds the old model or the new one.
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  try {
    writeFileSync(partial, '');
  } catch (error) {
    refuse(`cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    rmSync(partial, { force: true });
  }
  return {
    write(model) {
      try {
        writeFileSync(partial, toOnnx(model));
        renameSync(partial, path);
      } finally {
        rmSync(partial, { force: true });
      }
      return path;
    },
  };
}
