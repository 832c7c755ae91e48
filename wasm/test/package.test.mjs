// The npm package as a user gets it: `npm pack` of wasm/pkg holds both builds, and the package's
// `exports` resolve in Node for `require`, `import` and the explicit `hashscreen/web` entry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const pkg = fileURLToPath(new URL('../pkg', import.meta.url));
const app = mkdtempSync(join(tmpdir(), 'hashscreen-npm-'));
mkdirSync(join(app, 'node_modules'));
symlinkSync(pkg, join(app, 'node_modules', 'hashscreen'), 'dir');
after(() => rmSync(app, { recursive: true, force: true }));

const run = (file, source) => {
  writeFileSync(join(app, file), source);
  return execFileSync(process.execPath, [join(app, file)], { cwd: app, encoding: 'utf8' }).trim();
};

test('package: npm pack holds both builds, the types and the README', () => {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg, encoding: 'utf8' }));
  const files = info.files.map((f) => f.path).sort();
  for (const f of ['README.md', 'package.json', 'web/hashscreen.js', 'web/hashscreen.d.ts', 'web/hashscreen_bg.wasm',
    'node/hashscreen.js', 'node/hashscreen.d.ts', 'node/hashscreen_bg.wasm']) {
    assert.ok(files.includes(f), `${f} in ${files}`);
  }
  assert.equal(info.name, 'hashscreen');
});

test('package: require("hashscreen") in Node gets the node build', () => {
  const out = run('app.cjs', `
    const { Key, canonicalText } = require('hashscreen');
    console.log(Key.fromBytes(new Uint8Array(32)).id.length, canonicalText(' A  B '));`);
  assert.equal(out, '32 a b');
});

test('package: import from "hashscreen" in Node (ES module) gets the node build', () => {
  const out = run('app.mjs', `
    import { Key, Screener, Blocklist, BlocklistBuilder } from 'hashscreen';
    const key = Key.generate();
    const b = new BlocklistBuilder(key);
    b.addText('scam', 'claim your prize');
    const s = new Screener(Blocklist.open(b.build(), { keyId: key.id }), key);
    console.log(s.screenText('CLAIM your  prize').matched);`);
  assert.equal(out, 'true');
});

test('package: "hashscreen/web" initialises from bytes too', () => {
  const out = run('web.mjs', `
    import { readFileSync } from 'node:fs';
    import { createRequire } from 'node:module';
    import init, { canonicalText } from 'hashscreen/web';
    const wasm = readFileSync(createRequire(import.meta.url).resolve('hashscreen/hashscreen_bg.wasm'));
    await init({ module_or_path: wasm });
    console.log(canonicalText('Ｆｕｌｌ'));`);
  assert.equal(out, 'full');
});
