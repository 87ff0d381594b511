// Browser test of the page at `/`, as a compliance officer uses it: headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core): focus moves with Tab through the labelled controls,
// the choices are made on the focused controls and the form is submitted with Enter; the verdict and the product's point on the chart are checked, and a screenshot is
// saved to docs/. Run by .ci/service (BASE_URL: a running service; NODE_PATH: playwright-core;
// SCREENSHOT_DIR: where the screenshots go).
const { test } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { chromium } = require('playwright-core');

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOT_DIR || '.';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

async function withPage(fn) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ec-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-quic', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    // Nothing may be loaded from anywhere but the service.
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) foreign.push(r.url()); });
    await fn(page);
    assert.deepStrictEqual(foreign, [], 'the page loaded resources from elsewhere');
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

async function determine(page, date) {
  await page.goto(BASE + '/');
  // Focus the product list, choose on it, move on with Tab, submit with Enter.
  await page.focus('#product');
  await page.selectOption('#product', 'nvidia-h20');
  await page.keyboard.press('Tab'); // the sheet
  await page.keyboard.press('Tab'); // the destination
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'to');
  await page.selectOption('#to', 'CN');
  await page.keyboard.press('Tab'); // where the items ship from: an export from the United States
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'from');
  await page.selectOption('#from', 'US');
  await page.keyboard.press('Tab'); // the date
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'date');
  await page.fill('#date', date);
  await page.focus('#submit');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

test('H20 to China on 2024-06-01: no licence required, point on the chart', async () => {
  await withPage(async (page) => {
    await determine(page, '2024-06-01');
    const verdict = await page.textContent('#verdict');
    assert.strictEqual(verdict.trim(), 'no license required');
    assert.strictEqual(await page.getAttribute('#verdict', 'data-verdict'), 'no_license_required');
    const point = page.locator('#highlight circle');
    assert.strictEqual(await point.count(), 1);
    const box = await point.boundingBox();
    assert.ok(box && box.width > 5 && box.height > 5, 'the highlighted point is drawn');
    assert.strictEqual(await page.getAttribute('#highlight', 'data-tpp'), '2368');
    // The point sits in the band that is neither 3A090.a nor .b (the cell under its centre).
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    const eccn = await page.evaluate(([x, y]) => {
      const els = document.elementsFromPoint(x, y);
      const band = els.find((e) => e.hasAttribute && e.hasAttribute('data-eccn'));
      return band ? band.getAttribute('data-eccn') : null;
    }, [cx, cy]);
    assert.strictEqual(eccn, '');
    assert.match(await page.textContent('#tpp'), /296 TOPS \(fp8\) × 8 bits = 2368/);
    assert.ok((await page.locator('#strip .span').count()) >= 2, 'the strip shows the verdict changing');
    await page.screenshot({ path: path.join(SHOTS, 'page-h20-cn-2024-06-01.png'), fullPage: true });
  });
});

test('H20 to China on 2025-04-20: licence required', async () => {
  await withPage(async (page) => {
    await determine(page, '2025-04-20');
    const verdict = await page.textContent('#verdict');
    assert.strictEqual(verdict.trim(), 'license required');
    assert.strictEqual(await page.locator('#highlight circle').count(), 1);
    const strip = await page.locator('#strip .span').evaluateAll((els) => els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-verdict')]));
    // On the date asked, the strip says the same as the verdict.
    const current = strip.filter(([from]) => from <= '2025-04-20').pop();
    assert.strictEqual(current[1], 'license_required');
    await page.screenshot({ path: path.join(SHOTS, 'page-h20-cn-2025-04-20.png'), fullPage: true });
  });
});
