// Share links (web/src/share): a creation round-trips through the encrypted fragment, every
// link is sealed with a fresh key and IV, the size budget degrades step by step, tampering
// and hostile documents get a ShareLinkError, and "remix" makes a valid room document.
import assert from 'node:assert/strict';
import test from 'node:test';

import { loadHuabuCore } from '../../wasm/huabu-core.js';
import { loadCjsFactory } from './wasm-module.mjs';
import { createShareLink, openShareLink } from '../../web/src/share/share-link.js';
import { parseShareDocument, serializeShareDocument } from '../../web/src/share/share-document.js';
import { sealShareBytes } from '../../web/src/share/share-envelope.js';
import { ShareLinkError } from '../../web/src/share/share-error.js';
import { sceneFromRoom } from '../../web/src/share/scene-from-room.js';
import { roomFromShare } from '../../web/src/share/remix.js';
import { addImageItem, addStroke, createRoomDoc, roomParts } from '../../web/src/room/room-doc.js';

const core = await loadHuabuCore(loadCjsFactory());

// A textured image (noise compresses badly, so budgets bite), as real WebP from the core.
function noisyImage(width, height, seed = 1) {
  const data = new Uint8Array(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i += 4) {
    s = (s * 1103515245 + 12345) >>> 0;
    const x = (i / 4) % width;
    data[i] = (x * 3 + (s >>> 24)) & 255;
    data[i + 1] = (s >>> 16) & 255;
    data[i + 2] = (s >>> 8) & 255;
    data[i + 3] = 255;
  }
  return { width, height, data };
}

function webpImage(width, height, quality = 90) {
  const bytes = core.encodeWebp(noisyImage(width, height), { quality, lossless: false });
  return { bytes: new Uint8Array(bytes), mime: 'image/webp', width, height };
}

