// Releases the workspace the way a maintainer does (changesets, `pnpm version-packages`,
// `pnpm release`) to a Verdaccio on 127.0.0.1, twice, then installs each package by itself in a fresh
// project, as a user would, and uses it from Node (ESM and CommonJS), TypeScript and a browser bundle;
// a user of the first release then upgrades @mg/nn alone. Everything happens in a temporary copy:
// the repository's versions and changelogs are never touched.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodeBlock,
  claimsFromStderr,
  markdownBlocks,
  normaliseOutput,
  skipReason,
  toCommonJs,
  toNodeModule,
} from '../../../packages/test-utils/src/docs/index.js';
import type { Registry } from '../src/registry.js';
import { startRegistry } from '../src/registry.js';
import { cleanEnv, run, runCapturing } from '../src/run.js';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const rootManifest = readJson(join(repo, 'package.json'));

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
const peersOnEngine = (manifest: Manifest): boolean =>
  manifest.peerDependencies?.['@mg/engine'] !== undefined;
const changeset = (releases: Record<string, 'major' | 'minor' | 'patch'>): string =>
  `---\n${Object.entries(releases)
    .map(([name, type]) => `"${name}": ${type}`)
    .join('\n')}\n---\n\nRelease test.\n`;
// The first release gives every package a minor; the second only an engine minor and an nn patch,
// so a user of the first can upgrade @mg/nn alone.
const firstRelease = Object.fromEntries(published.map(({ manifest }) => [manifest.name, 'minor' as const]));
const secondRelease = { '@mg/engine': 'minor', '@mg/nn': 'patch' } as const;
const readsOutsideFile = (code: string): boolean =>
  [...code.matchAll(/readFileSync\(\s*(['"][^'"]+['"])/g)].some(
    ([, file]) => !code.includes(`writeFileSync(${file ?? ''}`),
  );

let temp = '';
let registry: Registry | undefined;
let workspace = '';
let env: NodeJS.ProcessEnv = {};
// A user's environment: nothing of the release's npm config.
const consumerEnv = cleanEnv({});

// Stop the registry and remove every temporary file however the run ends.
const cleanUp = (): void => {
  registry?.stop();
  // Retries: a git or npm child may still be closing files in there.
  if (temp !== '') rmSync(temp, { recursive: true, force: true, maxRetries: 5 });
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
  for (const file of [
    'package.json',
    'pnpm-workspace.yaml',
    'pnpm-lock.yaml',
    'turbo.json',
    'tsconfig.base.json',
    'tsup.shared.ts',
    'LICENSE',
    // Without it the release's commits would stage every node_modules and dist.
    '.gitignore',
  ]) {
    cpSync(join(repo, file), join(to, file));
  }
  cpSync(join(repo, '.changeset', 'config.json'), join(to, '.changeset', 'config.json'));
  for (const { dir } of published) {
    cpSync(join(repo, 'packages', dir), join(to, 'packages', dir), {
      recursive: true,
      filter: (source) => !skip.has(basename(source)),
    });
  }
  // The private packages and apps come along as manifests only: enough for the workspace and its lockfile.
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(repo, group))) {
      const manifest = join(repo, group, dir, 'package.json');
      if (!existsSync(manifest) || existsSync(join(to, group, dir))) continue;
      mkdirSync(join(to, group, dir), { recursive: true });
      cpSync(manifest, join(to, group, dir, 'package.json'));
    }
  }
}

/**
 * A fresh project for a user. Only the @mg scope comes from the local registry; a package's other
 * dependencies come from the machine's usual registry, as they would for a user.
 */
function consumerProject(name: string): string {
  if (registry === undefined) throw new Error('registry not started');
  const project = join(temp, 'consumers', name);
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(project, '.npmrc'), `@mg:registry=${registry.url}\n`);
  return project;
}

