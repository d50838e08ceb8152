// The chat side in Chromium: the drawing bot in English and Chinese (commands and plain
// language), rooms that survive a reload, help for what it does not understand, a full
// disk, and (when the text-to-image pipeline is in the worker) a real generation with its
// per-image actions. Screenshots for docs/user-guide.md are taken here.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';

import { appSession, canvasPixels, chatInput, gradientImage, importImage, sendChat } from './helpers.mjs';

const shots = new URL('../../docs/images/', import.meta.url).pathname;

const session = appSession();

const { withApp } = session;

const card = (page, prompt) => page.locator('.generation-card').filter({ hasText: prompt });
const botSays = (page, text) => page.locator('.message--bot').filter({ hasText: text });

test('English: /draw with options and plain requests each make a generation card with the recipe', () => withApp(async ({ page, problems }) => {
  await sendChat(page, '/draw a red fox --count 2 --seed 42 --style twemoji');
  const fox = card(page, 'Drawing “a red fox”');
  await fox.waitFor();
  assert.match(await fox.textContent(), /2 images · seed 42 · twemoji · 12 steps · guidance 4 · huabu-tiny/);

  await sendChat(page, 'can you draw me three cats in the rain?');
  const cats = card(page, 'Drawing “cat in the rain”');
  await cats.waitFor();
  assert.match(await cats.textContent(), /3 images · seed \d+ · any/);

  await sendChat(page, '/imagine a yellow star');
  await card(page, 'Drawing “a yellow star”').waitFor();
  await page.screenshot({ path: `${shots}chat-en.png` });
  assert.deepEqual(problems, []);
}));

test('Chinese: the UI switches language, and Chinese requests make generation cards', () => withApp(async ({ page, problems }) => {
  await page.getByLabel('Language').selectOption('zh');
  const input = page.getByRole('textbox', { name: '消息' });
  await input.waitFor();
  assert.equal(await page.getByRole('button', { name: '发送' }).count(), 1);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');

  await input.fill('画三只猫');
  await input.press('Enter');
  const cats = card(page, '正在画“猫”');
  await cats.waitFor();
  assert.match(await cats.textContent(), /3 张 · 种子 \d+/);

  await input.fill('帮我画一个红色的苹果');
  await input.press('Enter');
  await card(page, '正在画“红色的苹果”').waitFor();

  await input.fill('/draw 一只小狗 ——seed 7');
  await input.press('Enter');
  assert.match(await card(page, '正在画“一只小狗”').textContent(), /种子 7/);
  await page.screenshot({ path: `${shots}chat-zh.png` });

  await input.fill('/help');
  await input.press('Enter');
  await botSays(page, '/upscale 4 —— 放大到四倍').waitFor();

  // The choice is remembered; /lang switches back.
  await page.reload();
  await page.getByRole('textbox', { name: '消息' }).fill('/lang en');
  await page.getByRole('textbox', { name: '消息' }).press('Enter');
  await chatInput(page).waitFor();
  await botSays(page, 'Language: English.').waitFor();
  assert.deepEqual(problems, []);
}));

test('unknown commands, chatter and bad options get a helpful answer', () => withApp(async ({ page }) => {
  await sendChat(page, '/frobnicate');
  await botSays(page, "I don't know the command /frobnicate. Try /draw a red fox").waitFor();
  await sendChat(page, '/paint a fox');
  await botSays(page, 'Did you mean /draw?').waitFor();
  await sendChat(page, 'asdf qwerty');
  await botSays(page, 'I didn’t understand “asdf qwerty” as a drawing request').waitFor();
  await sendChat(page, '/draw a cat --count 99');
  await botSays(page, 'count must be a whole number from 1 to 8, not “99”').waitFor();
  await sendChat(page, '/draw !!!');
  await botSays(page, '“!!!” has no words I could draw').waitFor();
  await sendChat(page, '/draw a cat --style watercolor');
  await botSays(page, 'I don\'t know the style “watercolor”. Styles: noto, twemoji').waitFor();
  await sendChat(page, '画');
  await botSays(page, 'What should I draw?').waitFor();
  await sendChat(page, '/draw asdfgh qwerty');
  await botSays(page, 'I don’t know the words in “asdfgh qwerty”').waitFor();
  assert.equal(await page.locator('.generation-card').count(), 0, 'nothing was drawn');
}));