// The same job as the page's reencode-image.js, with the core's codec (Node has no canvas).
async function reencodeWithCore(image, { scale, quality }) {
  const src = core.decodeWebp(image.bytes);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor(x / scale));
      const sy = Math.min(src.height - 1, Math.floor(y / scale));
      data.set(src.data.subarray((sy * src.width + sx) * 4, (sy * src.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  const bytes = core.encodeWebp({ width, height, data }, { quality: quality * 100, lossless: false });
  return { bytes: new Uint8Array(bytes), mime: 'image/webp', width, height };
}

const recipe = { prompt: 'a red fox in snow', seed: 1234, model: 'huabu-tiny', steps: 20, guidance: 3.5, sampler: 'euler' };
const fragmentOf = (url) => url.slice(url.indexOf('#'));

async function rejects(fragment, reason) {
  await assert.rejects(openShareLink(fragment), (e) => {
    assert.ok(e instanceof ShareLinkError, `not a ShareLinkError: ${e}`);
    if (reason) assert.equal(e.reason, reason);
    assert.ok(e.message.length > 10);
    return true;
  });
}

test('image, recipe and scene round-trip through the link', async () => {
  const image = webpImage(64, 64);
  const scene = { width: 512, height: 512, layers: [{ name: 'Ink', visible: true, opacity: 0.5, items: [
    { type: 'image', x: 10, y: 20, width: 64, height: 64 },
    { type: 'stroke', points: [1, 2, 0.5, 3.5, 4, 1], colour: '#ff0000', size: 4, tool: 'brush', opacity: 1 },
  ] }] };
  const link = await createShareLink({ image, recipe, scene, title: 'Fox' }, { baseUrl: 'http://localhost:8080/?x=1#old' });
  assert.equal(link.degraded, 'none');
  assert.ok(link.url.startsWith('http://localhost:8080/?x=1#share=1.'));
  const { doc, imageBytes } = await openShareLink(fragmentOf(link.url));
  assert.deepEqual(imageBytes, image.bytes);
  assert.deepEqual(doc.recipe, recipe);
  assert.deepEqual(doc.scene, scene);
  assert.equal(doc.title, 'Fox');
  assert.deepEqual(doc.image, { mime: 'image/webp', width: 64, height: 64 });
});

test('every link has a fresh key and IV; the key never appears outside the fragment', async () => {
  const image = webpImage(32, 32);
  const a = await createShareLink({ image, recipe }, { baseUrl: 'http://h/' });
  const b = await createShareLink({ image, recipe }, { baseUrl: 'http://h/' });
  const [, keyA, dataA] = a.url.split('#')[1].split('.');
  const [, keyB, dataB] = b.url.split('#')[1].split('.');
  assert.notEqual(keyA, keyB);
  assert.notEqual(dataA.slice(0, 16), dataB.slice(0, 16)); // IVs differ
  assert.equal(a.url.split('#')[0], 'http://h/');
});

test('the budget degrades: scene dropped, then re-encoded smaller, then recipe only', async () => {
  const image = webpImage(256, 256, 95);
  const scene = { width: 256, height: 256, layers: [{ name: 'L', visible: true, opacity: 1, items: [
    { type: 'stroke', points: Array.from({ length: 3000 }, (_, i) => (i % 3 === 2 ? 0.5 : (i * 7919) % 256)), colour: '#000000', size: 3, tool: 'brush', opacity: 1 },
  ] }] };
  const full = await createShareLink({ image, recipe, scene }, { baseUrl: 'http://h/', budget: 10_000_000 });
  assert.equal(full.degraded, 'none');
  const noScene = await createShareLink({ image, recipe }, { baseUrl: 'http://h/', budget: 10_000_000 });
  assert.ok(noScene.length < full.length);

  const dropped = await createShareLink({ image, recipe, scene }, { baseUrl: 'http://h/', budget: noScene.length + 100 });
  assert.equal(dropped.degraded, 'scene-dropped');

  const smaller = await createShareLink({ image, recipe }, { baseUrl: 'http://h/', budget: Math.floor(noScene.length / 3), reencode: reencodeWithCore });
  assert.equal(smaller.degraded, 'reencoded');
  assert.ok(smaller.length <= noScene.length / 3);
  const opened = await openShareLink(fragmentOf(smaller.url));
  assert.deepEqual(core.webpInfo(opened.imageBytes), { width: smaller.image.width, height: smaller.image.height, hasAlpha: false, hasAnimation: false });

  const recipeOnly = await createShareLink({ image, recipe }, { baseUrl: 'http://h/', budget: 400, reencode: reencodeWithCore });
  assert.equal(recipeOnly.degraded, 'recipe-only');
  const r = await openShareLink(fragmentOf(recipeOnly.url));
  assert.equal(r.doc.image, undefined);
  assert.equal(r.imageBytes.length, 0);
  assert.deepEqual(r.doc.recipe, recipe);

  await assert.rejects(createShareLink({ image, recipe }, { baseUrl: 'http://h/', budget: 50 }), (e) => e.reason === 'too-large');
  await assert.rejects(createShareLink({ image }, { baseUrl: 'http://h/', budget: 400 }), (e) => e.reason === 'too-large');
});

test('tampered, truncated and foreign fragments are refused with a clear reason', async () => {
  const link = await createShareLink({ image: webpImage(32, 32), recipe }, { baseUrl: 'http://h/' });
  const fragment = fragmentOf(link.url);
  await rejects(fragment.slice(0, -10), 'undecryptable'); // cut off when copied
  const flipped = fragment.slice(0, -5) + (fragment.at(-5) === 'A' ? 'B' : 'A') + fragment.slice(-4);
  await rejects(flipped, 'undecryptable');
  await rejects(fragment.replace('share=1.', 'share=2.'), 'newer');
  await rejects(fragment.replace('share=1.', 'share=0.'), 'malformed');
  await rejects('#share=1.abc.def', 'malformed');
  await rejects('#share=1.' + 'A'.repeat(43) + '.!!!!', 'malformed');
  await rejects('#room=abc', 'malformed');
  await rejects('', 'malformed');
  await rejects(undefined, 'malformed');
});

// Validly encrypted documents with hostile contents: the decoder, not the cipher, must refuse.
async function sealedJson(json, tail = new Uint8Array(0)) {
  const body = new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json));
  const plain = new Uint8Array(4 + body.length + tail.length);
  new DataView(plain.buffer).setUint32(0, body.length);
  plain.set(body, 4);
  plain.set(tail, 4 + body.length);
  return `#${await sealShareBytes(plain)}`;
}

test('a generated image\'s recipe travels as the app writes it: a 64-bit seed as text, the worker\'s extra fields', async () => {
  const generated = { prompt: '一只红色的狐狸', style: 'twemoji', seed: '18446744073709551615', count: 4, steps: 12, guidance: 4,
    model: 'huabu-tiny', modelVersion: '0.2.2', index: 3 };
  const link = await createShareLink({ image: webpImage(8, 8), recipe: generated }, { baseUrl: 'https://huabu.example/' });
  const opened = await openShareLink(new URL(link.url).hash);
  assert.deepEqual(opened.doc.recipe, generated);
});

