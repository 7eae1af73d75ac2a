// Releases the workspace the way a maintainer does (a changeset, `pnpm version-packages`,
// `pnpm release`) to a Verdaccio on 127.0.0.1, then installs each package by itself in a fresh
// project, as a user would, and uses it from Node (ESM and CommonJS), TypeScript and a browser bundle.
// Everything happens in a temporary copy: the repository's versions and changelogs are never touched.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeExample, toCommonJs } from '../src/readme.js';
import type { Registry } from '../src/registry.js';
import { startRegistry } from '../src/registry.js';
import { cleanEnv, run } from '../src/run.js';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

// The published packages are whatever packages/* holds that is not private.
const published = readdirSync(join(repo, 'packages'))
  .filter((dir) => existsSync(join(repo, 'packages', dir, 'package.json')))
  .map((dir) => ({ dir, manifest: readJson(join(repo, 'packages', dir, 'package.json')) }))
  .filter(({ manifest }) => manifest.private !== true)
  .sort((a, b) => a.dir.localeCompare(b.dir));
const engine = published.find(({ manifest }) => manifest.name === '@mg/engine');

const bump = (version: string, part: 'minor' | 'patch'): string => {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return part === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
};
const dependsOnEngine = (manifest: Manifest): boolean => manifest.dependencies?.['@mg/engine'] !== undefined;

let temp = '';
let registry: Registry | undefined;
let workspace = '';
let env: NodeJS.ProcessEnv = {};

// Stop the registry and remove every temporary file however the run ends.
const cleanUp = (): void => {
  registry?.stop();
  if (temp !== '') rmSync(temp, { recursive: true, force: true });
};
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(1);
  });
}

/** Copies what a clone of the repository holds for the published packages, without builds or installs. */
function copyWorkspace(to: string): void {
  const skip = new Set(['node_modules', 'dist', 'reports', '.turbo', 'out', 'coverage']);
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', 'turbo.json', 'tsconfig.base.json', 'LICENSE']) {
    cpSync(join(repo, file), join(to, file));
  }
  cpSync(join(repo, '.changeset', 'config.json'), join(to, '.changeset', 'config.json'));
  for (const { dir } of published) {
    cpSync(join(repo, 'packages', dir), join(to, 'packages', dir), {
      recursive: true,
      filter: (source) => !skip.has(basename(source)),
    });
  }
  // The private apps come along as manifests only: enough for the workspace and its lockfile.
  for (const app of readdirSync(join(repo, 'apps'))) {
    const manifest = join(repo, 'apps', app, 'package.json');
    if (!existsSync(manifest)) continue;
    mkdirSync(join(to, 'apps', app), { recursive: true });
    cpSync(manifest, join(to, 'apps', app, 'package.json'));
  }
}

