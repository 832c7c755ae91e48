// Writes the demo page's blocklist from fixtures/demo with the demo key, using the package itself
// (pkg/node): the scam texts (label "scam") and the listed attachment (label "malware"), signed by a
// demo publisher key. Fixed list id and creation time: the same bytes on every build.
//   node www/make-demo-list.mjs <fixtures/demo dir> <output .hsbl>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DEMO_KEY_HEX, DEMO_PUBLISHER_SEED_HEX } from './demo-keys.js';

const hs = createRequire(import.meta.url)('../pkg/node/hashscreen.js');
const [demoDir, out] = process.argv.slice(2);
const key = hs.Key.fromHex(DEMO_KEY_HEX);
const publisher = hs.SigningKey.fromHex(DEMO_PUBLISHER_SEED_HEX);
const builder = new hs.BlocklistBuilder(key, {
  created: 1767225600,
  listId: '64656d6f2d6c6973742d2d2d2d2d2d31',
});
const texts = readFileSync(join(demoDir, 'scam-texts.txt'), 'utf8').split('\n').filter((l) => l.trim());
for (const t of texts) builder.addText('scam', t);
builder.addFile('malware', readFileSync(join(demoDir, 'listed-attachment.txt')));
// A listed image (fixtures/images/corpus/0015.jpg, see fixtures/images/README.md for its source).
builder.addImage('known-images', readFileSync(join(demoDir, '..', 'images', 'corpus', '0015.jpg')));
writeFileSync(out, builder.buildSigned(publisher));
console.log(`${out}: ${texts.length} texts, 1 file and 1 image, key id ${key.id}, publisher ${publisher.publicKey}`);
