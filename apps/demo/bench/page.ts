// `pnpm --filter @mg/demo bench:page`: how long the web page's main thread is kept busy while it
// trains. Builds the page, serves it on 127.0.0.1, and in headless Chromium runs each case
// `--runs` times (3 by default): the longest task's CPU time in each run, their median, and the
// budget a case is meant to keep within. The figures depend on the machine and its load, so they
// are a benchmark, not a test.
//
//   tsx bench/page.ts [--runs N] [case ...]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { median } from '@mg/test-utils';
import { CONTENT_SECURITY_POLICY } from '../vite.config.js';
import { serveStatic } from '../test/e2e/static-server.js';
import { longTaskCpu, traceLongTasks, watchLongTasks } from './long-tasks.js';

/** One way of using the page; `run` returns the CPU time of every long task it traced, in ms. */
interface PageCase {
  name: string;
  /** The longest task this case should take, in CPU ms. */
  budget: number;
  run(browser: Browser, page: Page, url: string): Promise<number[]>;
}

const stepShown = (page: Page, shown: string): Promise<unknown> =>
  page.waitForFunction((s) => document.querySelector('#stat-step')?.textContent === s, shown, {
    timeout: 120_000,
  });

const cases: PageCase[] = [
  {
    name: 'graph-open',
    budget: 50,
    async run(browser, page, url) {
      await page.goto(`${url}?steps=300&speed=max`);
      await page.waitForSelector('#graph svg');
      await page.locator('#graph').scrollIntoViewIfNeeded();
      await traceLongTasks(browser, page);
      await page.click('#play');
      await stepShown(page, '300 / 300');
      return longTaskCpu(browser, page);
    },
  },
  {
    // 12,480 weights' lines and 256 neuron pictures, redrawn as the weights move.
    name: '64x4-compiled',
    budget: 100,
    async run(browser, page, url) {
      await page.goto(`${url}?hidden=64,64,64,64&lr=0.003&engine=compiled&steps=1000&speed=max`);
      await page.waitForSelector('#diagram .node');
      await page.click('#play');
      // Warm-up: the first steps and the first pictures.
      await page.waitForFunction(
        () => Number.parseInt(document.querySelector('#stat-step')?.textContent ?? '', 10) >= 5,
      );
      await page.waitForFunction(() => {
        // Drawn once a hidden neuron's picture has an opaque pixel (read through a canvas of its own).
        const canvas = document.querySelector<HTMLCanvasElement>('#diagram canvas.node:not(.input)');
        const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
        if (canvas === null || probe === null) return false;
        probe.drawImage(canvas, 0, 0);
        return probe.getImageData(0, 0, 1, 1).data[3] === 255;
      });
      await traceLongTasks(browser, page);
      await page.waitForTimeout(2000);
      const cpu = await longTaskCpu(browser, page);
      await page.click('#play');
      return cpu;
    },
  },
];

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '3' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new RangeError(`--runs: expected a whole number >= 1, got '${values.runs}'`);
const unknown = positionals.filter((name) => !cases.some((c) => c.name === name));
if (unknown.length > 0)
  throw new RangeError(
    `unknown case '${unknown[0]}': expected one of ${cases.map((c) => c.name).join(', ')}`,
  );
const chosen = positionals.length === 0 ? cases : cases.filter((c) => positionals.includes(c.name));

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath))
  throw new Error(
    `no Chromium at ${chromiumPath}; install it with \`bash scripts/setup.sh --browser\` or set CHROMIUM_PATH`,
  );

const demo = fileURLToPath(new URL('..', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'mg-demo-bench-'));
try {
  await build({
    root: demo,
    configFile: join(demo, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const server = await serveStatic(outDir, { 'content-security-policy': CONTENT_SECURITY_POLICY });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const rows: { case: string; budgetMs: number; longestMs: number[]; medianMs: number }[] = [];
    for (const c of chosen) {
      const longest: number[] = [];
      for (let r = 0; r < runs; r++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await watchLongTasks(page);
        const cpu = await c.run(browser, page, server.url);
        longest.push(Math.max(0, ...cpu));
        await context.close();
      }
      rows.push({ case: c.name, budgetMs: c.budget, longestMs: longest, medianMs: median(longest) });
    }
    console.log('case            budget   longest task (CPU ms) per run      median');
    for (const row of rows)
      console.log(
        `${row.case.padEnd(15)} ${String(row.budgetMs).padStart(6)}   ${row.longestMs
          .map((ms) => ms.toFixed(1).padStart(6))
          .join(' ')
          .padEnd(32)} ${row.medianMs.toFixed(1).padStart(6)}`,
      );
    console.log(JSON.stringify({ bench: 'page-long-tasks', runs, rows }));
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
