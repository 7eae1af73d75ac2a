import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Training, activePoint, boundaryGrid, makeDataset } from '../src/core/index.js';
import { CONTENT_SECURITY_POLICY } from '../vite.config.js';
import { serveStatic, type StaticServer } from './e2e/static-server.js';

const demo = fileURLToPath(new URL('..', import.meta.url));
const artifacts = join(demo, 'artifacts');
// The notebook's first loss, printed by micrograd's demo.ipynb (and by `pnpm demo`).
const NOTEBOOK_STEP0_LOSS = '0.8958441028683222';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let outDir = '';
let server: StaticServer | undefined;
let metaOnly: StaticServer | undefined;
let browser: Browser | undefined;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`e2e: no Chromium at ${CHROMIUM}; install it with \`bash scripts/setup.sh --browser\` or set CHROMIUM_PATH`);
  outDir = mkdtempSync(join(tmpdir(), 'mg-demo-e2e-'));
  mkdirSync(artifacts, { recursive: true });
  await build({ root: demo, configFile: join(demo, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  // A strict host sends the policy as a header too, which also binds the worker script.
  server = await serveStatic(outDir, { 'content-security-policy': CONTENT_SECURITY_POLICY });
  // A plain host: only the page's <meta> policy applies, and it does not bind workers by itself.
  metaOnly = await serveStatic(outDir);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(server.url);
  await page.waitForSelector('#backend[data-backend]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await metaOnly?.close();
  if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
});

/** The text of the loss cell of step `k` in the page's log. */
const lossAt = (k: number): Promise<string> => page.locator(`#log tr[data-step="${k}"] td.loss`).innerText();

describe('demo web page', () => {
  it('trains the notebook run to 100% accuracy when Train is pressed', async () => {
    await page.click('#play');
    await page.waitForFunction(() => document.querySelector('#accuracy')?.textContent === '100%', undefined, { timeout: 30_000 });
    const reached = await page.$$eval('#log tr', (rows) =>
      rows.filter((r) => r.querySelector('td.accuracy')?.textContent === '100%').map((r) => Number((r as HTMLElement).dataset.step)),
    );

    expect(await lossAt(0)).toBe(NOTEBOOK_STEP0_LOSS);
    expect(Math.min(...reached)).toBe(40);
    expect(problems).toEqual([]);
    await page.waitForFunction(() => document.querySelector('#stat-step')?.textContent === '100 / 100');
    await page.screenshot({ path: join(artifacts, 'web-trained.png'), fullPage: true });
  });

  it('draws the graph of a point when the point is clicked', async () => {
    const data = makeDataset('moons', { samples: 100, noise: 0.1, seed: 1337 });
    // The page's model after the notebook run, reproduced here, picks a point where the first
    // hidden neuron is active, so the picture shows gradients flowing rather than all zeros.
    const training = new Training(data, { seed: 1337, hidden: [16, 16], steps: 100, engine: 'compiled' });
    for (let k = 0; k < 100; k++) training.step();
    const [x, y] = activePoint(training.model, data.X);
    const index = Array.from(data.y, (_, i) => i).find((i) => data.X[2 * i] === x && data.X[2 * i + 1] === y)!;
    const grid = boundaryGrid(data.X, 96);
    const box = (await page.locator('#plot').boundingBox())!;

    await page.mouse.click(box.x + ((x - grid.xMin) / (grid.xMax - grid.xMin)) * box.width, box.y + ((grid.yMax - y) / (grid.yMax - grid.yMin)) * box.height);
    await page.waitForSelector('#graph svg');

    expect(await page.locator('#graph-note').innerText()).toMatch(new RegExp(`^Point ${index} `));
    const texts = await page.locator('#graph svg text').allTextContents();
    expect(texts).toContain('out');
    expect(texts.filter((t) => /^grad -?\d/.test(t) && !/^grad -?0\.0000$/.test(t)).length).toBeGreaterThan(3);
    await page.locator('#side').screenshot({ path: join(artifacts, 'web-graph-neuron.png') });
    await page.selectOption('#graph-kind', 'network');
    await page.waitForFunction(() => document.querySelector('#graph-note')?.textContent.includes('nodes nearest the loss') === true);
    expect(problems).toEqual([]);
    await page.locator('#side').screenshot({ path: join(artifacts, 'web-graph-network.png') });
  });

  it('gives the same step-0 loss with the compiled engine under a CSP without unsafe-eval', async () => {
    await page.check('input[name="engine"][value="compiled"]');
    await page.waitForFunction(() => location.search.includes('engine=compiled') && document.querySelector('#stat-step')?.textContent === '0');
    await page.click('#step');
    await page.waitForSelector('#log tr[data-step="0"]');

    expect(await lossAt(0)).toBe(NOTEBOOK_STEP0_LOSS);
    expect(await page.getAttribute('#backend', 'data-backend')).toBe('interpreter');
    expect(await page.locator('#ms').innerText()).toContain('compiled');
    expect(problems).toEqual([]);
  });

  it('keeps compiled mode on the interpreter when only the page\'s meta tag forbids eval', async () => {
    await page.goto(`${metaOnly!.url}?engine=compiled`);
    await page.waitForSelector('#backend[data-backend]');
    await page.click('#step');
    await page.waitForSelector('#log tr[data-step="0"]');

    expect(await page.getAttribute('#backend', 'data-backend')).toBe('interpreter');
    expect(await lossAt(0)).toBe(NOTEBOOK_STEP0_LOSS);
    expect(problems).toEqual([]);
  });

  it('trains on another dataset when the dataset is switched, and keeps it in the URL', async () => {
    await page.selectOption('select[name="dataset"]', 'circles');
    await page.waitForFunction(() => location.search.includes('dataset=circles') && document.querySelector('#stat-step')?.textContent === '0');
    await page.click('#play');
    await page.waitForFunction(() => document.querySelector('#stat-step')?.textContent === '100 / 100', undefined, { timeout: 30_000 });
    const shared = page.url();

    const accuracy = await page.locator('#accuracy').innerText();
    expect(Number.parseInt(accuracy, 10)).toBeGreaterThanOrEqual(90);
    await page.screenshot({ path: join(artifacts, 'web-circles-compiled.png'), fullPage: true });
    await page.goto(shared);
    await page.waitForSelector('#backend[data-backend]');
    expect(await page.inputValue('select[name="dataset"]')).toBe('circles');
    expect(await page.isChecked('input[name="engine"][value="compiled"]')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('fits a phone-width screen without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(server!.url);
    await page.waitForSelector('#backend[data-backend]');

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'web-phone.png'), fullPage: true });
  });
});