async function registryDocument(name: string): Promise<{ status: number; body: { versions?: Record<string, Manifest & { dist: { tarball: string } }> } }> {
  if (registry === undefined) throw new Error('registry not started');
  const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
  return { status: response.status, body: response.ok ? ((await response.json()) as { versions?: Record<string, Manifest & { dist: { tarball: string } }> }) : {} };
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'mg-release-'));
  registry = await startRegistry(join(temp, 'registry'));
  const host = registry.url.replace(/^http:/, '');
  // The workspace's npm config is its own: the registry URL and a token for it, nothing from ~/.npmrc.
  workspace = join(temp, 'workspace');
  copyWorkspace(workspace);
  writeFileSync(join(workspace, '.npmrc'), `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  env = cleanEnv({ NPM_CONFIG_USERCONFIG: join(workspace, '.npmrc'), npm_config_registry: registry.url });

  const git = (...args: string[]): Promise<string> => run('git', args, { cwd: workspace, env });
  await git('init', '--quiet', '--initial-branch=main');
  await git('-c', 'user.name=release test', '-c', 'user.email=release-test@localhost', 'add', '.');
  await git('-c', 'user.name=release test', '-c', 'user.email=release-test@localhost', 'commit', '--quiet', '-m', 'clone');

  try {
    await run('pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts'], { cwd: workspace, env });
  } catch {
    // Someone changed a manifest without the lockfile yet: resolve again, from the store where possible.
    await run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--ignore-scripts'], { cwd: workspace, env });
  }
  writeFileSync(join(workspace, '.changeset', 'release-test.md'), '---\n"@mg/engine": minor\n---\n\nRelease test.\n');
  await run('pnpm', ['version-packages'], { cwd: workspace, env });
  await run('pnpm', ['release'], { cwd: workspace, env });
});

afterAll(async () => {
  registry?.stop();
  await registry?.exited;
  cleanUp();
});

describe('release', () => {
  it('finds @mg/engine among the published packages', () => {
    expect(engine).toBeDefined();
  });

  it('bumps @mg/engine a minor and patches every package that depends on it', () => {
    for (const { dir, manifest } of published) {
      const after = readJson(join(workspace, 'packages', dir, 'package.json'));

      const expected = manifest.name === '@mg/engine' ? bump(manifest.version, 'minor') : dependsOnEngine(manifest) ? bump(manifest.version, 'patch') : manifest.version;

      expect(`${manifest.name}@${after.version}`).toBe(`${manifest.name}@${expected}`);
    }
  });

  it('writes each bumped package a CHANGELOG entry for its new version', () => {
    for (const { dir, manifest } of published) {
      const version = readJson(join(workspace, 'packages', dir, 'package.json')).version;

      const changelog = readFileSync(join(workspace, 'packages', dir, 'CHANGELOG.md'), 'utf8');

      expect(changelog, manifest.name).toContain(`## ${version}`);
    }
  });

  it('publishes internal dependencies as ranges that admit the new @mg/engine', async () => {
    const engineVersion = bump(engine?.manifest.version ?? '', 'minor');
    for (const { dir, manifest } of published.filter(({ manifest }) => dependsOnEngine(manifest))) {
      const version = readJson(join(workspace, 'packages', dir, 'package.json')).version;

      const { body } = await registryDocument(manifest.name);

      expect(body.versions?.[version]?.dependencies?.['@mg/engine'], manifest.name).toBe(`^${engineVersion}`);
    }
  });

  it('neither versions nor publishes the private apps', async () => {
    for (const app of readdirSync(join(repo, 'apps')).filter((a) => existsSync(join(repo, 'apps', a, 'package.json')))) {
      const before = readJson(join(repo, 'apps', app, 'package.json'));
      const after = readJson(join(workspace, 'apps', app, 'package.json'));

      const { status } = await registryDocument(before.name);

      expect(after.version).toBe(before.version);
      expect(status).toBe(404);
    }
  });

  it('ships only the build, README, LICENSE and CHANGELOG, and no source map without its sources', async () => {
    for (const { dir, manifest } of published) {
      const version = readJson(join(workspace, 'packages', dir, 'package.json')).version;
      const { body } = await registryDocument(manifest.name);
      const tarballUrl = body.versions?.[version]?.dist.tarball ?? '';
      const tarball = join(temp, `${dir}.tgz`);
      writeFileSync(tarball, Buffer.from(await (await fetch(tarballUrl)).arrayBuffer()));

      const files = (await run('tar', ['-tzf', tarball], { cwd: temp, env })).trim().split('\n').map((f) => f.replace(/^package\//, ''));

      const unexpected = files.filter((f) => !/^(dist\/.+|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/.test(f) || /\.test\.|(^|\/)test\//.test(f));
      expect(unexpected, manifest.name).toEqual([]);
      expect(files.filter((f) => f.endsWith('.map') && !files.some((s) => s.startsWith('src/'))), manifest.name).toEqual([]);
      expect(files, manifest.name).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']));
    }
  });
});

describe.each(published.map(({ dir, manifest }) => ({ dir, name: manifest.name })))('$name installed alone', ({ dir, name }) => {
  let project = '';
  let consumerEnv: NodeJS.ProcessEnv = {};

  // The README a user reads: the one inside the installed package.
  const example = (): { code: string; output: string } => {
    const readme = join(project, 'node_modules', name, 'README.md');
    if (!existsSync(readme)) throw new Error(`${name} ships no README.md`);
    const found = readmeExample(readFileSync(readme, 'utf8'));
    if (found === undefined) throw new Error(`${name}'s README has no \`\`\`ts example followed by the block it prints`);
    return found;
  };
  const exampleJs = async (): Promise<string> => (await transform(example().code, { loader: 'ts', format: 'esm', target: 'es2022' })).code;
  const normalise = (text: string): string => text.replace(/\r\n/g, '\n').split('\n').map((line) => line.trimEnd()).join('\n').trim();

  beforeAll(async () => {
    if (registry === undefined) throw new Error('registry not started');
    project = join(temp, 'consumers', dir);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
    // Only the @mg scope comes from the local registry; a package's other dependencies come from
    // the machine's usual registry, as they would for a user.
    writeFileSync(join(project, '.npmrc'), `@mg:registry=${registry.url}\n`);
    consumerEnv = cleanEnv({});
    const version = readJson(join(workspace, 'packages', dir, 'package.json')).version;
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${name}@${version}`], { cwd: project, env: consumerEnv });
  });

  it('installs from the registry with only its own dependencies', () => {
    const wanted = new Set([name, ...Object.keys(readJson(join(workspace, 'packages', dir, 'package.json')).dependencies ?? {})]);

    const installed = readdirSync(join(project, 'node_modules', '@mg')).map((p) => `@mg/${p}`);

    expect(installed.filter((p) => !wanted.has(p))).toEqual([]);
    expect(installed).toContain(name);
  });

  it('prints what its README says when the example runs as an ES module', async () => {
    writeFileSync(join(project, 'example.mjs'), await exampleJs());

    const stdout = await run(process.execPath, ['example.mjs'], { cwd: project, env: consumerEnv });

    expect(normalise(stdout)).toBe(normalise(example().output));
  });

  it('prints what its README says when the example runs as CommonJS', async () => {
    writeFileSync(join(project, 'example.cjs'), toCommonJs(await exampleJs()));

    const stdout = await run(process.execPath, ['example.cjs'], { cwd: project, env: consumerEnv });

    expect(normalise(stdout)).toBe(normalise(example().output));
  });

  it.each(['node16', 'bundler'] as const)('type-checks its README example with moduleResolution %s', async (resolution) => {
    const dirName = `ts-${resolution}`;
    mkdirSync(join(project, dirName), { recursive: true });
    writeFileSync(join(project, dirName, 'example.ts'), `${example().code}\nexport {};\n`);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: [],
      module: resolution === 'node16' ? 'Node16' : 'ESNext',
      moduleResolution: resolution === 'node16' ? 'Node16' : 'Bundler',
    };
    writeFileSync(join(project, dirName, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['example.ts'] }, null, 2));

    const output = await run(process.execPath, [tsc, '-p', dirName], { cwd: project, env: consumerEnv }).catch((error: unknown) => String(error));

    expect(output.trim()).toBe('');
  });

  it('bundles for the browser without any Node built-in', async () => {
    const entry = join(project, 'browser.js');
    writeFileSync(entry, `export * from ${JSON.stringify(name)};\n`);
    const nodeOnly = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outfile: join(project, 'out', 'browser.js'),
      absWorkingDir: project,
    });

    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((path) => nodeOnly.has(path))).toEqual([]);
    const text = result.outputFiles.map((file) => file.text).join('\n');
    const specifiers = [...text.matchAll(/(?:require\(|import\(|from\s*)\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(specifiers.filter((s) => s !== undefined && nodeOnly.has(s))).toEqual([]);
    expect(Object.keys(result.metafile.inputs).some((path) => path.includes(`node_modules/${name}/`))).toBe(true);
  });
});
