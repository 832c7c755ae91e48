// The WebAssembly side of the WASM vs native benchmark (BENCHMARKS.md (WebAssembly section)): the same list and
// inputs as native.rs, the same calls through the package's JS API (so the JS <-> WebAssembly
// boundary is included), timed the same way (best of 20 rounds), and the same work looped inside
// WebAssembly by wasm/bench/loops (built by run.sh for this build: no boundary per message). Prints
// one JSON object.
//   node wasm/bench/wasm.mjs [pkg | pkg-nosimd] <png written by native.rs> <loops module (.js)>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const dir = process.argv[2] ?? 'pkg';
const pngPath = process.argv[3];
const require = createRequire(import.meta.url);
const hs = require(`../${dir}/node/hashscreen.js`);
// The texts and files come from the same Rust functions as on the native side.
const gen = require(process.argv[4]);
const inputs = JSON.parse(readFileSync(new URL('inputs.json', import.meta.url), 'utf8'));
const { list_entries: entries, messages: n, file_bytes: fileLen } = inputs;

// One warm-up round (V8 compiles WebAssembly with a baseline compiler first and optimises hot
// functions later), then the best of 20 (short rounds: the best one is the least disturbed on a shared machine).
function bestNs(count, f) {
  let best = Infinity;
  for (let i = 0; i < count; i++) f(i);
  for (let round = 0; round < 20; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < count; i++) f(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / count);
  }
  return best;
}

const key = hs.Key.fromHex(inputs.key_hex);
const listedTexts = Array.from({ length: entries }, (_, i) => gen.listed(i));
const listedFiles = Array.from({ length: entries }, (_, i) => gen.listedFile(i));
let t = performance.now();
const b = new hs.BlocklistBuilder(key, { created: 1767225600, listId: '07'.repeat(16) });
for (let i = 0; i < entries; i++) {
  b.addText('scam', listedTexts[i]);
  b.addFile('malware', listedFiles[i]);
}
const bytes = b.build();
const buildMs = performance.now() - t;
const list = hs.Blocklist.open(bytes);
const screener = new hs.Screener(list, key);

const msgs = Array.from({ length: n }, (_, i) => gen.message(i));
const files = Array.from({ length: n }, (_, i) => gen.smallFile(i));
const longs = inputs.long_text_bytes.map((len) => Array.from({ length: inputs.long_texts }, (_, i) => gen.longText(i, len)));
const loops = new gen.Loops(bytes, inputs.key_hex, n);
const big = Uint8Array.from({ length: fileLen }, (_, i) => (i * 31) % 251);
let falseMatches = 0;
for (let i = 0; i < n; i++) {
  falseMatches += screener.screenText(msgs[i]).matched + screener.screenFile(files[i]).matched;
}
let sink = 0;
// Image hashing from encoded bytes: decode + PDQ with the 8 dihedral variants (`pdqHash`).
const jpeg = new Uint8Array(readFileSync(new URL('../../fixtures/images/dih/bridge-1-original.jpg', import.meta.url)));
const png = new Uint8Array(readFileSync(pngPath));
const out = {
  checksum: list.checksum,
  list_bytes: list.byteLength,
  build_ms: buildMs,
  msg_avg_bytes: msgs.reduce((s, m) => s + Buffer.byteLength(m), 0) / n,
  screen_text_ns: bestNs(n, (i) => { sink += screener.screenText(msgs[i]).matched; }),
  canonical_text_ns: bestNs(n, (i) => { sink += hs.canonicalText(msgs[i]).length; }),
  canonical_long_ns: longs.map((texts) => bestNs(texts.length, (i) => { sink += hs.canonicalText(texts[i]).length; })),
  loop_canonical_ns: bestNs(1, () => { sink += loops.canonical(); }) / n,
  loop_screen_text_ns: bestNs(1, () => { sink += loops.screenText(); }) / n,
  loop_screen_file_ns: bestNs(1, () => { sink += loops.screenFile(); }) / n,
  loop_probe_ns: bestNs(1, () => { sink += loops.probe(); }) / n,
  screen_file_16b_ns: bestNs(n, (i) => { sink += screener.screenFile(files[i]).matched; }),
  file_digest_1mib_ns: bestNs(20, () => { sink += hs.fileDigest(key, big).length; }),
  pdq_jpeg_1_6mp_ns: bestNs(1, () => { sink += hs.pdqHash(jpeg).quality; }),
  pdq_png_0_7mp_ns: bestNs(1, () => { sink += hs.pdqHash(png).quality; }),
  pdq_hashes: [hs.pdqHash(jpeg).hash, hs.pdqHash(png).hash],
  false_matches: falseMatches,
};
if (sink < 0) console.log(sink);
console.log(JSON.stringify(out));
