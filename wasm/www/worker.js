// Screening runs here, off the page's main thread: the page never freezes, even on a large file.
// Messages in:  { id, text, file: { name, bytes } | null }
// Messages out: { ready: { ... } } once, then { id, verdict, ms } or { id, error }.
import init, { Blocklist, Key, Screener, SigningKey } from './pkg/hashscreen.js';
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

const ready = start().catch((e) => postMessage({ fatal: `${e.code ?? ''} ${e.message}` }));

onmessage = async ({ data: { id, text, file } }) => {
  await ready;
  try {
    const parts = [];
    if (text) parts.push(text);
    if (file) parts.push(file.bytes);
    const t0 = performance.now();
    const verdict = screener.screen(parts);
    const ms = performance.now() - t0;
    postMessage({ id, verdict, ms, parts: parts.map((p) => (typeof p === 'string' ? 'text' : file.name)) });
  } catch (e) {
    postMessage({ id, error: `${e.code ?? ''} ${e.message}` });
  }
};
