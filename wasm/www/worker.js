// Screening runs here, off the page's main thread: the page never freezes, even on a large file.
// Messages in:  { id, text, file: { name, bytes } | null }
// Messages out: { ready: { ... } } once, then { id, verdict, ms, pdq } or { id, error }.
// An attached image (JPEG, PNG, GIF, WebP, BMP by its first bytes) is screened as an image: its bytes
// and its PDQ hash (pdq: { hash, quality } is shown on the page); any other file by its bytes.
import init, { Blocklist, Key, Screener, SigningKey, pdqHash } from './pkg/hashscreen.js';
import { DEMO_KEY_HEX, DEMO_PUBLISHER_SEED_HEX } from './demo-keys.js';

let screener;

async function start() {
  await init();
  const key = Key.fromHex(DEMO_KEY_HEX);
  // A real app pins the publisher's public key; the demo derives it from the demo seed.
  const publisher = SigningKey.fromHex(DEMO_PUBLISHER_SEED_HEX).publicKey;
  const bytes = new Uint8Array(await (await fetch('demo.hsbl')).arrayBuffer());
  const list = Blocklist.open(bytes, { publisher, keyId: key.id, minSequence: 1 });
  screener = new Screener(list, key);
  postMessage({
    ready: {
      sequence: Number(list.sequence),
      bytes: list.byteLength,
      sections: list.sections.map((s) => `${s.label} (${s.signal}, ${s.entries} ${s.entries === 1n ? 'entry' : 'entries'})`),
      signer: list.signer,
    },
  });
}

function isImage(b) {
  const starts = (...sig) => sig.every((x, i) => b[i] === x);
  return (
    starts(0xff, 0xd8, 0xff) || starts(0x89, 0x50, 0x4e, 0x47) || starts(0x47, 0x49, 0x46, 0x38) ||
    starts(0x42, 0x4d) || (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45)
  );
}

const ready = start().catch((e) => postMessage({ fatal: `${e.code ?? ''} ${e.message}` }));

onmessage = async ({ data: { id, text, file } }) => {
  await ready;
  try {
    const parts = [];
    if (text) parts.push(text);
    let pdq = null;
    const t0 = performance.now();
    if (file && isImage(file.bytes)) {
      parts.push({ image: file.bytes });
      try {
        const r = pdqHash(file.bytes);
        pdq = { hash: r.hash, quality: r.quality };
      } catch (e) {
        pdq = { error: e.code };
      }
    } else if (file) parts.push(file.bytes);
    const verdict = screener.screen(parts);
    const ms = performance.now() - t0;
    postMessage({ id, verdict, ms, pdq, parts: parts.map((p) => (typeof p === 'string' ? 'text' : file.name)) });
  } catch (e) {
    postMessage({ id, error: `${e.code ?? ''} ${e.message}` });
  }
};
