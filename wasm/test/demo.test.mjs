// The demo page (wasm/www) in headless Chromium, served on 127.0.0.1: it loads the signed demo
// list, screens typed texts (disguised listed, unlisted) and a dropped listed file, and shows the
// verdicts. Saves a screenshot (wasm/www/screenshot.png with HASHSCREEN_UPDATE_SCREENSHOT=1).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { launch } from './chromium.mjs';
import { serve } from './serve.mjs';

const www = fileURLToPath(new URL('../www', import.meta.url));
const demoDir = new URL('../../fixtures/demo/', import.meta.url);
let server;
let browser;
let page;

// With HASHSCREEN_BIN (scripts/test-wasm.sh sets it), the page is served by the documented
// command, `hashscreen demo --web --port 0`; without it, by the test's own static server.
async function serveDemo() {
  const bin = process.env.HASHSCREEN_BIN;
  if (!bin) return serve(www);
  const child = spawn(bin, ['demo', '--web', '--port', '0', '--dir', www], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`hashscreen demo --web exited (${code}): ${out}`)));
  });
  return { url, close: async () => child.kill() };
}

before(async () => {
  server = await serveDemo();
  browser = await launch();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => assert.fail(`page error: ${e}`));
  await page.goto(`${server.url}/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function typeAndWait(text) {
  await page.fill('#text', text);
  await page.waitForFunction(() => document.getElementById('timing').textContent !== '');
  // The verdict shown is the one for the latest input (app.js drops stale answers).
  await page.waitForTimeout(100);
  return {
    state: await page.getAttribute('#verdict', 'class'),
    headline: await page.textContent('#headline'),
    details: await page.textContent('#details'),
  };
}

test('demo: the list loads and verifies', async () => {
  const status = await page.textContent('#list');
  assert.match(status, /loaded and verified: sequence 1/);
  // Five texts, each a strict key and its two evidence forms.
  assert.match(status, /scam \(text, 15 entries\)/);
});

test('demo: an unlisted text is clean', async () => {
  const v = await typeAndWait('See you at the book club on Thursday');
  assert.equal(v.state, 'verdict clean');
  assert.match(v.headline, /No match/);
});

test('demo: a listed text in disguise matches (upper case, extra spaces, full-width letters)', async () => {
  const listed = readFileSync(new URL('scam-texts.txt', demoDir), 'utf8').split('\n')[0];
  const fullWidth = (s) => s.replace(/[A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const words = listed.toUpperCase().split(' ');
  const disguised = `  ${fullWidth(words.slice(0, 2).join(' '))}   ${words.slice(2).join('  ')} `;
  assert.notEqual(disguised, listed);
  const v = await typeAndWait(disguised);
  assert.equal(v.state, 'verdict matched');
  assert.match(v.headline, /Matched the blocklist: scam/);
  assert.match(v.details, /the text matches list "scam" \(text signal\)/);
});

test('demo: a dropped listed file matches', async () => {
  await typeAndWait('hello, see the attachment');
  const bytes = [...readFileSync(new URL('listed-attachment.txt', demoDir))];
  const dataTransfer = await page.evaluateHandle((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'invoice.txt', { type: 'text/plain' }));
    return dt;
  }, bytes);
  await page.dispatchEvent('#drop', 'drop', { dataTransfer });
  await page.waitForFunction(() => document.getElementById('details').textContent.includes('invoice.txt'));
  const state = await page.getAttribute('#verdict', 'class');
  assert.equal(state, 'verdict matched');
  assert.match(await page.textContent('#headline'), /Matched the blocklist: malware/);
  assert.match(await page.textContent('#details'), /the file invoice\.txt matches list "malware" \(file signal\)/);
  assert.match(await page.textContent('#timing'), /screened in (< 0\.1|[0-9.]+) ms in the worker/);
  await page.fill('#text', 'YOUR PACKAGE is on hold.  Pay the customs fee here to release it');
  await page.waitForFunction(() => document.getElementById('headline').textContent.includes('scam'));
});

async function dropImage(path, name) {
  const bytes = [...readFileSync(new URL(path, new URL('../../fixtures/', import.meta.url)))];
  const dataTransfer = await page.evaluateHandle(
    ([b, n]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], n, { type: 'image/jpeg' }));
      return dt;
    },
    [bytes, name],
  );
  await page.dispatchEvent('#drop', 'drop', { dataTransfer });
  await page.waitForFunction((n) => document.getElementById('details').textContent.includes(`PDQ hash of ${n}`), name);
  return {
    state: await page.getAttribute('#verdict', 'class'),
    headline: await page.textContent('#headline'),
    details: await page.textContent('#details'),
  };
}

test('demo: a dropped unlisted image is clean, and its PDQ hash is shown', async () => {
  await typeAndWait('a photo from the weekend');
  const v = await dropImage('images/corpus/0020.jpg', 'weekend.jpg');
  assert.equal(v.state, 'verdict clean');
  assert.match(v.details, /PDQ hash of weekend\.jpg: [0-9a-f]{64} \(quality \d+\)/);
});

test('demo: a dropped listed image matches by its PDQ hash', async () => {
  await typeAndWait('look at this');
  const v = await dropImage('images/corpus/0015.jpg', 'listed.jpg');
  assert.equal(v.state, 'verdict matched');
  assert.match(v.headline, /Matched the blocklist: known-images/);
  assert.match(v.details, /the file listed\.jpg matches list "known-images" \(image_pdq signal\)/);
  assert.match(v.details, /PDQ hash of listed\.jpg: [0-9a-f]{64}/);
  await page.fill('#text', 'YOUR PACKAGE is on hold.  Pay the customs fee here to release it');
  await page.waitForFunction(() => document.getElementById('headline').textContent.includes('scam'));
  // The committed screenshot is rewritten only on request (the timing text differs on every run).
  const shot = process.env.HASHSCREEN_UPDATE_SCREENSHOT
    ? fileURLToPath(new URL('../www/screenshot.png', import.meta.url))
    : join(tmpdir(), 'hashscreen-demo-screenshot.png');
  await page.screenshot({ path: shot });
});
