// Uses every export of the package with its generated types; `tsc --noEmit` checks it
// (scripts/test-wasm.sh). It is the README's example, complete.
import init, {
  Blocklist,
  BlocklistBuilder,
  Key,
  NearQuery,
  Screener,
  SigningKey,
  canonicalExpressions,
  canonicalText,
  digest,
  digestVersion,
  fileDigest,
  initSync,
  looseText,
  pdqHash,
  textShingles,
  makeDelta,
  makeSignedDelta,
  type BuilderOptions,
  type ErrorCode,
  type HashscreenError,
  type Match,
  type MessagePart,
  type NearParams,
  type OpenOptions,
  type PdqResult,
  type SectionInfo,
  type SignalName,
  type Unscreened,
  type Verdict,
} from 'hashscreen';
import * as nodeBuild from 'hashscreen/node';

export async function example(wasmUrl: URL, listBytes: Uint8Array): Promise<Verdict> {
  await init({ module_or_path: wasmUrl });

  // Trust-and-safety side: keys, a signed list, its next version and a delta.
  const key: Key = Key.generate();
  const sameKey = Key.fromHex(key.toSecretHex());
  const fromBytes = Key.fromBytes(new Uint8Array(32));
  const publisher: SigningKey = SigningKey.generate();
  const samePublisher = SigningKey.fromHex(publisher.toSecretHex());
  const options: BuilderOptions = { falsePositiveRate: 1e-6, blocksPerKey: 2, created: 1767225600n };
  const builder = new BlocklistBuilder(key, options);
  builder.addText('scam', 'Send gift card codes to unlock your account');
  builder.addFile('malware', new TextEncoder().encode('MZ pretend bad attachment'));
  const pending: number = builder.pending;
  const v1: Uint8Array = builder.buildSigned(samePublisher);
  const unsigned: Uint8Array = builder.build();

  // Client side: verify, then screen.
  const open: OpenOptions = { publisher: publisher.publicKey, minSequence: 1, keyId: sameKey.id, maxBytes: 1 << 26 };
  const list = Blocklist.open(v1, open);
  const next = BlocklistBuilder.fromBase(key, list, { sequence: 2n, listId: list.listId });
  next.addText('scam', 'Double your crypto in 24 hours');
  const v2 = Blocklist.open(next.buildSigned(publisher), open);
  const updated: Blocklist = list.applyDelta(makeSignedDelta(list, v2, publisher), open);
  const unsignedDelta: Uint8Array = makeDelta(list, v2);
  const sections: SectionInfo[] = updated.sections;
  const about: [bigint, bigint, string, string, string | undefined, number, Uint8Array] = [
    updated.sequence, updated.created, updated.keyId, updated.checksum, updated.signer,
    updated.byteLength, updated.toBytes(),
  ];

  const screener = new Screener(updated, key);
  const parts: MessagePart[] = ['hello', new Uint8Array([1, 2]), { text: 'hi' }, { file: new Uint8Array() }];
  const verdict: Verdict = screener.screen(parts);
  const text: Verdict = screener.screenText('SEND gift card codes to unlock your account');
  const file: Verdict = screener.screenFile(new Uint8Array([0x4d, 0x5a]));
  const link: Verdict = screener.screenUrl('hxxps://evil[.]example/login');
  const photo: Uint8Array = new Uint8Array(); // an image file's bytes
  const more: MessagePart[] = [{ url: 'https://ok.example/' }, { image: photo }];
  const both: Verdict = screener.screen(more);
  let pdq: PdqResult | undefined;
  try {
    pdq = pdqHash(photo);
    screener.screenImage(photo);
  } catch (e) {
    if ((e as HashscreenError).code !== 'IMAGE_DECODE' && (e as HashscreenError).code !== 'UNSUPPORTED_IMAGE_FORMAT') throw e;
  }
  // Near-duplicate images: hash once (the costly part), screen against each list's parameters.
  const nearParams: NearParams[] = screener.nearParams();
  try {
    const query: NearQuery = NearQuery.fromBytes(photo, nearParams[0]);
    const near: Verdict = screener.screenNear(query);
    const probes: number = query.length;
    const used: NearParams = query.params;
    NearQuery.fromBytes(photo).free();
  } catch (e) {
    if ((e as HashscreenError).code !== 'UNSUPPORTED_IMAGE_FORMAT') throw e;
  }
  const firstMatch: Match | undefined = text.matches[0];
  const skipped: Unscreened[] = verdict.unscreened;
  const hasText: boolean = screener.hasSignal('text');

  // Digests and the canonical text key (what the vectors pin).
  const signal: SignalName = 'text';
  const canonical: string = canonicalText('  Ｆree  NITRO ');
  const loose: string = looseText('freeee n1tro');
  const shingles: string[] = textShingles('claim your prize now', 2);
  const [canonicalUrl, ...expressions]: string[] = canonicalExpressions('HXXP://Evil[.]Example/a/../b');
  const d: string = digest(key, signal, digestVersion(signal), new TextEncoder().encode(canonical));
  const f: string = fileDigest(key, new Uint8Array([1]));

  try {
    Blocklist.open(listBytes, { keyId: key.id });
  } catch (e) {
    const err = e as HashscreenError;
    const code: ErrorCode = err.code;
    if (code === 'ROLLBACK' || code === 'BAD_SIGNATURE') throw err;
  }
  initSync({ module: new Uint8Array() }); // never reached in real use: a second way to init
  key.free();
  console.log(fromBytes.id, pending, unsigned.length, unsignedDelta.length, sections, about, file, firstMatch, skipped, hasText, d, f);

  // Node build: same API, loaded synchronously.
  const nodeKey: nodeBuild.Key = nodeBuild.Key.generate();
  const nodeVerdict: nodeBuild.Verdict = new nodeBuild.Screener(nodeBuild.Blocklist.open(v1), nodeKey).screenText('x');
  console.log(nodeVerdict.matched);
  return verdict;
}
