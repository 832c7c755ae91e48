// The shared test vectors (fixtures/vectors.json) and the error contract, as a list of cases that
// run the same in Node (vectors.test.mjs) and in headless Chromium (browser.test.mjs, through
// vectors.html). Expected values come from the fixture files only, as in the Rust test
// tests/vectors.rs: nothing is copied by hand.
//
//   cases(hs, load) -> [{ name, run }]
//     hs:   the package's exports (after init on the web)
//     load: async (path relative to fixtures/) => Uint8Array

function fail(message) {
  throw new Error(message);
}

function eq(got, want, what) {
  const g = JSON.stringify(got, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const w = JSON.stringify(want, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  if (g !== w) fail(`${what}: got ${g}, want ${w}`);
}

function unhex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function throwsCode(fn, code, what) {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof Error)) fail(`${what}: threw a non-Error ${e}`);
    eq(e.code, code, `${what}: error code (message: ${e.message})`);
    return e;
  }
  fail(`${what}: did not throw (wanted ${code})`);
}

const basename = (p) => p.slice(p.lastIndexOf('/') + 1);

export async function cases(hs, load) {
  const v = JSON.parse(new TextDecoder().decode(await load('vectors.json')));
  const files = {};
  for (const info of v.blocklists) files[basename(info.file)] = await load(info.file);
  const deltaBytes = await load(v.delta.file);
  const key = hs.Key.fromHex(v.key.hex);
  const utf8 = new TextEncoder();
  const out = [];
  const add = (name, run) => out.push({ name, run });

  add('key id', () => eq(key.id, v.key.key_id, 'key id'));

  v.digests.forEach((d, i) => {
    add(`digest ${i} (${d.signal}${d.comment ? `, ${d.comment}` : ''})`, () => {
      let input;
      if (d.input_hex !== undefined) input = unhex(d.input_hex);
      else input = utf8.encode(d.canonical ?? d.input);
      if (d.canonical !== undefined) {
        let got;
        if (d.signal === 'text') got = hs.canonicalText(d.input);
        else if (d.signal === 'text_loose') got = hs.looseText(d.input);
        else if (d.signal === 'text_shingle') got = hs.textShingles(d.input, 2)[0];
        else if (d.signal === 'url') {
          const [canonical, ...expressions] = hs.canonicalExpressions(d.input);
          eq(canonical, d.url_canonical, 'canonical url');
          eq(expressions, d.expressions, 'expressions');
          got = expressions[0];
        } else fail(`no canonical form for ${d.signal}`);
        eq(got, d.canonical, 'canonical');
      }
      eq(hs.digest(key, d.signal, d.version, input), d.digest, 'digest');
      if (d.signal === 'file') eq(hs.fileDigest(key, input), d.digest, 'fileDigest');
      if (['file', 'text'].includes(d.signal)) eq(hs.digestVersion(d.signal), d.version, 'digestVersion');
    });
  });

  for (const info of v.blocklists) {
    add(`open ${info.file}`, () => {
      const list = hs.Blocklist.open(files[basename(info.file)], { keyId: v.key.key_id });
      eq(list.sequence, BigInt(info.sequence), 'sequence');
      eq(list.created, BigInt(info.created), 'created');
      eq(list.listId, info.list_id, 'list id');
      eq(list.checksum, info.checksum, 'checksum');
      eq(list.keyId, v.key.key_id, 'key id');
      eq(list.signer ?? null, info.signed_by, 'signer');
      eq(list.byteLength, files[basename(info.file)].length, 'byteLength');
      eq(
        list.sections.map((s) => ({
          signal: s.signal,
          label: s.label,
          entries: Number(s.entries),
          digest_version: s.digestVersion,
          block_count: s.blockCount,
          blocks_per_key: s.blocksPerKey,
          bits_per_block: s.bitsPerBlock,
        })),
        info.sections,
        'sections',
      );
      list.free();
    });
  }

  add(`delta ${v.delta.file}`, () => {
    const base = hs.Blocklist.open(files[basename(v.delta.base)]);
    const opts = { publisher: v.publisher.public_key, minSequence: 1, keyId: v.key.key_id };
    const applied = base.applyDelta(deltaBytes, opts);
    eq(hex(applied.toBytes()), hex(files[basename(v.delta.result)]), 'applied delta bytes');
    eq(applied.signer, v.publisher.public_key, 'signer after delta');
  });

  const screeners = {};
  const screener = (name) => {
    screeners[name] ??= new hs.Screener(hs.Blocklist.open(files[name], { keyId: v.key.key_id }), key);
    return screeners[name];
  };
  const images = {};
  for (const c of v.screen) if (c.kind === 'image') images[c.input_file] = await load(c.input_file);
  for (const img of v.pdq.images) images[img.file] ??= await load(img.file);
  v.screen.forEach((c, i) => {
    add(`screen ${i} (${c.kind} on ${c.blocklist}${c.comment ? `, ${c.comment}` : ''})`, () => {
      const s = screener(c.blocklist);
      let single, part;
      if (c.kind === 'text') (part = { text: c.input }), (single = s.screenText(c.input));
      else if (c.kind === 'url') (part = { url: c.input }), (single = s.screenUrl(c.input));
      else if (c.kind === 'image') (part = { image: images[c.input_file] }), (single = s.screenImage(part.image));
      else (part = { file: unhex(c.input_hex) }), (single = s.screenFile(part.file));
      const want = c.verdict.matches.map((m) => ({ part: 0, signal: m.signal, label: m.label }));
      eq(single, { matched: c.verdict.matched, matches: want, unscreened: [] }, 'verdict');
      // The same part inside a message, after an unlisted text: part indices shift by one.
      const msg = s.screen(['an ordinary message', part]);
      eq(msg.matches, want.map((m) => ({ ...m, part: 1 })), 'message verdict');
    });
  });

  v.pdq.images.forEach((img) => {
    add(`pdq ${img.file}`, () => {
      const r = hs.pdqHash(images[img.file]);
      eq(r.hash, img.pdq, 'pdq');
      eq(r.quality, img.quality, 'quality');
      eq(r.dihedral, img.dihedral, 'dihedral');
      eq(hs.digest(key, 'image_pdq', 1, unhex(img.pdq)), img.digest, 'pdq digest');
    });
  });

  // Errors: one stable code per failure, from the core's error enum.
  const v1 = files['list-v1.hsbl'];
  const v2 = files['list-v2-signed.hsbl'];
  add('error TRUNCATED', () => throwsCode(() => hs.Blocklist.open(v1.slice(0, v1.length - 1)), 'TRUNCATED', 'cut list'));
  add('error BAD_MAGIC', () => {
    const b = v1.slice();
    b[0] ^= 1;
    throwsCode(() => hs.Blocklist.open(b), 'BAD_MAGIC', 'bad magic');
  });
  add('error CHECKSUM', () => {
    const b = v1.slice();
    b[b.length - 40] ^= 0x80; // a filter byte
    const e = throwsCode(() => hs.Blocklist.open(b), 'CHECKSUM', 'flipped bit');
    eq(e.name, 'HashscreenError', 'error name');
  });
  add('error SIGNATURE_MISSING', () =>
    throwsCode(() => hs.Blocklist.open(v1, { publisher: v.publisher.public_key }), 'SIGNATURE_MISSING', 'unsigned'));
  add('error BAD_SIGNATURE', () => {
    const other = hs.SigningKey.generate();
    throwsCode(() => hs.Blocklist.open(v2, { publisher: other.publicKey }), 'BAD_SIGNATURE', 'other publisher');
  });
  add('error ROLLBACK', () => {
    const e = throwsCode(() => hs.Blocklist.open(v2, { minSequence: 3n }), 'ROLLBACK', 'rollback');
    eq([e.current, e.found], [3n, 2n], 'rollback fields');
  });
  add('error KEY_MISMATCH', () => {
    const other = hs.Key.generate();
    throwsCode(() => hs.Blocklist.open(v1, { keyId: other.id }), 'KEY_MISMATCH', 'open with other key id');
    throwsCode(() => new hs.Screener(hs.Blocklist.open(v1), other), 'KEY_MISMATCH', 'screener with other key');
  });
  add('error WRONG_FILE_KIND', () => throwsCode(() => hs.Blocklist.open(deltaBytes), 'WRONG_FILE_KIND', 'delta as list'));
  add('error INVALID_KEY_LENGTH and INVALID_HEX', () => {
    throwsCode(() => hs.Key.fromHex('abcd'), 'INVALID_KEY_LENGTH', 'short key');
    throwsCode(() => hs.Key.fromBytes(new Uint8Array(31)), 'INVALID_KEY_LENGTH', 'short key bytes');
    throwsCode(() => hs.Key.fromHex('zz'.repeat(32)), 'INVALID_HEX', 'bad hex');
  });
  add('error INVALID_ARGUMENT', () => {
    const s = screener('list-v1.hsbl');
    const e = throwsCode(() => s.screen(['ok', 42]), 'INVALID_ARGUMENT', 'bad part');
    if (!(e instanceof TypeError)) fail('INVALID_ARGUMENT should be a TypeError');
    throwsCode(() => s.screen('not an array'), 'INVALID_ARGUMENT', 'not an array');
    throwsCode(() => hs.Blocklist.open(v1, { minSequence: -1 }), 'INVALID_ARGUMENT', 'negative sequence');
    throwsCode(() => hs.digest(key, 'nope', 1, new Uint8Array()), 'INVALID_ARGUMENT', 'unknown signal');
  });
  add('INPUT_TOO_LARGE: thrown by screenText, reported by screen', () => {
    const s = screener('list-v1.hsbl');
    const big = 'a'.repeat((1 << 20) + 1);
    throwsCode(() => s.screenText(big), 'INPUT_TOO_LARGE', 'long text');
    const verdict = s.screen([big, unhex(v.screen.find((c) => c.kind === 'file' && c.verdict.matched).input_hex)]);
    eq(verdict.matched, true, 'other parts still screened');
    eq(verdict.unscreened.map((u) => [u.part, u.code]), [[0, 'INPUT_TOO_LARGE']], 'unscreened');
  });

  // Near-duplicate images: a NearQuery is computed once and screened against a list's image_near
  // section. The images are drawn here as BMP files (shapes on a gradient), so the same bytes exist
  // in Node and in the browser; a letterboxed copy of the listed image matches through image_near
  // only (its PDQ hash is too far off), an unrelated image does not match.
  add('near-duplicate images: NearQuery.fromBytes, screenNear, nearParams', () => {
    const W = 320, H = 240;
    const bmp = (w, h, px) => {
      const row = (w * 3 + 3) & ~3, size = 54 + row * h, b = new Uint8Array(size), d = new DataView(b.buffer);
      b[0] = 66; b[1] = 77; d.setUint32(2, size, true); d.setUint32(10, 54, true); d.setUint32(14, 40, true);
      d.setInt32(18, w, true); d.setInt32(22, h, true); d.setUint16(26, 1, true); d.setUint16(28, 24, true);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) b.fill(px(x, h - 1 - y), 54 + y * row + x * 3, 57 + y * row + x * 3);
      return b;
    };
    const scene = (seed) => (x, y) => {
      const u = x / W, v = y / H;
      let c = 60 + 120 * u * (seed === 1 ? 1 : v);
      const disc = (cx, cy, r) => (u - cx) ** 2 + ((v - cy) * 0.75) ** 2 < r * r;
      if (disc(0.3 + 0.3 * (seed - 1), 0.4, 0.18)) c = 230;
      if (disc(0.7, 0.65 - 0.3 * (seed - 1), 0.12)) c = 20;
      if (u > 0.1 && u < 0.45 && v > 0.7 && v < 0.9) c = 180 - 100 * (seed - 1);
      if (((x >> 3) + (y >> 3)) % 2 === 0) c += 12;
      return Math.max(0, Math.min(255, Math.round(c)));
    };
    const listed = bmp(W, H, scene(1));
    const letterboxed = bmp(W, H + 80, (x, y) => (y < 40 || y >= H + 40 ? 0 : scene(1)(x, y - 40)));
    const other = bmp(W, H, scene(2));
    // A fixed key: the digests, hence any filter false positive, are the same on every run.
    const k = hs.Key.fromBytes(new Uint8Array(32).map((_, i) => i * 7 + 1));
    const b = new hs.BlocklistBuilder(k, { created: 1767225600n, listId: '00112233445566778899aabbccddeeff' });
    b.addImage('known-images', listed);
    const s = new hs.Screener(hs.Blocklist.open(b.build()), k);
    const params = s.nearParams();
    eq(params, [{ side: 7, flipDepth: 8, probesPerView: 64, views: 31 }], 'the list\'s (default) parameters');
    const near = (img) => s.screenNear(hs.NearQuery.fromBytes(img, params[0]));
    const hit = { matched: true, matches: [{ part: 0, signal: 'image_near', label: 'known-images' }], unscreened: [] };
    eq(near(listed), hit, 'the listed image');
    eq(near(letterboxed), hit, 'a letterboxed copy');
    eq(s.screenImage(letterboxed).matches.map((m) => m.signal), ['image_near'], 'only image_near sees the copy');
    eq(near(other).matched, false, 'another image');
    const q = hs.NearQuery.fromBytes(letterboxed);
    eq(q.params, params[0], 'default parameters');
    eq(s.screenNear(q), hit, 'a query is reusable');
    const small = hs.NearQuery.fromBytes(listed, { side: 6, flipDepth: 4, probesPerView: 16, views: 1 });
    eq(small.params, { side: 6, flipDepth: 4, probesPerView: 16, views: 1 }, 'custom parameters');
    eq(small.length > 0 && small.length <= 2 * 2 * 16 && q.length > small.length, true, `probe counts ${small.length}, ${q.length}`);
    eq(s.screenNear(small).matched, false, 'a query for other parameters does not probe this section');
    const texts = new hs.BlocklistBuilder(k);
    texts.addText('scam', 'x');
    eq(new hs.Screener(hs.Blocklist.open(texts.build()), k).nearParams(), [], 'no image_near section');
    throwsCode(() => hs.NearQuery.fromBytes(listed, { side: 9 }), 'INVALID_PARAMETERS', 'side 9');
    throwsCode(() => hs.NearQuery.fromBytes(listed, { probesPerView: 1.5 }), 'INVALID_ARGUMENT', 'fractional');
    throwsCode(() => hs.NearQuery.fromBytes(listed, { flipDepth: 300 }), 'INVALID_PARAMETERS', 'depth 300');
    throwsCode(() => hs.NearQuery.fromBytes(new Uint8Array(10)), 'UNSUPPORTED_IMAGE_FORMAT', 'not an image');
    throwsCode(() => hs.NearQuery.fromBytes(bmp(64, 64, () => 128)), 'IMAGE_LOW_QUALITY', 'a plain image');
  });

  // The trust-and-safety side in JS: build, sign, update, delta; the client verifies and screens.
  add('build, sign, delta, screen', () => {
    const k = hs.Key.generate();
    const publisher = hs.SigningKey.generate();
    const b = new hs.BlocklistBuilder(k, { falsePositiveRate: 1e-6 });
    b.addText('scam', 'Send gift card codes to unlock your account');
    b.addFile('malware', utf8.encode('MZ pretend bad attachment'));
    // A text lists its strict key with its two evidence forms, its loose key and its word
    // shingles; a file its bytes.
    const shingles = hs.textShingles('Send gift card codes to unlock your account', 2).length;
    eq(b.pending, 3 + 1 + shingles + 1, 'pending');
    b.addUrl('phishing', 'evil[.]example');
    const img = images[v.pdq.images[0].file];
    b.addImage('known-images', img);
    const opts = { publisher: publisher.publicKey, minSequence: 1, keyId: k.id };
    const list1 = hs.Blocklist.open(b.buildSigned(publisher), opts);
    const s = new hs.Screener(list1, k);
    eq(s.hasSignal('text') && s.hasSignal('file') && s.hasSignal('url') && s.hasSignal('image_pdq') && s.hasSignal('image_near'), true, 'signals');
    const verdict = s.screen([
      'SEND gift card codes  to unlock your account',
      utf8.encode('MZ pretend bad attachment'),
      'hi',
      { url: 'https://www.evil.example/x' },
      { image: img },
    ]);
    eq(verdict.matches, [
      { part: 0, signal: 'text', label: 'scam' },
      { part: 0, signal: 'text_loose', label: 'scam' },
      { part: 0, signal: 'text_shingle', label: 'scam' },
      { part: 1, signal: 'file', label: 'malware' },
      { part: 3, signal: 'url', label: 'phishing' },
      { part: 4, signal: 'file', label: 'known-images' },
      { part: 4, signal: 'image_pdq', label: 'known-images' },
      { part: 4, signal: 'image_near', label: 'known-images' },
    ], 'matches');
    const next = hs.BlocklistBuilder.fromBase(k, list1);
    next.addText('scam', 'Double your crypto in 24 hours');
    const list2 = hs.Blocklist.open(next.buildSigned(publisher), opts);
    eq(list2.sequence, 2n, 'next sequence');
    eq(list2.listId, list1.listId, 'same list id');
    const delta = hs.makeSignedDelta(list1, list2, publisher);
    eq(hex(list1.applyDelta(delta, opts).toBytes()), hex(list2.toBytes()), 'delta result');
    throwsCode(() => hs.makeDelta(list2, list1), 'DELTA_MISMATCH', 'backwards delta');
    // maxBytes: checked before the bytes are copied; a refused delta leaves the list usable.
    const l1 = list1.toBytes();
    throwsCode(() => hs.Blocklist.open(l1, { ...opts, maxBytes: l1.length - 1 }), 'INPUT_TOO_LARGE', 'maxBytes');
    eq(hs.Blocklist.open(l1, { ...opts, maxBytes: BigInt(l1.length) }).sequence, 1n, 'maxBytes = length');
    throwsCode(() => list1.applyDelta(delta, { ...opts, maxBytes: delta.length - 1 }), 'INPUT_TOO_LARGE', 'delta maxBytes');
    eq(list1.applyDelta(delta, opts).sequence, 2n, 'list usable after a refused delta');
    eq(new hs.Screener(list2, k).screenText('double your CRYPTO in 24 hours').matched, true, 'new entry');
    eq(hs.Key.fromHex(k.toSecretHex()).id, k.id, 'key hex round trip');
    eq(hs.SigningKey.fromHex(publisher.toSecretHex()).publicKey, publisher.publicKey, 'signing key round trip');
    const fixed = { created: 1767225600n, listId: '00112233445566778899aabbccddeeff', sequence: 7 };
    const same = [0, 1].map(() => {
      const d = new hs.BlocklistBuilder(k, fixed);
      d.addText('scam', 'x');
      return hex(d.build());
    });
    eq(same[0], same[1], 'deterministic build');
    eq(hs.Blocklist.open(unhex(same[0])).sequence, 7n, 'sequence option');
    throwsCode(() => b.addText('bad label!', 'x'), 'INVALID_LABEL', 'label');
    throwsCode(() => new hs.BlocklistBuilder(k, { falsePositiveRate: 2 }), 'INVALID_PARAMETERS', 'fpr');
  });
  add('files are read in 1 MiB pieces: the same digests and verdicts as whole copies', () => {
    const sizes = [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 5];
    // Views into one buffer at an odd offset: the pieces are read from the view, not its buffer.
    const backing = new Uint8Array(5 + sizes[sizes.length - 1]).map((_, i) => (i * 31) % 251);
    const files = sizes.map((n) => backing.subarray(5, 5 + n));
    const b = new hs.BlocklistBuilder(key, {});
    for (const f of files) b.addFile('malware', f);
    const s = new hs.Screener(hs.Blocklist.open(b.build()), key);
    files.forEach((f, i) => {
      // `digest()` takes the value in one copy: the reference for the pieces.
      eq(hs.fileDigest(key, f), hs.digest(key, 'file', 1, f.slice()), `fileDigest, ${sizes[i]} bytes`);
      eq(s.screenFile(f).matched, true, `screenFile, ${sizes[i]} bytes`);
      eq(s.screen(['hi', { file: f }]).matches, [{ part: 1, signal: 'file', label: 'malware' }], `screen, ${sizes[i]} bytes`);
      if (f.length > 0) {
        const changed = f.slice();
        changed[changed.length - 1] ^= 1;
        eq(s.screenFile(changed).matched, false, `one byte changed, ${sizes[i]} bytes`);
      }
    });
    // A list without a file section: nothing to probe, the part keeps its index.
    const t = new hs.BlocklistBuilder(key, {});
    t.addText('scam', 'send gift card codes');
    const ts = new hs.Screener(hs.Blocklist.open(t.build()), key);
    eq(ts.screenFile(files[3]).matched, false, 'no file section');
    const parts = ts.screen([files[3], 'Send gift card codes']).matches.map((m) => m.part);
    eq([...new Set(parts)], [1], 'part index kept');
  });
  return out;
}
