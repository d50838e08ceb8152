// The bot's side of the text-to-image contract, in Node with a room document: what it asks
// inference.generate for, what lands in the room (assets with their recipes, the card's
// state), and how cancel and failures end the card. The inference client here is a stand-in
// that follows the contract; the real worker is exercised by tests/browser/chat.test.mjs.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { botAuthor, createBot } from '../../web/src/chat/bot.js';
import { promptWords, tokenizerFrom } from '../../web/src/chat/prompt-words.js';
import { InferenceError } from '../../web/src/ml/inference-error.js';
import { createRoomDoc, roomParts } from '../../web/src/room/room-doc.js';

const me = { id: 'a'.repeat(32), name: 'You' };
const tokenizerFile = (name) => JSON.parse(readFileSync(new URL(`../../models/huabu-tiny/tokenizer/${name}`, import.meta.url)));
const tokenizer = tokenizerFrom(tokenizerFile('vocab.json'), tokenizerFile('zh.json'));
const checkWords = async (prompt) => promptWords(tokenizer, prompt);
const tick = () => new Promise((r) => setTimeout(r, 5));
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
    doc, me, inference: inference ?? {}, canvas: {}, assets: {}, onBackend: () => {}, setComposerText: () => {}, switchLanguage: () => {}, checkWords,
  });
  bot.attach(view);
  const generation = () => roomParts(doc).messages.toArray().filter((m) => m.get('kind') === 'generation').at(-1);
  const cards = () => roomParts(doc).messages.toArray().filter((m) => m.get('kind') === 'generation').length;
  // Until the newest request has its card (the word check is async) and the card has ended.
  const settled = async (expectedCards = cards() + 1) => {
    for (let i = 0; i < 200 && (cards() < expectedCards || generation()?.get('state') === 'running'); i++) await tick();
  };
  const started = async (expectedCards = cards() + 1) => {
    for (let i = 0; i < 200 && cards() < expectedCards; i++) await tick();
  };
  const said = () => roomParts(doc).messages.toArray().filter((m) => m.get('author')?.id === botAuthor.id && m.get('kind') === 'text').map((m) => m.get('text'));
  return { doc, bot, calls, updates, generation, settled, started, said, cards };
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
  await settled(1);

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
  await settled(1);
  assert.match(calls[0].request.seed, /^\d+$/);
  assert.equal(calls[0].request.prompt, '猫');
});

test('reroll and variations ask again with a new seed; cancel ends the card as cancelled', async () => {
  const { bot, calls, generation, settled, started } = setUp((request, { signal }) => new Promise((resolve, reject) => {
    if (request.prompt === 'slow') signal.addEventListener('abort', () => reject(new InferenceError('cancelled', 'Cancelled.')));
    else resolve({ images: [] });
  }));
  bot.handle('/draw a boat --seed 1');
  await settled(1);
  bot.actions.reroll(generation().get('id'));
  await settled(2);
  bot.actions.variations(generation().get('recipe'));
  await settled(3);
  assert.deepEqual(calls.map((c) => c.request.prompt), ['a boat', 'a boat', 'a boat']);
  assert.equal(new Set(calls.map((c) => c.request.seed)).size, 3);

  bot.handle('/draw slow');
  await started(4);
  assert.equal(generation().get('state'), 'running');
  assert.equal(bot.cancelNewest(), true);
  await settled(4);
  assert.equal(generation().get('state'), 'cancelled');
  assert.equal(bot.cancelNewest(), false, 'nothing left to cancel');
});

test('a failing pipeline ends the card with the reason', async () => {
  const failing = setUp(async () => { throw new InferenceError('corrupt_data', 'Model file huabu-tiny/unet/model.onnx is corrupt.'); });
  failing.bot.handle('draw a tree');
  await failing.settled(1);
  assert.equal(failing.generation().get('state'), 'failed');
  assert.match(failing.generation().get('text'), /is corrupt/);
});

test('prompts the model has no words for get an answer instead of a card', async () => {
  const { bot, calls, said, cards, settled } = setUp(async () => ({ images: [] }));
  bot.handle('/draw asdfgh qwerty');
  bot.handle('画犇犇');
  for (let i = 0; i < 100 && said().length < 2; i++) await tick();
  assert.equal(cards(), 0);
  assert.match(said()[0], /I don’t know the words in “asdfgh qwerty”/);
  assert.match(said()[1], /I don’t know the words in “犇犇”/);

  bot.handle('draw a flibbertigibbet cat');
  await settled(1);
  assert.match(said()[2], /I don’t know “flibbertigibbet”; I’ll draw from the other words/);
  assert.equal(calls.at(-1).request.prompt, 'a flibbertigibbet cat');
});

test('a generation left running by a closed page is ended as interrupted on the next load', async () => {
  const doc = createRoomDoc();
  const first = createBot({ doc, me, inference: { generate: () => new Promise(() => {}) }, canvas: {}, assets: {}, onBackend() {}, setComposerText() {}, switchLanguage() {}, checkWords });
  first.attach({ refresh() {}, updateLive() {} });
  first.handle('draw a kite');
  for (let i = 0; i < 100 && roomParts(doc).messages.length < 2; i++) await tick();
  // "Reload": a new bot on the same document, the job gone with the old page.
  const second = createBot({ doc, me, inference: {}, canvas: {}, assets: {}, onBackend() {}, setComposerText() {}, switchLanguage() {}, checkWords });
  second.attach({ refresh() {}, updateLive() {} });
  const card = roomParts(doc).messages.toArray().find((m) => m.get('kind') === 'generation');
  assert.equal(card.get('state'), 'cancelled');
  assert.match(card.get('text'), /Interrupted/);
});
