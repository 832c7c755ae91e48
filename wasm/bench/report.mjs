// Prints the Markdown tables of BENCHMARKS.md (WebAssembly section) from the three JSON results of run.sh.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';

const [native, simd, nosimd] = process.argv.slice(2).map((s) => JSON.parse(s));
const pkg = new URL('../pkg/', import.meta.url);
const nosimdPkg = new URL('../pkg-nosimd/', import.meta.url);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const size = (base, path) => {
  const b = readFileSync(new URL(path, base));
  return `${kb(b.length)} | ${kb(gzipSync(b, { level: 9 }).length)}`;
};

if (simd.checksum !== native.checksum || nosimd.checksum !== native.checksum) {
  throw new Error('the WASM and native lists differ: not the same work');
}
if (JSON.stringify(simd.pdq_hashes) !== JSON.stringify(native.pdq_hashes) || JSON.stringify(nosimd.pdq_hashes) !== JSON.stringify(native.pdq_hashes)) {
  throw new Error('the WASM and native PDQ hashes differ: not the same work');
}
console.log(`Machine: ${cpus()[0].model}, ${cpus().length} cores (shared); Node ${process.version}.\n`);
console.log('| file | raw | gzip -9 |\n|---|---|---|');
console.log(`| web/hashscreen_bg.wasm (SIMD) | ${size(pkg, 'web/hashscreen_bg.wasm')} |`);
console.log(`| web/hashscreen_bg.wasm (no SIMD) | ${size(nosimdPkg, 'web/hashscreen_bg.wasm')} |`);
console.log(`| web/hashscreen.js (glue, ES module) | ${size(pkg, 'web/hashscreen.js')} |`);
console.log(`| node/hashscreen.js (glue, CommonJS) | ${size(pkg, 'node/hashscreen.js')} |`);
console.log(`\nList: ${native.list_bytes} bytes (2 sections of ${'100,000'} entries), ` +
  `messages ${native.msg_avg_bytes.toFixed(0)} bytes on average; false matches: native ` +
  `${native.false_matches}, wasm ${simd.false_matches}.\n`);
const [kib1, kib16] = [0, 1].map((j) => (r) => r.canonical_long_ns[j]);
const rows = [
  ['`screenText`: canonicalise + digest + probe, chat message', 'screen_text_ns', 'ns'],
  ['`canonicalText`, chat message', 'canonical_text_ns', 'ns'],
  ['`canonicalText`, 1 KiB text', kib1, 'ns'],
  ['`canonicalText`, 16 KiB text', kib16, 'ns->us'],
  ['`screenFile`, 16-byte file: digest + probe', 'screen_file_16b_ns', 'ns'],
  ['`fileDigest`, 1 MiB', 'file_digest_1mib_ns', 'MB/s'],
  ['build the list (200,000 adds + build)', 'build_ms', 'ms'],
  ['`pdqHash`: decode + PDQ + 8 dihedral, 1.6 MP JPEG', 'pdq_jpeg_1_6mp_ns', 'ns->ms'],
  ['`pdqHash`: decode + PDQ + 8 dihedral, 0.7 MP PNG', 'pdq_png_0_7mp_ns', 'ns->ms'],
];
// A row's value in one result: a field name or a function of the result.
const getter = (key) => (typeof key === 'function' ? key : (r) => r[key]);
const table = (rows) => {
  console.log('| work | native | WASM SIMD | WASM no SIMD | SIMD / native |\n|---|---|---|---|---|');
  for (const [name, key, unit] of rows) {
    const get = getter(key);
    const fmt = (r) => {
      const v = get(r);
      if (unit === 'MB/s') return `${(1048576 / v * 1e3).toFixed(0)} MB/s`;
      if (unit === 'ms') return `${v.toFixed(0)} ms`;
      if (unit === 'ns->ms') return `${(v / 1e6).toFixed(1)} ms`;
      if (unit === 'ns->us') return `${(v / 1e3).toFixed(1)} us`;
      return `${v.toFixed(0)} ns`;
    };
    console.log(`| ${name} | ${fmt(native)} | ${fmt(simd)} | ${fmt(nosimd)} | ${(get(simd) / get(native)).toFixed(2)}x |`);
  }
};
table(rows);
console.log('\nThe same per-message work looped inside Rust (wasm/bench/loops; in WebAssembly one JS call per ' +
  '2,000 messages, so no JS <-> WebAssembly crossing per message), time per message:\n');
const loopRows = [
  ['`strict_key` (what `canonicalText` computes), chat message', 'loop_canonical_ns', 'ns'],
  ['`screen_text`, chat message', 'loop_screen_text_ns', 'ns'],
  ['`screen_file`, 16-byte file: digest + probe', 'loop_screen_file_ns', 'ns'],
  ['`screen_file_digest`: the filter probe alone', 'loop_probe_ns', 'ns'],
];
table(loopRows);

// The plot (BENCHMARKS.md): WASM SIMD / native per row, per call and looped, against the 2x goal.
const svgPath = process.env.HASHSCREEN_WASM_BENCH_SVG;
if (svgPath) {
  const bars = [
    ...rows.filter(([, , unit]) => unit !== 'MB/s').map((r) => ['per call: ' + r[0], r[1]]),
    ...loopRows.map((r) => ['looped: ' + r[0], r[1]]),
  ].map(([name, key]) => [name.replace(/`/g, ''), getter(key)(simd) / getter(key)(native)]);
  const [w, rowH, left, scale] = [940, 22, 430, 110];
  const x = (v) => left + Math.min(v, 4) * scale;
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${bars.length * rowH + 50}" font-family="sans-serif" font-size="12">`,
    `<text x="${left}" y="16">WASM (SIMD) time / native time; bars past 4x are cut</text>`];
  bars.forEach(([name, v], i) => {
    const y = 28 + i * rowH;
    out.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(name.slice(0, 68))}</text>`,
      `<rect x="${left}" y="${y + 3}" width="${x(v) - left}" height="${rowH - 6}" fill="${v <= 2 ? '#4a8' : '#d84'}"/>`,
      `<text x="${x(v) + 4}" y="${y + 14}">${v.toFixed(2)}x</text>`);
  });
  const h = 28 + bars.length * rowH;
  for (const t of [1, 2, 3, 4]) {
    out.push(`<line x1="${x(t)}" y1="22" x2="${x(t)}" y2="${h}" stroke="${t === 2 ? '#c00' : '#bbb'}" stroke-dasharray="${t === 2 ? '' : '3,3'}"/>`,
      `<text x="${x(t)}" y="${h + 14}" text-anchor="middle">${t}x${t === 2 ? ' (goal)' : ''}</text>`);
  }
  out.push('</svg>');
  writeFileSync(svgPath, out.join('\n') + '\n');
}
