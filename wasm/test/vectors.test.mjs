// Runs the shared vectors (vectors.mjs) in Node against the nodejs build (wasm/pkg/node).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const hs = createRequire(import.meta.url)('../pkg/node/hashscreen.js');
const { cases } = await import('./vectors.mjs');
const fixtures = new URL('../../fixtures/', import.meta.url);
const load = async (path) => new Uint8Array(await readFile(new URL(path, fixtures)));

for (const c of await cases(hs, load)) test(`node: ${c.name}`, c.run);
