// Prints each published package's packed size (what `npm pack` makes), and the min+gzip size of
// its ESM build bundled for the browser: its own code alone, and with the @mg packages it imports.
// Run `pnpm size` (it builds first).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

async function minGzip(dir, external) {
  const result = await build({
    entryPoints: [join(dir, 'dist', 'index.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

const rows = [];
for (const name of readdirSync('packages').sort()) {
  const dir = join('packages', name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private) continue;
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const own = await minGzip(dir, deps);
  const withMg = await minGzip(
    dir,
    deps.filter((d) => !d.startsWith('@mg/')),
  );
  rows.push(
    `| ${manifest.name} | ${kB(pack.size)} | ${kB(pack.unpackedSize)} | ${pack.entryCount} | ${kB(own)} | ${kB(withMg)} |`,
  );
}
console.log('| package | packed | unpacked | files | min+gz (own code) | min+gz (with @mg deps) |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
