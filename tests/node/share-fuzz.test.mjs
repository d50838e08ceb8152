// Fuzz of the share-link decoder: random fragments, mutated links, and mutated documents
// sealed in a valid envelope (so the mutations reach the parser, not just the cipher). Every
// input must either open to a document that passes validation again, or be refused with a
// ShareLinkError; anything else (a TypeError, a RangeError, a hang) fails the test.
import assert from 'node:assert/strict';
import test from 'node:test';

import { createShareLink, openShareLink } from '../../web/src/share/share-link.js';
import { serializeShareDocument, validateShareDocument } from '../../web/src/share/share-document.js';
import { sealShareBytes } from '../../web/src/share/share-envelope.js';
import { ShareLinkError } from '../../web/src/share/share-error.js';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stats = { opened: 0, refused: 0 };

async function mustOpenOrRefuse(fragment, label) {
  try {
    const { doc, imageBytes } = await openShareLink(fragment);
    validateShareDocument(doc, imageBytes); // what opened must be valid
    stats.opened++;
  } catch (err) {
    if (!(err instanceof ShareLinkError)) {
      assert.fail(`${label}: ${err?.name}: ${err?.message} for ${JSON.stringify(String(fragment).slice(0, 120))}`);
    }
    assert.ok(typeof err.reason === 'string' && err.message.length > 10);
    stats.refused++;
  }
}

// A fake but well-formed WebP header: the decoder checks signatures, never decodes pixels.
const webp = new Uint8Array([...new TextEncoder().encode('RIFF'), 30, 0, 0, 0, ...new TextEncoder().encode('WEBPVP8 '), ...new Array(22).fill(7)]);
const recipe = { prompt: 'a lighthouse at dusk', seed: 42, model: 'huabu-tiny', steps: 12, guidance: 4, sampler: 'euler' };
const scene = { width: 256, height: 256, layers: [{ name: 'Layer 1', visible: true, opacity: 1, items: [
  { type: 'image', x: 0, y: 0, width: 64, height: 64 },
  { type: 'stroke', points: [1, 2, 0.5, 10, 20, 1], colour: '#123abc', size: 5, tool: 'eraser', opacity: 0.5 },
] }] };
const validDoc = { v: 1, title: 't', createdAt: 1, recipe, image: { mime: 'image/webp', width: 64, height: 64 }, scene };

test('random fragments are refused cleanly', async () => {
  const rand = rng(1);
  const alphabet = 'ABCabcxyz0189-_.=#%share!~ \u00e9\u{1f600}';
  for (let i = 0; i < 3000; i++) {
    const length = Math.floor(rand() * 200);
    let text = rand() < 0.5 ? '#share=1.' : '';
    if (rand() < 0.3) text += 'A'.repeat(43) + '.';
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
    await mustOpenOrRefuse(text, `random ${i}`);
  }
});

test('mutated links (truncated, characters changed, inserted, deleted) are refused cleanly', async () => {
  const rand = rng(2);
  const url = (await createShareLink({ image: { bytes: webp, mime: 'image/webp', width: 64, height: 64 }, recipe, scene }, { baseUrl: 'http://h/' })).url;
  const fragment = url.slice(url.indexOf('#'));
  const chars = 'ABZaz09-_.=#';
  for (let i = 0; i < 3000; i++) {
    let m = fragment;
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * m.length);
      const op = rand();
      if (op < 0.25) m = m.slice(0, at);
      else if (op < 0.5) m = m.slice(0, at) + chars[Math.floor(rand() * chars.length)] + m.slice(at + 1);
      else if (op < 0.75) m = m.slice(0, at) + chars[Math.floor(rand() * chars.length)] + m.slice(at);
      else m = m.slice(0, at) + m.slice(at + 1 + Math.floor(rand() * 5));
    }
    await mustOpenOrRefuse(m, `mutation ${i}`);
  }
});

// Structural mutations of the JSON: a field replaced by a random value of a random type.
function randomValue(rand, depth = 0) {
  const r = rand();
  if (r < 0.15) return Math.floor(rand() * 2 ** 33) - 2 ** 32;
  if (r < 0.25) return [NaN, Infinity, -0, 1e308, 0.5, -1][Math.floor(rand() * 6)] ?? 0;
  if (r < 0.4) return 'x'.repeat(Math.floor(rand() * 3000));
  if (r < 0.5) return rand() < 0.5;
  if (r < 0.6) return null;
  if (r < 0.75 && depth < 3) return Array.from({ length: Math.floor(rand() * 5) }, () => randomValue(rand, depth + 1));
  if (depth < 3) return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, (_, i) => [['type', 'v', 'points', '__proto__', 'k' + i][Math.floor(rand() * 5)], randomValue(rand, depth + 1)]));
  return 'leaf';
}

function mutateJson(rand, value) {
  if (value === null || typeof value !== 'object') return randomValue(rand);
  const copy = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0 || rand() < 0.1) {
    copy[Array.isArray(copy) ? copy.length : 'added'] = randomValue(rand);
    return copy;
  }
  const key = keys[Math.floor(rand() * keys.length)];
  if (rand() < 0.15) delete copy[key];
  else copy[key] = rand() < 0.6 ? mutateJson(rand, copy[key]) : randomValue(rand);
  return copy;
}

test('mutated documents in a valid envelope are refused cleanly (bytes and structure)', async () => {
  const rand = rng(3);
  const plain = serializeShareDocument(validDoc, webp);
  for (let i = 0; i < 1500; i++) {
    let bytes;
    if (i % 2 === 0) {
      bytes = plain.slice(0, rand() < 0.2 ? Math.floor(rand() * plain.length) : plain.length);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips && bytes.length > 0; f++) bytes[Math.floor(rand() * bytes.length)] ^= 1 << Math.floor(rand() * 8);
    } else {
      const json = new TextEncoder().encode(JSON.stringify(mutateJson(rand, validDoc)));
      const tail = rand() < 0.8 ? webp : webp.subarray(0, Math.floor(rand() * webp.length));
      bytes = new Uint8Array(4 + json.length + tail.length);
      new DataView(bytes.buffer).setUint32(0, json.length);
      bytes.set(json, 4);
      bytes.set(tail, 4 + json.length);
    }
    await mustOpenOrRefuse(`#${await sealShareBytes(bytes)}`, `document mutation ${i}`);
  }
  // The mutations must exercise both outcomes, or the fuzz is not reaching the validator.
  assert.ok(stats.refused > 1000, `refused ${stats.refused}`);
  assert.ok(stats.opened > 10, `opened ${stats.opened}`);
});
