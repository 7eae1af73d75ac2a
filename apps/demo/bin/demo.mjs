#!/usr/bin/env node
// `pnpm demo`: runs the CLI from one esbuild bundle of its sources and of the workspace packages'
// sources, rebuilt only when one of them is newer. Plain node starts in a tenth of the time a
// TypeScript runner takes to compile every file on each start, and no package build is needed.
// The bundle runs with a cache of the code V8 compiled for it in an earlier run (see `start`).
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

const demo = dirname(dirname(fileURLToPath(import.meta.url)));
const root = dirname(dirname(demo));
const bundle = join(demo, 'node_modules', '.cache', 'mg-demo', 'cli.cjs');
const inputs = [
  join(demo, 'src', 'cli'),
  join(demo, 'src', 'core'),
  ...['engine', 'nn', 'onnx', 'test-utils', 'viz'].flatMap((name) => [
    join(root, 'packages', name, 'src'),
    join(root, 'packages', name, 'package.json'),
  ]),
  join(demo, 'package.json'),
  join(root, 'pnpm-lock.yaml'),
  fileURLToPath(import.meta.url),
];

/** The latest modification time of any file under `paths` (an explicit stack: no recursion). */
function newest(paths) {
  let latest = 0;
  const stack = [...paths];
  while (stack.length > 0) {
    const path = stack.pop();
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isDirectory()) stack.push(...readdirSync(path).map((entry) => join(path, entry)));
    else latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

if ((statSync(bundle, { throwIfNoEntry: false })?.mtimeMs ?? -1) < newest(inputs)) {
  const { build } = await import('esbuild');
  // Built aside and renamed: two runs starting at once never read half a bundle.
  const partial = `${bundle}.${process.pid}`;
  await build({
    entryPoints: [join(demo, 'src', 'cli', 'main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    // A script, not a module: Node 20 caches compiled code for scripts only (node:vm).
    format: 'cjs',
    target: 'node20',
    conditions: ['@mg/source'],
    // What `import.meta.url` is in an ES module: the bundle's URL, passed in by `start`.
    define: { 'import.meta.url': 'bundleUrl' },
    // A native addon: loaded from node_modules where it was installed.
    external: ['@resvg/resvg-js'],
    logLevel: 'warning',
  });
  renameSync(partial, bundle);
  // The bundle of launchers before the code cache, an ES module.
  rmSync(join(dirname(bundle), 'cli.mjs'), { force: true });
}
start(process.argv.slice(2));

/**
 * Runs the bundle with V8's code cache: the bytecode of every function a run compiled, kept
 * beside the bundle by the first run of each kind (training, `examples`, help) after a build and
 * read by the next ones, so they skip parsing and compiling what they run (Node 22 offers this
 * as `module.enableCompileCache`). A cache V8 refuses (another node, other flags) is made anew.
 * V8 checks a cache against the source's length only, so its name holds the bundle's size and
 * time: a rebuilt bundle never meets an old cache. V8 also refuses a cache made under other
 * flags (`--max-semi-space-size` among them), so runs with other node flags keep caches of their
 * own rather than replace one another's. Every failure to read or write one is ignored: the run
 * then compiles as usual.
 */
function start(args) {
  // Source and stamp from one open file: a concurrent rebuild renames a new file into place.
  const fd = openSync(bundle, 'r');
  const { size, mtimeMs } = fstatSync(fd);
  const source = readFileSync(fd, 'utf8');
  closeSync(fd);
  const build = `${size}-${Math.round(mtimeMs)}`;
  const kind = args.some((a) => a === '-h' || a === '--help')
    ? 'help'
    : args[0] === 'examples'
      ? 'examples'
      : 'train';
  const flags = process.execArgv.length === 0 ? '' : `.${fnv1a(process.execArgv.join('\0'))}`;
  const cacheFile = `${bundle}.${build}.${kind}${flags}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(
    `(function (require, module, exports, __filename, __dirname, bundleUrl) {"use strict";${source}\n})`,
    { filename: bundle, cachedData },
  );
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', (code) => {
      if (code === 0) saveCache(script, cacheFile, build);
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(
    createRequire(bundle),
    module,
    module.exports,
    bundle,
    dirname(bundle),
    pathToFileURL(bundle).href,
  );
}

/** Writes the code V8 compiled for `script` so far (atomically), and removes other builds' caches. */
function saveCache(script, file, build) {
  try {
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, file);
    const dir = dirname(file);
    const mine = `${basename(bundle)}.${build}.`;
    for (const name of readdirSync(dir)) {
      if (name.startsWith(`${basename(bundle)}.`) && name.endsWith('.cache') && !name.startsWith(mine))
        rmSync(join(dir, name), { force: true });
    }
  } catch {
    // A read-only or full disk: the next run compiles as this one did.
  }
}

/** A short hash of `text` (32-bit FNV-1a, as 8 hex digits): tells sets of node flags apart in a file name. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
