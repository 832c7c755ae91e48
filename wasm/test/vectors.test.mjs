// Runs the shared vectors (vectors.mjs) in Node against the nodejs build (wasm/pkg/node).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const hs = createRequire(import.meta.url)('../pkg/node/hashscreen.js');
const { cases } = await import('./vectors.mjs');
const fixtures = new URL('../../fixtures/', import.meta.url);
const load = async (path) => new Uint8Array(await readFile(new URL(path, fixtures)));

for (const c of await cases(hs, load)) test(`node: ${c.name}`, c.run);

// Node only (a browser tab may not get 4 GiB): a file as large as Node allows is screened in
// 1 MiB pieces. A whole copy into WebAssembly memory (at most 4 GiB, less what is in use) traps
// with `RuntimeError: unreachable` at this size.
test('node: a 4 GiB file is screened without copying it whole', () => {
  const key = hs.Key.fromHex('11'.repeat(32));
  const b = new hs.BlocklistBuilder(key, {});
  b.addFile('malware', new Uint8Array([1, 2, 3]));
  const s = new hs.Screener(hs.Blocklist.open(b.build()), key);
  let big;
  try {
    big = new Uint8Array(2 ** 32 - 1);
  } catch (e) {
    console.log(`# skipped: this Node cannot allocate 4 GiB (${e.message})`);
    return;
  }
  const v = s.screenFile(big);
  if (v.matched !== false || v.unscreened.length !== 0) throw new Error(`verdict ${JSON.stringify(v)}`);
  if (s.screen(['hello', big]).matched !== false) throw new Error('screen');
  // Every byte is read: changing the first or the last changes the digest.
  const zeros = hs.fileDigest(key, big);
  big[big.length - 1] = 1;
  const last = hs.fileDigest(key, big);
  big[0] = 1;
  const first = hs.fileDigest(key, big);
  if (new Set([zeros, last, first]).size !== 3) throw new Error(`digests ${zeros} ${last} ${first}`);
  // As an image: over the decode limit, refused before any copy, its bytes still screened.
  const withImages = new hs.BlocklistBuilder(key, {});
  withImages.addFile('malware', new Uint8Array([1, 2, 3]));
  withImages.addPdqHash('known-images', '35'.repeat(32));
  const si = new hs.Screener(hs.Blocklist.open(withImages.build()), key);
  const code = (f) => {
    try {
      f();
    } catch (e) {
      return e.code;
    }
    return 'no error';
  };
  for (const [what, f] of [
    ['screenImage', () => si.screenImage(big)],
    ['pdqHash', () => hs.pdqHash(big)],
    ['NearQuery.fromBytes', () => hs.NearQuery.fromBytes(big)],
  ]) {
    if (code(f) !== 'IMAGE_INPUT_TOO_LARGE') throw new Error(`${what}: ${code(f)}`);
  }
  const v2 = si.screen(['hello', { image: big }]);
  if (JSON.stringify(v2.unscreened.map((u) => [u.part, u.code])) !== '[[1,"IMAGE_INPUT_TOO_LARGE"]]') {
    throw new Error(`image part: ${JSON.stringify(v2)}`);
  }
  // As a list or a delta: over the 1 GiB default, refused before any copy.
  if (code(() => hs.Blocklist.open(big)) !== 'INPUT_TOO_LARGE') throw new Error('Blocklist.open');
  const list = hs.Blocklist.open(withImages.build());
  if (code(() => list.applyDelta(big)) !== 'INPUT_TOO_LARGE') throw new Error('applyDelta');
  // The module still works.
  if (s.screenFile(new Uint8Array([1, 2, 3])).matched !== true) throw new Error('after');
});

// An image one byte over the decode limit, listed by its bytes: screened in pieces, with the
// verdict the core gives for the whole copy (the file match kept, the image reported too large).
test('node: an image over the decode limit keeps its exact-bytes match', () => {
  const key = hs.Key.fromHex('22'.repeat(32));
  const big = new Uint8Array(64 * 1024 * 1024 + 1).fill(0x5a);
  big.set([0xff, 0xd8, 0xff]);
  const b = new hs.BlocklistBuilder(key, {});
  b.addFile('malware', big);
  b.addPdqHash('known-images', '35'.repeat(32));
  const s = new hs.Screener(hs.Blocklist.open(b.build()), key);
  const v = s.screen([{ image: big }]);
  const got = JSON.stringify([v.matches, v.unscreened.map((u) => [u.part, u.code])]);
  const want = JSON.stringify([[{ part: 0, signal: 'file', label: 'malware' }], [[0, 'IMAGE_INPUT_TOO_LARGE']]]);
  if (got !== want) throw new Error(`got ${got}, want ${want}`);
  if (s.screenFile(big).matched !== true) throw new Error('screenFile');
});
