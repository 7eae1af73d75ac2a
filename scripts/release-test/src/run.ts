import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Options for {@link run}. */
export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs a command to completion and returns its stdout.
 *
 * @throws Error naming the command and carrying its stdout and stderr when it exits non-zero.
 */
export async function run(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  return (await runCapturing(command, args, options)).stdout;
}

/**
 * Runs a command to completion and returns its stdout and stderr.
 *
 * @throws Error as {@link run} does
 */
export async function runCapturing(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(command, args, {
      cwd: options.cwd,
      env: options.env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `\`${[command, ...args].join(' ')}\` failed in ${options.cwd}:\n${String(error)}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
      { cause: error },
    );
  }
}

/**
 * The environment a child process gets: ours without the `npm_*` variables a package manager sets
 * for its scripts, so no registry, token or config of the outer run leaks into the release.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  return { ...env, CI: 'true', TURBO_TELEMETRY_DISABLED: '1', ...extra };
}