test('a reload keeps the room; new rooms start empty; the room picker switches back', () => withApp(async ({ page, problems }) => {
  await sendChat(page, 'remember this line');
  await sendChat(page, '/draw a blue whale --seed 5');
  await card(page, 'a blue whale').waitFor();
  // Text messages come back word for word; the card comes back too (a drawing cut off by the
  // reload says so: "Interrupted").
  const texts = page.locator('#message-list > li:not([data-local]):not(.generation-card)');
  const before = await texts.allTextContents();
  await page.reload();
  await page.locator('.message--user').filter({ hasText: 'remember this line' }).waitFor();
  assert.deepEqual(await texts.allTextContents(), before);
  assert.match(await card(page, 'Drawing “a blue whale”').textContent(), /seed 5/);

  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'New room' }).click()]); // a reload
  await page.getByText('/help lists the commands').waitFor();
  assert.equal(await page.locator('.message--user').count(), 0);
  const rooms = page.getByRole('combobox', { name: 'Room' });
  assert.equal(await rooms.locator('option').count(), 2);
  await rooms.selectOption({ label: 'Room 1' });
  await page.locator('.message--user').filter({ hasText: 'remember this line' }).waitFor();
  assert.deepEqual(problems, []);
}));

test('a message sent just before the page goes away is kept, even when its write is cut off', () => withApp(async ({ page }) => {
  // What a reload does to a write still in flight: the browser aborts it. Here every
  // IndexedDB write of this page is aborted, so the message can only survive through the
  // journal the page leaves in localStorage when it is hidden.
  await page.evaluate(() => {
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
      const tx = transaction.call(this, stores, mode, ...rest);
      if (mode === 'readwrite') queueMicrotask(() => tx.abort());
      return tx;
    };
  });
  await sendChat(page, 'typed right before a reload');
  await page.locator('.message--user').filter({ hasText: 'typed right before a reload' }).waitFor();
  await page.reload();
  await page.locator('.message--user').filter({ hasText: 'typed right before a reload' }).waitFor();
  // Applied once and forgotten; from now on it is in IndexedDB (a second reload keeps it).
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('huabu.unsaved.')).length), 0);
  await page.reload();
  await page.locator('.message--user').filter({ hasText: 'typed right before a reload' }).waitFor();
}));

test('a full disk is reported; the room stays open and keeps working', async () => {
  // Chromium applies a quota override only to a profile's default storage: a persistent
  // context, not the throw-away contexts the other tests use.
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'huabu-quota-')), {
    executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    // The override must come before the origin opens its storage (Chromium caches the quota).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(session.server.url).origin, quotaSize: 1 });
    await page.goto(session.server.url);
    await page.getByText('/help lists the commands').waitFor();
    await sendChat(page, 'draw a cat');
    await page.getByRole('alert').filter({ hasText: 'storage is full' }).waitFor();
    await card(page, 'Drawing “a cat”').waitFor();
    await sendChat(page, 'still here');
    await page.locator('.message--user').filter({ hasText: 'still here' }).waitFor();
  } finally {
    await context.close();
  }
});

test('after the first visit the app loads and upscales offline', () => withApp(async ({ page, context, problems }) => {
  await page.getByRole('status', { name: 'Offline use' }).filter({ hasText: 'Works offline' }).waitFor({ timeout: 120_000 });
  await importImage(page, gradientImage(64, 64), 'small.png'); // one tile to upscale: quick
  // Installable: Chromium's own check of the manifest, icons and service worker. The test's
  // throw-away profile counts as incognito, where nothing installs; nothing else may be wrong.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);
  await sendChat(page, 'written online');
  await page.locator('.message--user').filter({ hasText: 'written online' }).waitFor();
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('status', { name: 'Inference backend' }).filter({ hasText: /^Backend: / }).waitFor();
  await page.locator('.message--user').filter({ hasText: 'written online' }).waitFor();
  // Models come from the cache (checked against their manifests): a real upscale, offline.
  await sendChat(page, '/upscale 2');
  await page.getByRole('img', { name: 'The canvas upscaled ×2, 128×128 pixels' }).waitFor({ timeout: 120_000 });
  await page.getByRole('status', { name: 'Offline use' }).filter({ hasText: 'Works offline' }).waitFor({ timeout: 60_000 });
  await page.screenshot({ path: `${shots}offline.png` });
  assert.deepEqual(problems, []);
}));