async function registryDocument(name: string): Promise<{
  status: number;
  body: { versions?: Record<string, Manifest & { dist: { tarball: string } }> };
}> {
  if (registry === undefined) throw new Error('registry not started');
  const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
  return {
    status: response.status,
    body: response.ok
      ? ((await response.json()) as { versions?: Record<string, Manifest & { dist: { tarball: string } }> })
      : {},
  };
}

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'mg-release-'));
  registry = await startRegistry(join(temp, 'registry'));
  const host = registry.url.replace(/^http:/, '');
  // The workspace's npm config is its own: the registry URL and a token for it, nothing from ~/.npmrc.
  workspace = join(temp, 'workspace');
  copyWorkspace(workspace);
  writeFileSync(
    join(workspace, '.npmrc'),
    `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`,
  );
  env = cleanEnv({ NPM_CONFIG_USERCONFIG: join(workspace, '.npmrc'), npm_config_registry: registry.url });

  const git = (...args: string[]): Promise<string> => run('git', args, { cwd: workspace, env });
  await git('init', '--quiet', '--initial-branch=main');
  await git('-c', 'user.name=release test', '-c', 'user.email=release-test@localhost', 'add', '.');
  await git(
    '-c',
    'user.name=release test',
    '-c',
    'user.email=release-test@localhost',
    'commit',
    '--quiet',
    '-m',
    'clone',
  );

  try {
    await run('pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts'], {
      cwd: workspace,
      env,
    });
  } catch {
    // Someone changed a manifest without the lockfile yet: resolve again, from the store where possible.
    await run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--ignore-scripts'], {
      cwd: workspace,
      env,
    });
  }
  await release(firstRelease);
});

/**
 * Writes a changeset, versions the packages, publishes them and commits, as a maintainer would:
 * `pnpm release` builds, then publishes. With `build: false` it publishes the build already there,
 * which is the same build when no source has changed since (a version changes no output file).
 */
async function release(
  releases: Record<string, 'major' | 'minor' | 'patch'>,
  { build = true } = {},
): Promise<void> {
  writeFileSync(join(workspace, '.changeset', 'release-test.md'), changeset(releases));
  await run('pnpm', ['version-packages'], { cwd: workspace, env });
  await run('pnpm', build ? ['release'] : ['exec', 'changeset', 'publish'], { cwd: workspace, env });
  await commit(`release ${JSON.stringify(releases)}`);
}

async function commit(message: string): Promise<void> {
  const git = (...args: string[]): Promise<string> =>
    run('git', ['-c', 'user.name=release test', '-c', 'user.email=release-test@localhost', ...args], {
      cwd: workspace,
      env,
    });
  await git('add', '--all');
  await git('commit', '--quiet', '--allow-empty', '-m', message);
}

/** The versions changesets would give each package for these releases, without applying them. */
async function plan(releases: Record<string, 'major' | 'minor' | 'patch'>): Promise<Record<string, string>> {
  writeFileSync(join(workspace, '.changeset', 'release-test-plan.md'), changeset(releases));
  const output = join(temp, 'plan.json');
  try {
    await run('pnpm', ['exec', 'changeset', 'status', `--output=${output}`], { cwd: workspace, env });
  } finally {
    rmSync(join(workspace, '.changeset', 'release-test-plan.md'));
  }
  const { releases: planned } = JSON.parse(readFileSync(output, 'utf8')) as {
    releases: { name: string; type: string }[];
  };
  return Object.fromEntries(
    planned.filter(({ type }) => type !== 'none').map(({ name, type }) => [name, type]),
  );
}

afterAll(async () => {
  registry?.stop();
  await registry?.exited;
  cleanUp();
});

