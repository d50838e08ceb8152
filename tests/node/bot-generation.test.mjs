// The bot's side of the text-to-image contract, in Node with a room document: what it asks
// inference.generate for, what lands in the room (assets with their recipes, the card's
// state), and how cancel and failures end the card. The inference client here is a stand-in
// that follows the contract; the real worker is exercised by tests/browser/chat.test.mjs.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { botAuthor, createBot } from '../../web/src/chat/bot.js';
import { InferenceError } from '../../web/src/ml/inference-error.js';
import { createRoomDoc, roomParts } from '../../web/src/room/room-doc.js';

const me = { id: 'a'.repeat(32), name: 'You' };
const webp = (n) => new Uint8Array([0x52, 0x49, 0x46, 0x46, n, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);

function setUp(generate) {
  const doc = createRoomDoc();
  const calls = [];
  const inference = generate && {
    generate: (request, options) => {
      calls.push({ request, options });
      return generate(request, options);
    },
  };
  const updates = [];
  const view = {
    refresh: () => {},
    updateLive: (id) => updates.push(id),
    addLocalNotice: () => {},
    addProgressCard: () => ({ update() {}, end() {}, cancel() {} }),
  };
  const bot = createBot({
    doc, me, inference: inference ?? {}, canvas: {}, assets: {}, onBackend: () => {}, setComposerText: () => {}, switchLanguage: () => {},
  });
  bot.attach(view);
  const generation = () => roomParts(doc).messages.toArray().filter((m) => m.get('kind') === 'generation').at(-1);
  const settled = async () => {
    for (let i = 0; i < 100 && generation()?.get('state') === 'running'; i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { doc, bot, calls, updates, generation, settled };
}

test('a request goes to generate in the contract shape; images land as assets with recipes', async () => {
  const { doc, bot, calls, updates, generation, settled } = setUp(async (request, { onProgress }) => {
    onProgress({ phase: 'download', done: 10, total: 100 });
    onProgress({ phase: 'step', done: 1, total: request.steps });
    return {
      images: [0, 1].map((i) => ({ bytes: webp(i), width: 128, height: 128, mime: 'image/webp' })),
      recipe: { ...request, model: 'huabu-tiny@0.1.0' },
    };
  });
  bot.handle('/draw a red fox --count 2 --seed 42 --style twemoji');
  await settled();

  assert.deepEqual(calls[0].request, { prompt: 'a red fox', style: 'twemoji', seed: '42', count: 2, steps: 12, guidance: 4 });
  assert.ok(calls[0].options.signal instanceof AbortSignal);
  assert.ok(updates.length >= 2, 'progress reached the card');

  const message = generation();
  assert.equal(message.get('state'), 'done');
  assert.equal(message.get('author').id, botAuthor.id);
  assert.equal(message.get('recipe').model, 'huabu-tiny@0.1.0');
  const assetIds = message.get('assetIds').toArray();
  assert.equal(assetIds.length, 2);
  const { assets, assetInfo } = roomParts(doc);
  assetIds.forEach((id, index) => {
    assert.deepEqual(assets.get(id), webp(index));
    assert.deepEqual(assetInfo.get(id).recipe, { prompt: 'a red fox', style: 'twemoji', seed: '42', count: 2, steps: 12, guidance: 4, model: 'huabu-tiny@0.1.0', index });
  });
});

test('without a seed the bot picks one, so the recipe can always reproduce the images', async () => {
  const { bot, calls, settled } = setUp(async () => ({ images: [] }));
  bot.handle('画一只猫');
  await settled();
  assert.match(calls[0].request.seed, /^\d+$/);
  assert.equal(calls[0].request.prompt, '猫');
});

test('reroll and variations ask again with a new seed; cancel ends the card as cancelled', async () => {
  const { bot, calls, generation, settled } = setUp((request, { signal }) => new Promise((resolve, reject) => {
    if (request.prompt === 'slow') signal.addEventListener('abort', () => reject(new InferenceError('cancelled', 'Cancelled.')));
    else resolve({ images: [] });
  }));
  bot.handle('/draw a boat --seed 1');
  await settled();
  bot.actions.reroll(generation().get('id'));
  await settled();
  bot.actions.variations(generation().get('recipe'));
  await settled();
  assert.deepEqual(calls.map((c) => c.request.prompt), ['a boat', 'a boat', 'a boat']);
  assert.equal(new Set(calls.map((c) => c.request.seed)).size, 3);

  bot.handle('/draw slow');
  assert.equal(generation().get('state'), 'running');
  assert.equal(bot.cancelNewest(), true);
  await settled();
  assert.equal(generation().get('state'), 'cancelled');
  assert.equal(bot.cancelNewest(), false, 'nothing left to cancel');
});

test('a failing or missing pipeline ends the card with the reason', async () => {
  const failing = setUp(async () => { throw new InferenceError('corrupt_data', 'Model file huabu-tiny/unet/model.onnx is corrupt.'); });
  failing.bot.handle('draw a tree');
  await failing.settled();
  assert.equal(failing.generation().get('state'), 'failed');
  assert.match(failing.generation().get('text'), /is corrupt/);

  const missing = setUp(null);
  missing.bot.handle('draw a tree');
  assert.equal(missing.generation().get('state'), 'failed');
  assert.match(missing.generation().get('text'), /not available/);
});

test('a generation left running by a closed page is ended as interrupted on the next load', () => {
  const doc = createRoomDoc();
  const first = createBot({ doc, me, inference: { generate: () => new Promise(() => {}) }, canvas: {}, assets: {}, onBackend() {}, setComposerText() {}, switchLanguage() {} });
  first.attach({ refresh() {}, updateLive() {} });
  first.handle('draw a kite');
  // "Reload": a new bot on the same document, the job gone with the old page.
  const second = createBot({ doc, me, inference: {}, canvas: {}, assets: {}, onBackend() {}, setComposerText() {}, switchLanguage() {} });
  second.attach({ refresh() {}, updateLive() {} });
  const card = roomParts(doc).messages.toArray().find((m) => m.get('kind') === 'generation');
  assert.equal(card.get('state'), 'cancelled');
  assert.match(card.get('text'), /Interrupted/);
});