test('a damaged model file in the offline cache is dropped and fetched again', () => withApp(async ({ page }) => {
  await page.getByRole('status', { name: 'Offline use' }).filter({ hasText: 'Works offline' }).waitFor({ timeout: 120_000 });
  const manifest = JSON.parse(readFileSync(new URL('../../models/huabu-sr-x2/manifest.json', import.meta.url)));
  const file = manifest.files.find((f) => f.path.endsWith('.onnx'));
  const url = `/models/huabu-sr-x2/${file.path}`;
  // The cache entry keeps its sha256 label but its bytes are damaged, as a disk might do.
  await page.evaluate(async ({ url, sha256, bytes }) => {
    const cache = await caches.open('huabu-models-v1');
    const good = await cache.match(url);
    const damaged = new Uint8Array(await good.arrayBuffer());
    damaged[damaged.length >> 1] ^= 0xff;
    assertSame(damaged.length, bytes);
    await cache.put(url, new Response(damaged, { headers: good.headers }));
    function assertSame(a, b) { if (a !== b) throw new Error(`cached size ${a}, manifest ${b}`); }
  }, { url, sha256: file.sha256, bytes: file.bytes });

  await importImage(page, gradientImage(64, 64), 'small.png');
  await sendChat(page, '/upscale 2');
  await page.getByRole('img', { name: 'The canvas upscaled ×2, 128×128 pixels' }).waitFor({ timeout: 120_000 });
  const repaired = await page.evaluate(async (url) => {
    const bytes = new Uint8Array(await (await (await caches.open('huabu-models-v1')).match(url)).arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  }, url);
  assert.equal(repaired, file.sha256);
}));

test('keyboard: Ctrl+/ jumps to the message box, focus is visible, Esc cancels a running upscale', () => withApp(async ({ page }) => {
  await page.getByRole('button', { name: 'New room' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const outline = await page.getByRole('button', { name: 'New room' }).evaluate((el) => getComputedStyle(el).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused button shows an outline');

  await page.keyboard.press('Control+/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'composer-input');

  await sendChat(page, '/upscale 4');
  const progress = page.getByRole('progressbar');
  await progress.waitFor();
  await page.keyboard.press('Escape');
  await page.getByText('Upscale cancelled. Your canvas is unchanged.').waitFor({ timeout: 60_000 });
}));

test('phone-sized screen: the header and the chat fit the width and the message box is reachable', () => withApp(async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await sendChat(page, 'draw a cat in the rain');
  await card(page, 'Drawing “a cat in the rain”').waitFor();
  // The header and the chat (this side of the app) stay inside the screen's width.
  const outside = await page.evaluate(() => [...document.querySelectorAll('.app-header *, .chat *')]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(outside, []);
  await chatInput(page).scrollIntoViewIfNeeded();
  assert.ok(await chatInput(page).isVisible());
  await page.screenshot({ path: `${shots}phone.png`, fullPage: true });
}));

test('a real generation: progress, images with recipes, actions, reload keeps them', () => withApp(async ({ page, problems }) => {
  await sendChat(page, '/draw a red apple --count 2 --seed 42');
  const apple = card(page, 'Drawing “a red apple”');
  await apple.getByRole('progressbar').waitFor();
  const images = apple.getByRole('img', { name: /^“a red apple”, image \d of 2, seed 42$/ });
  await images.nth(1).waitFor({ timeout: 180_000 });
  assert.equal(await images.count(), 2);
  await page.screenshot({ path: `${shots}generation-card.png` });

  await apple.getByRole('group', { name: 'Actions for image 1' }).getByRole('button', { name: 'Use as canvas' }).click();
  await page.getByText('The canvas is now this').waitFor();
  const { width, height } = await canvasPixels(page);
  assert.deepEqual([width, height], [128, 128]);

  await apple.getByRole('group', { name: 'Actions for image 1' }).getByRole('button', { name: 'Variations' }).click();
  await page.locator('.generation-card').nth(1).waitFor();
  assert.doesNotMatch(await page.locator('.generation-card').nth(1).textContent(), /seed 42 /);

  await apple.getByRole('group', { name: 'Actions for image 2' }).getByRole('button', { name: 'Remix' }).click();
  assert.match(await chatInput(page).inputValue(), /^\/draw a red apple --count 2 --steps 12 --guidance 4$/);

  // A generated image shares with its recipe (its 64-bit seed is decimal text).
  await apple.getByRole('group', { name: 'Actions for image 2' }).getByRole('button', { name: 'Share link' }).click();
  const shareDialog = page.getByRole('dialog');
  assert.match(await shareDialog.getByRole('textbox', { name: 'Share link' }).inputValue(), /#share=1\./);
  await shareDialog.getByRole('button', { name: 'Close' }).click();

  await page.reload();
  await card(page, 'Drawing “a red apple”').getByRole('img').nth(1).waitFor();
  assert.deepEqual(problems, []);
}));

test('cancel mid-generation leaves a cancelled card and nothing else changed', () => withApp(async ({ page }) => {
  await sendChat(page, '/draw a green tree --count 8 --steps 50');
  const tree = card(page, 'a green tree');
  await tree.getByRole('progressbar').waitFor();
  await tree.getByRole('button', { name: 'Cancel' }).click();
  await tree.getByText('Cancelled. Nothing else changed.').waitFor({ timeout: 60_000 });
  assert.equal(await tree.getByRole('img').count(), 0);
}));
