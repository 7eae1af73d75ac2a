import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, run } from './run.js';

const verdaccioDir = fileURLToPath(new URL('../verdaccio/', import.meta.url));

/** A running local npm registry. */
export interface Registry {
  /** Base URL, ending in `/`. */
  url: string;
  /** A token that may publish. */
  token: string;
  /** Stops the registry; safe to call more than once, and from an `exit` hook (it is synchronous). */
  stop(): void;
  /** Settles when the registry process has exited. */
  exited: Promise<void>;
}

/**
 * Installs the pinned Verdaccio with `npm ci` unless it is there already. Verdaccio stays out of the
 * pnpm workspace: one of its dependencies asks for a dist-tag (`node-fetch@cjs`) the registry no
 * longer serves, which its own package.json overrides, and 278 packages would weigh on every install.
 */
async function ensureVerdaccio(): Promise<void> {
  const wanted = (
    JSON.parse(readFileSync(join(verdaccioDir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies.verdaccio;
  const installed = join(verdaccioDir, 'node_modules', 'verdaccio', 'package.json');
  if (
    existsSync(installed) &&
    (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version === wanted
  )
    return;
  await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: verdaccioDir,
    env: cleanEnv({}),
  });
}

/**
 * Starts Verdaccio on 127.0.0.1 at a free port with its storage under `root`, and creates a user
 * that may publish.
 */
export async function startRegistry(root: string): Promise<Registry> {
  await ensureVerdaccio();
  mkdirSync(join(root, 'storage'), { recursive: true });
  const config = join(root, 'config.yaml');
  // No uplinks: the registry serves only what the test publishes, so nothing reaches the outside.
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(root, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(root, 'htpasswd'))}`,
      '    max_users: 1',
      'uplinks: {}',
      'web:',
      '  enable: false',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );

  const child = spawn(process.execPath, [join(verdaccioDir, 'launch.mjs'), config], {
    cwd: root,
    env: cleanEnv({}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const stop = (): void => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    child.kill('SIGTERM');
  };

  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Verdaccio did not start within 30 s:\n${log}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /^\{"port":(\d+)\}$/m.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Verdaccio exited before listening:\n${log}`));
    });
  }).catch((error: unknown) => {
    stop();
    throw error;
  });

  const url = `http://127.0.0.1:${port}/`;
  try {
    const name = 'release-test';
    const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: randomBytes(16).toString('hex') }),
    });
    const body = (await response.json()) as { token?: string };
    if (!response.ok || body.token === undefined)
      throw new Error(`creating a registry user failed: ${response.status} ${JSON.stringify(body)}`);
    return { url, token: body.token, stop, exited };
  } catch (error) {
    stop();
    throw error;
  }
}
