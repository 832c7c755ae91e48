// Runs the shared vectors (vectors.mjs) in headless Chromium against the web build (wasm/pkg/web),
// served on 127.0.0.1; each browser case is reported as one Node test.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { launch } from './chromium.mjs';
import { serve } from './serve.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const server = await serve(root, ['wasm', 'fixtures']);
const browser = await launch();
let results;
try {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/wasm/test/vectors.html`);
  await page.waitForFunction(() => window.results, null, { timeout: 60_000 });
  results = await page.evaluate(() => window.results);
  results.push({ name: 'no page errors', ok: errors.length === 0, error: errors.join('\n') });
} finally {
  await browser.close();
  await server.close();
}

test('chromium: the vectors ran', () => assert.ok(results.length > 30, `${results.length} cases`));
for (const r of results) {
  test(`chromium: ${r.name}`, () => assert.ok(r.ok, r.error));
}