describe('release', () => {
  it('finds @mg/engine among the published packages', () => {
    expect(engine).toBeDefined();
  });

  it('gives every package the minor its changeset asks for, and no more', () => {
    for (const { dir, manifest } of published) {
      const after = readJson(join(workspace, 'packages', dir, 'package.json'));

      expect(`${manifest.name}@${after.version}`).toBe(`${manifest.name}@${bump(manifest.version, 'minor')}`);
    }
  });

  it('writes each bumped package a CHANGELOG entry for its new version', () => {
    for (const { dir, manifest } of published) {
      const version = readJson(join(workspace, 'packages', dir, 'package.json')).version;

      const changelog = readFileSync(join(workspace, 'packages', dir, 'CHANGELOG.md'), 'utf8');

      expect(changelog, manifest.name).toContain(`## ${version}`);
    }
  });

  it('publishes @mg/engine as a peer of the packages built on it, never as a dependency', async () => {
    const dependents = published.filter(({ manifest }) => peersOnEngine(manifest));
    for (const { dir, manifest } of dependents) {
      const version = readJson(join(workspace, 'packages', dir, 'package.json')).version;

      const { body } = await registryDocument(manifest.name);

      expect(body.versions?.[version]?.dependencies?.['@mg/engine'], manifest.name).toBeUndefined();
      expect(body.versions?.[version]?.peerDependencies?.['@mg/engine'], manifest.name).toMatch(/^[\d^~]/);
    }
    expect(dependents.map(({ manifest }) => manifest.name)).toEqual(
      expect.arrayContaining(['@mg/nn', '@mg/viz']),
    );
  });

  // An engine minor leaving them alone is the second release, below.
  it('gives the packages that peer on @mg/engine a major for an engine major, which leaves their range', async () => {
    const dependents = published
      .filter(({ manifest }) => peersOnEngine(manifest))
      .map(({ manifest }) => manifest.name);

    const major = await plan({ '@mg/engine': 'major' });

    expect(major).toEqual({
      '@mg/engine': 'major',
      ...Object.fromEntries(dependents.map((name) => [name, 'major'])),
    });
  });

  it('neither versions nor publishes the private apps', async () => {
    for (const app of readdirSync(join(repo, 'apps')).filter((a) =>
      existsSync(join(repo, 'apps', a, 'package.json')),
    )) {
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

      const files = (await run('tar', ['-tzf', tarball], { cwd: temp, env }))
        .trim()
        .split('\n')
        .map((f) => f.replace(/^package\//, ''));

      const unexpected = files.filter(
        (f) =>
          !/^(dist\/.+|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/.test(f) ||
          /\.test\.|(^|\/)test\//.test(f),
      );
      expect(unexpected, manifest.name).toEqual([]);
      expect(
        files.filter((f) => f.endsWith('.map') && !files.some((s) => s.startsWith('src/'))),
        manifest.name,
      ).toEqual([]);
      expect(files, manifest.name).toEqual(
        expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']),
      );
    }
  });
});

// The packages side by side (they share nothing but the registry), each one's checks in order.
describe.concurrent.each(published.map(({ dir, manifest }) => ({ dir, name: manifest.name })))(
  '$name',
  ({ dir, name }) => {
    describe('installed alone', { concurrent: false }, () => {
      let project = '';

      // Every block of the README a user reads, the one inside the installed package (checked to be
      // the repository's below): listed now from the repository's copy, run from the installed one.
      const blocks = markdownBlocks(readFileSync(join(repo, 'packages', dir, 'README.md'), 'utf8')).filter(
        (block) => skipReason(block) === undefined,
      );
      // Blocks that read a file they do not write (a model a Python step exported) cannot run in a
      // fresh project: they must fail here, and run in their package's tests, which provide the file.
      const failing = new Set(
        blocks.filter((block) => readsOutsideFile(block.code)).map((block) => `README.md:${block.line}`),
      );
      const installedBlock = (line: number): CodeBlock => {
        const readme = join(project, 'node_modules', name, 'README.md');
        if (!existsSync(readme)) throw new Error(`${name} ships no README.md`);
        const block = markdownBlocks(readFileSync(readme, 'utf8')).find((b) => b.line === line);
        if (block === undefined) throw new Error(`${name}'s installed README has no block at line ${line}`);
        return block;
      };
      /** Runs a block's module file in the consumer project and checks what it prints and claims. */
      const runBlock = async (block: CodeBlock, file: string, code: string): Promise<void> => {
        // Each block in a folder of its own: the files one block writes are not there for another.
        const folder = join(project, 'blocks', file.replace(/\W/g, '-'));
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, file), code);

        const { stdout, stderr } = await runCapturing(process.execPath, [file], {
          cwd: folder,
          env: consumerEnv,
        });

        expect(claimsFromStderr(block.code, stderr).wrongClaims).toEqual([]);
        if (block.output !== undefined) expect(normaliseOutput(stdout)).toBe(normaliseOutput(block.output));
      };

      beforeAll(async () => {
        project = consumerProject(dir);
        const manifest = readJson(join(workspace, 'packages', dir, 'package.json'));
        // What the README's blocks import besides the package and its peers (a runtime to hand a model
        // to, say), at the version the package is tested with, as its README tells a user to install.
        const imported = new Set(
          blocks.flatMap((block) =>
            [...block.code.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? ''),
          ),
        );
        const extra = [...imported]
          .filter(
            (spec) => !spec.startsWith('node:') && !builtinModules.includes(spec) && !spec.startsWith('@mg/'),
          )
          .map(
            (spec) =>
              `${spec}@${manifest.devDependencies?.[spec] ?? manifest.dependencies?.[spec] ?? 'latest'}`,
          );
        // A TypeScript user of `node:` modules has Node's types.
        if ([...imported].some((spec) => spec.startsWith('node:')))
          extra.push(`@types/node@${rootManifest.devDependencies?.['@types/node'] ?? 'latest'}`);
        await run(
          'npm',
          ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${name}@${manifest.version}`, ...extra],
          { cwd: project, env: consumerEnv },
        );
      });

      it('installs from the registry with only its own dependencies and peers, the peers at their released versions', () => {
        const manifest = readJson(join(workspace, 'packages', dir, 'package.json'));
        const wanted = new Set([
          name,
          ...Object.keys(manifest.dependencies ?? {}),
          ...Object.keys(manifest.peerDependencies ?? {}),
        ]);

        const installed = readdirSync(join(project, 'node_modules', '@mg')).map((p) => `@mg/${p}`);

        expect(installed.filter((p) => !wanted.has(p))).toEqual([]);
        expect(installed).toContain(name);
        for (const peer of Object.keys(manifest.peerDependencies ?? {}).filter((p) => p.startsWith('@mg/'))) {
          const released = published.find((p) => p.manifest.name === peer);
          expect(readJson(join(project, 'node_modules', peer, 'package.json')).version, peer).toBe(
            readJson(join(workspace, 'packages', released?.dir ?? '', 'package.json')).version,
          );
        }
      });

      it('ships the README the repository has', () => {
        expect(readFileSync(join(project, 'node_modules', name, 'README.md'), 'utf8')).toBe(
          readFileSync(join(repo, 'packages', dir, 'README.md'), 'utf8'),
        );
      });

      describe.each(blocks.map((block) => ({ block, id: `README.md:${block.line}` })))(
        '$id',
        ({ block, id }) => {
          const test = failing.has(id) ? it.fails : it;

          test('runs as an ES module, printing what the README shows', async () => {
            await runBlock(
              block,
              `block-${block.line}.mjs`,
              await toNodeModule(installedBlock(block.line).code),
            );
          });

          test('runs as CommonJS, printing what the README shows', async () => {
            await runBlock(
              block,
              `block-${block.line}.cjs`,
              toCommonJs(await toNodeModule(installedBlock(block.line).code)),
            );
          });
        },
      );

      it.each(['node16', 'bundler'] as const)(
        'type-checks every README block that runs with moduleResolution %s',
        async (resolution) => {
          const dirName = `ts-${resolution}`;
          mkdirSync(join(project, dirName), { recursive: true });
          const files = blocks
            .filter((block) => !failing.has(`README.md:${block.line}`))
            .map((block) => {
              const file = `block-${block.line}.ts`;
              writeFileSync(join(project, dirName, file), `${installedBlock(block.line).code}\nexport {};\n`);
              return file;
            });
          const compilerOptions = {
            strict: true,
            noEmit: true,
            // Every declaration file a user's compiler reads is checked (the package's own above all),
            // except TypeScript's bundled lib files, which no package here can break.
            skipLibCheck: false,
            skipDefaultLibCheck: true,
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            types: existsSync(join(project, 'node_modules', '@types', 'node')) ? ['node'] : [],
            module: resolution === 'node16' ? 'Node16' : 'ESNext',
            moduleResolution: resolution === 'node16' ? 'Node16' : 'Bundler',
          };
          writeFileSync(
            join(project, dirName, 'tsconfig.json'),
            JSON.stringify({ compilerOptions, include: files }, null, 2),
          );

          const output = await run(process.execPath, [tsc, '-p', dirName], {
            cwd: project,
            env: consumerEnv,
          }).catch((error: unknown) => String(error));

          expect(files.length).toBeGreaterThan(0);
          expect(output.trim()).toBe('');
        },
      );

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

        const imports = Object.values(result.metafile.inputs).flatMap((input) =>
          input.imports.map((i) => i.path),
        );
        expect(imports.filter((path) => nodeOnly.has(path))).toEqual([]);
        const text = result.outputFiles.map((file) => file.text).join('\n');
        const specifiers = [...text.matchAll(/(?:require\(|import\(|from\s*)\s*["']([^"']+)["']/g)].map(
          (m) => m[1],
        );
        expect(specifiers.filter((s) => s !== undefined && nodeOnly.has(s))).toEqual([]);
        expect(
          Object.keys(result.metafile.inputs).some((path) => path.includes(`node_modules/${name}/`)),
        ).toBe(true);
      });
    });
  },
);

describe('a user of the first release who upgrades @mg/nn alone', () => {
  const versionOf = (name: string): string => {
    const found = published.find(({ manifest }) => manifest.name === name);
    if (found === undefined) throw new Error(`${name} is not among the published packages`);
    return readJson(join(workspace, 'packages', found.dir, 'package.json')).version;
  };
  let project = '';
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  const npm = (...args: string[]): Promise<string> =>
    run('npm', ['--no-audit', '--no-fund', '--ignore-scripts', ...args], { cwd: project, env: consumerEnv });

  beforeAll(async () => {
    project = consumerProject('upgrade');
    for (const { manifest } of published) before[manifest.name] = versionOf(manifest.name);
    await npm('install', `@mg/engine@${before['@mg/engine'] ?? ''}`, `@mg/nn@${before['@mg/nn'] ?? ''}`);

    // Only versions changed since the first release's build.
    await release(secondRelease, { build: false });
    for (const { manifest } of published) after[manifest.name] = versionOf(manifest.name);
    await npm('install', `@mg/nn@${after['@mg/nn'] ?? ''}`);
  });

  it('versions only what the changeset names: an engine minor leaves the packages that peer on it alone', () => {
    for (const { manifest } of published) {
      const part = (secondRelease as Record<string, 'minor' | 'patch' | undefined>)[manifest.name];

      const expected = part === undefined ? before[manifest.name] : bump(before[manifest.name] ?? '', part);

      expect(`${manifest.name}@${after[manifest.name] ?? ''}`).toBe(`${manifest.name}@${expected ?? ''}`);
    }
  });

  it('gets the new @mg/nn and keeps the one @mg/engine it had', () => {
    const engines = (function find(dir: string): string[] {
      if (!existsSync(dir)) return [];
      return readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        if (entry === 'node_modules' || entry.startsWith('@')) return find(path);
        const nested = join(path, 'node_modules');
        return [...(path.endsWith(join('@mg', 'engine')) ? [path] : []), ...find(nested)];
      });
    })(join(project, 'node_modules'));

    expect(readJson(join(project, 'node_modules', '@mg', 'nn', 'package.json')).version).toBe(
      after['@mg/nn'],
    );
    expect(engines).toEqual([join(project, 'node_modules', '@mg', 'engine')]);
    expect(readJson(join(engines[0] ?? '', 'package.json')).version).toBe(before['@mg/engine']);
  });

  it("trains the new @mg/nn's neurons on Values of its own @mg/engine", async () => {
    writeFileSync(
      join(project, 'one-engine.mjs'),
      [
        "import { Value } from '@mg/engine';",
        "import { Neuron } from '@mg/nn';",
        'const neuron = new Neuron(2);',
        'const out = neuron.forward([new Value(1), new Value(-2)]);',
        'out.backward();',
        'console.log(out instanceof Value, neuron.parameters().every((p) => p instanceof Value && Number.isFinite(p.grad)));',
        '',
      ].join('\n'),
    );

    const stdout = await run(process.execPath, ['one-engine.mjs'], { cwd: project, env: consumerEnv });

    expect(stdout.trim()).toBe('true true');
  });
});
