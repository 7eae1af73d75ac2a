import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { run, type Io } from '../src/cli/run.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh folder to run the CLI from, removed when the test that asked for it ends. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-demo-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * Runs the CLI in this process, as a user in `cwd` with stdout piped.
 *
 * @param options - `io` overrides, e.g. a heap size
 */
export async function cli(args: string[], cwd: string, options: Partial<Io> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    write: (text) => (stdout += text),
    error: (text) => (stderr += text),
    isTTY: false,
    base: cwd,
    holdSignals: () => () => undefined,
    ...options,
  });
  return { code, stdout, stderr };
}

const launcher = fileURLToPath(new URL('../bin/demo.mjs', import.meta.url));

/** The node flags `pnpm demo` gives the launcher: those of the `demo` script in package.json. */
export const DEMO_NODE_FLAGS: readonly string[] = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { demo: string };
  }
).scripts.demo
  .split(' ')
  .filter((word) => word.startsWith('--'));

/** Runs `pnpm demo`'s command, `node <flags> bin/demo.mjs`, as a child process in `cwd`. */
export function spawnCli(
  args: string[],
  cwd: string,
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
  flags: readonly string[] = DEMO_NODE_FLAGS,
): Promise<Run & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, launcher, ...args], {
      cwd,
      env: { ...process.env, INIT_CWD: cwd },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Every file under `dir` (hidden ones too) with a hash of its bytes: what a failed run must leave as it was. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const stack = [dir];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isDirectory()) {
      files[`${relative(dir, path)}/`] = 'dir';
      stack.push(...readdirSync(path).map((entry) => join(path, entry)));
    } else {
      files[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  }
  return files;
}

/** Writes `files` (name to text) under `dir`, as a previous run's. */
export function plant(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}