test('hostile documents inside a valid envelope are refused', async () => {
  const webp = webpImage(8, 8).bytes;
  const cases = [
    ['not json', 'invalid'],
    [[1, 2], 'invalid'],
    [{ v: 2, recipe }, 'newer'],
    [{ v: 0, recipe }, 'invalid'],
    [{ v: 1 }, 'invalid'],
    [{ v: 1, recipe, extra: 1 }, 'invalid'],
    [{ v: 1, recipe: { prompt: 'x'.repeat(5000) } }, 'invalid'],
    [{ v: 1, recipe: { seed: -1 } }, 'invalid'],
    [{ v: 1, recipe: { seed: 1.5 } }, 'invalid'],
    [{ v: 1, recipe: { seed: '18446744073709551616' } }, 'invalid'], // 2^64
    [{ v: 1, recipe: { seed: '012' } }, 'invalid'],
    [{ v: 1, recipe: { seed: '1e5' } }, 'invalid'],
    [{ v: 1, recipe: { 'bad key': 1 } }, 'invalid'],
    [{ v: 1, recipe: { nested: { a: 1 } } }, 'invalid'],
    [{ v: 1, recipe: JSON.parse('{"__proto__": {"polluted": true}}') }, 'invalid'],
    [{ v: 1, image: { mime: 'image/svg+xml', width: 8, height: 8 } }, 'invalid'],
    [{ v: 1, image: { mime: 'image/webp', width: 100000, height: 8 } }, 'invalid'],
    [{ v: 1, image: { mime: 'image/png', width: 8, height: 8 } }, 'invalid'], // WebP bytes labelled PNG
    [{ v: 1, recipe, scene: { width: 8, height: 8, layers: [{ name: 'a', visible: true, opacity: 1, items: [{ type: 'stroke', points: [1, 2], colour: '#000000', size: 1, tool: 'brush', opacity: 1 }] }] } }, 'invalid'],
    [{ v: 1, recipe, scene: { width: 8, height: 8, layers: [{ name: 'a', visible: true, opacity: 1, items: [{ type: 'image', x: 0, y: 0, width: 1, height: 1 }] }] } }, 'invalid'], // no image carried
    [{ v: 1, recipe, scene: { width: 8, height: 8, layers: [{ name: 'a', visible: 'yes', opacity: 1, items: [] }] } }, 'invalid'],
    [{ v: 1, recipe, scene: { width: 8, height: 8, layers: [{ name: 'a', visible: true, opacity: 1, items: [{ type: 'script' }] }] } }, 'invalid'],
  ];
  for (const [json, reason] of cases) {
    const tail = json?.image ? webp : new Uint8Array(0);
    await rejects(await sealedJson(json, tail), reason);
  }
  // Image bytes without an image description, and a header longer than the document.
  await rejects(await sealedJson({ v: 1, recipe }, webp), 'invalid');
  const bad = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7b, 0x7d]);
  await rejects(`#${await sealShareBytes(bad)}`, 'invalid');
});

test('a decompression bomb is refused before it fills memory', async () => {
  const plain = serializeShareDocument({ v: 1, recipe: { prompt: 'x' } });
  const huge = new Uint8Array(16 << 20); // 16 MiB of zeros compresses to ~16 KiB
  huge.set(plain);
  await rejects(`#${await sealShareBytes(huge)}`, 'invalid');
});

test('parseShareDocument returns copies, validated', () => {
  const bytes = serializeShareDocument({ v: 1, recipe: { prompt: 'p', seed: 3 } });
  const { doc, imageBytes } = parseShareDocument(bytes);
  assert.deepEqual(doc, { v: 1, recipe: { prompt: 'p', seed: 3 } });
  assert.equal(imageBytes.length, 0);
  assert.throws(() => serializeShareDocument({ v: 1, recipe: { seed: 'x' } }), ShareLinkError);
});

test('scene from a room document, and remix back into a new room', async () => {
  const image = webpImage(48, 40);
  const room = createRoomDoc();
  const layerId = roomParts(room).layers.get(0).get('id');
  const { addAsset } = await import('../../web/src/room/room-doc.js');
  const assetId = await addAsset(room, image.bytes, { mime: image.mime, width: 48, height: 40, recipe });
  addImageItem(room, layerId, { assetId, x: 5, y: 6, width: 96, height: 80 });
  addImageItem(room, layerId, { assetId: 'f'.repeat(64), x: 0, y: 0, width: 1, height: 1 }); // another image: left out
  addStroke(room, layerId, { points: [1.04, 2.06, 0.333, 3, 4, 1], colour: '#00ff00', size: 2 });
  const scene = sceneFromRoom(room, { width: 512, height: 512, sharedAssetId: assetId });
  assert.deepEqual(scene.layers[0].items, [
    { type: 'image', x: 5, y: 6, width: 96, height: 80 },
    { type: 'stroke', points: [1, 2.1, 0.33, 3, 4, 1], colour: '#00ff00', size: 2, tool: 'brush', opacity: 1 },
  ]);

  const link = await createShareLink({ image, recipe, scene }, { baseUrl: 'http://h/' });
  const remixed = await roomFromShare(await openShareLink(fragmentOf(link.url)));
  const parts = roomParts(remixed);
  assert.equal(parts.layers.length, 1);
  const items = parts.layers.get(0).get('items').toArray().map((m) => m.toJSON());
  assert.equal(items.length, 2);
  assert.equal(items[0].type, 'image');
  assert.equal(items[0].assetId, assetId); // same bytes, same content address
  assert.deepEqual(items[1].points, [1, 2.1, 0.33, 3, 4, 1]);
  assert.deepEqual(parts.assets.get(assetId), image.bytes);
  assert.deepEqual(parts.assetInfo.get(assetId).recipe, recipe);
  const kinds = parts.messages.toArray().map((m) => m.get('kind'));
  assert.deepEqual(kinds, ['system', 'image']);
  assert.match(parts.messages.get(0).get('text'), /a red fox in snow/);
});
