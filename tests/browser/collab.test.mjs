// Sharing in Chromium: two people in one room through the server `./huabu serve` runs (a chat
// message and a stroke made by one appear for the other, with presence), two tabs of one
// browser through BroadcastChannel only (no WebSocket opened), and share links opened in a
// fresh browser profile: the picture and layers come back exactly, a picture too large for
// the link is stored encrypted on the server (or, without a store, re-encoded smaller by the
// page), and a damaged link gets a clear error. Also
// two people on two server instances sharing the room through a real redis-server
// (docs/scaling.md).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { appSession, canvasPixels, encodePng, gradientImage, importImage, openApp, sendChat, startServer } from './helpers.mjs';
import { freePort, processes } from '../node/redis-processes.mjs';

const storeDir = mkdtempSync(path.join(tmpdir(), 'huabu-store-'));
const session = appSession({ serverOptions: { roomsDir: mkdtempSync(path.join(tmpdir(), 'huabu-rooms-')), storeDir } });

const canvasOf = (page) => page.getByRole('img', { name: 'Drawing canvas' });
const log = (page) => page.getByRole('log', { name: 'Messages' });

async function drawStroke(page, from, to) {
  const box = await canvasOf(page).boundingBox();
  const { width, height } = await canvasOf(page).evaluate((c) => ({ width: c.width, height: c.height }));
  const at = ([x, y]) => [box.x + (x * box.width) / width, box.y + (y * box.height) / height];
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at(to), { steps: 20 });
  await page.mouse.up();
}

const inkedPixels = ({ data }) => {
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 1] < 128 && data[i + 2] < 128) n++;
  return n;
};

async function linkFromDialog(page, buttonName, fieldName) {
  await page.getByRole('button', { name: buttonName, exact: true }).click();
  const dialog = page.getByRole('dialog');
  const link = await dialog.getByRole('textbox', { name: fieldName }).inputValue();
  const note = await dialog.getByRole('status').textContent();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  return { link, note };
}

test('two people in one room through the server: chat, strokes and presence travel', async () => {
  const ana = await openApp(session.browser, session.server);
  const { link } = await linkFromDialog(ana.page, 'Invite', 'Room link');
  assert.match(link, /#room=[0-9a-f]{32}$/);
  const bo = await openApp(session.browser, session.server, { url: link });
  try {
    // The address bar no longer shows the invitation; Bo sees Ana's room and Ana herself.
    assert.equal(new URL(bo.page.url()).hash, '');
    await bo.page.getByRole('status', { name: 'People in this room' }).filter({ hasText: /Guest/ }).waitFor();
    await ana.page.getByRole('status', { name: 'People in this room' }).filter({ hasText: /Guest/ }).waitFor();

    await sendChat(ana.page, 'hello from Ana');
    await log(bo.page).getByText('hello from Ana', { exact: true }).waitFor();

    const before = inkedPixels(await canvasPixels(ana.page));
    await drawStroke(bo.page, [100, 100], [400, 300]);
    for (let i = 0; i < 100 && inkedPixels(await canvasPixels(ana.page)) <= before + 200; i++) await ana.page.waitForTimeout(50);
    assert.ok(inkedPixels(await canvasPixels(ana.page)) > before + 200, "Bo's stroke reached Ana's canvas");

    // Bo's cursor is shown on Ana's canvas.
    await drawStroke(bo.page, [200, 200], [210, 210]);
    await ana.page.locator('.presence-cursor').first().waitFor();
    assert.deepEqual([...ana.problems, ...bo.problems], []);
  } finally {
    await ana.context.close();
    await bo.context.close();
  }
});

test('two people on two server instances sharing the room through Redis: chat, strokes and presence travel', async () => {
  await session.ready();
  const tmp = mkdtempSync(path.join(tmpdir(), 'huabu-redis-browser-'));
  const started = processes();
  const contexts = [];
  try {
    const redis = await started.startRedis(await freePort(), mkdtempSync(path.join(tmp, 'redis-')));
    const one = await started.startInstance(redis.url, tmp);
    const two = await started.startInstance(redis.url, tmp);
    const ana = await openApp(session.browser, one);
    contexts.push(ana.context);
    const { link } = await linkFromDialog(ana.page, 'Invite', 'Room link');
    // Bo opens the same invitation on the other instance.
    assert.ok(link.startsWith(one.url));
    const bo = await openApp(session.browser, two, { url: link.replace(one.url, two.url) });
    contexts.push(bo.context);
    await bo.page.getByRole('status', { name: 'People in this room' }).filter({ hasText: /Guest/ }).waitFor();
    await ana.page.getByRole('status', { name: 'People in this room' }).filter({ hasText: /Guest/ }).waitFor();

    await sendChat(ana.page, 'hello across instances');
    await log(bo.page).getByText('hello across instances', { exact: true }).waitFor();

    const before = inkedPixels(await canvasPixels(ana.page));
    await drawStroke(bo.page, [100, 100], [400, 300]);
    for (let i = 0; i < 100 && inkedPixels(await canvasPixels(ana.page)) <= before + 200; i++) await ana.page.waitForTimeout(50);
    assert.ok(inkedPixels(await canvasPixels(ana.page)) > before + 200, "Bo's stroke reached Ana's canvas on the other instance");
    await drawStroke(bo.page, [200, 200], [210, 210]);
    await ana.page.locator('.presence-cursor').first().waitFor();
    assert.deepEqual([...ana.problems, ...bo.problems], []);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
    await started.stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('two tabs of one browser sync through BroadcastChannel, without the server', async () => {
  const first = await openApp(session.browser, session.server);
  const sockets = [];
  first.page.on('websocket', (ws) => sockets.push(ws.url()));
  const second = await first.context.newPage();
  second.on('websocket', (ws) => sockets.push(ws.url()));
  try {
    await second.goto(session.server.url);
    await second.locator('#drawing-canvas:not([aria-busy="true"])').waitFor();
    await sendChat(first.page, 'hello from the first tab');
    await log(second).getByText('hello from the first tab', { exact: true }).waitFor();
    const before = inkedPixels(await canvasPixels(first.page));
    await drawStroke(second, [50, 400], [450, 420]);
    for (let i = 0; i < 100 && inkedPixels(await canvasPixels(first.page)) <= before + 200; i++) await first.page.waitForTimeout(50);
    assert.ok(inkedPixels(await canvasPixels(first.page)) > before + 200, "the second tab's stroke reached the first");
    assert.deepEqual(sockets, [], 'a room nobody was invited to stays off the server');
    assert.deepEqual(first.problems, []);
  } finally {
    await first.context.close();
  }
});

// Mean absolute difference over RGB of two same-size pixel buffers.
function meanDiff(a, b) {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i + c] - b.data[i + c]);
    n += 3;
  }
  return sum / n;
}

test('a share link opens in a fresh profile: picture, layers and Remix into a new room', async () => {
  const maker = await openApp(session.browser, session.server);
  const image = gradientImage(128, 128);
  await importImage(maker.page, image, 'gradient.png');
  await drawStroke(maker.page, [20, 300], [480, 300]);
  const madeCanvas = await canvasPixels(maker.page);
  const { link, note } = await linkFromDialog(maker.page, 'Share', 'Share link');
  await maker.context.close();
  assert.match(link, /#share=1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/);
  assert.match(note, /travel inside the link/);

  const viewer = await openApp(session.browser, session.server, { url: link }); // a new context: a fresh profile
  try {
    const dialog = viewer.page.getByRole('dialog');
    const shown = dialog.getByRole('img', { name: 'The shared picture' });
    await shown.waitFor();
    assert.equal(new URL(viewer.page.url()).hash, '', 'the key does not linger in the address bar');
    await dialog.getByRole('button', { name: 'Remix' }).click();
    await viewer.page.waitForEvent('load');
    await viewer.page.locator('#drawing-canvas:not([aria-busy="true"])').waitFor();
    await viewer.page.getByText('Remixed from a shared link.').waitFor();
    // The remixed canvas is the one that was shared: same image, same stroke.
    let remixed;
    for (let i = 0; i < 100; i++) {
      remixed = await canvasPixels(viewer.page);
      if (remixed.width === madeCanvas.width && meanDiff(remixed, madeCanvas) < 2) break;
      await viewer.page.waitForTimeout(50);
    }
    assert.equal(remixed.width, madeCanvas.width);
    assert.ok(meanDiff(remixed, madeCanvas) < 2, `remixed canvas differs by ${meanDiff(remixed, madeCanvas)}`);
    // The image in the remixed room's chat can be shared again on its own: same picture.
    await log(viewer.page).getByRole('button', { name: 'Share link' }).click();
    const again = await viewer.page.getByRole('dialog').getByRole('textbox', { name: 'Share link' }).inputValue();
    assert.match(again, /#share=1\./);
    await viewer.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    assert.deepEqual(viewer.problems, []);
  } finally {
    await viewer.context.close();
  }
});

// Noise: the PNG is ~1 MB and barely compresses, far over the link budget.
function noiseImage(size) {
  let state = 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 24;
  };
  return { width: size, height: size, data: new Uint8Array(size * size * 4).map((_, i) => (i % 4 === 3 ? 255 : next())) };
}

async function sharedPictureSize(browser, server, link) {
  const viewer = await openApp(browser, server, { url: link });
  try {
    const shown = viewer.page.getByRole('dialog').getByRole('img', { name: 'The shared picture' });
    await shown.waitFor();
    return await shown.evaluate(async (img) => {
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    });
  } finally {
    await viewer.context.close();
  }
}

test('a picture too large for a link is stored encrypted on the server and opens at full size', async () => {
  const maker = await openApp(session.browser, session.server);
  const noise = noiseImage(512);
  assert.ok(encodePng(noise).length > 500_000);
  await importImage(maker.page, noise, 'noise.png');
  const { link, note } = await linkFromDialog(maker.page, 'Share', 'Share link');
  await maker.context.close();
  const [, id] = /#store=1\.[A-Za-z0-9_-]{43}\.([0-9a-f]{64})$/.exec(link) ?? [];
  assert.ok(id, link);
  assert.match(note, /stored encrypted on this Huabu server/);
  // The server holds ciphertext only: no WebP or PNG signature, no recognisable JSON.
  const stored = readFileSync(path.join(storeDir, id));
  assert.ok(stored.length > 100_000);
  assert.equal(stored.indexOf('WEBP'), -1);
  assert.equal(stored.indexOf('"recipe"'), -1);
  assert.deepEqual(await sharedPictureSize(session.browser, session.server, link), [512, 512]);
  // Changed on the server: the link refuses it.
  writeFileSync(path.join(storeDir, id), Buffer.concat([stored.subarray(0, 100), Buffer.from([stored[100] ^ 1]), stored.subarray(101)]));
  const viewer = await openApp(session.browser, session.server, { url: link });
  await viewer.page.getByRole('dialog').getByRole('alert').filter({ hasText: 'was changed on the server' }).waitFor();
  await viewer.context.close();
});

test('on a server without a store, a picture too large for the link is re-encoded smaller by the page', async () => {
  const plain = await startServer({ port: 0, roomsDir: mkdtempSync(path.join(tmpdir(), 'huabu-rooms-')), storeDir: null });
  try {
    const maker = await openApp(session.browser, plain);
    await importImage(maker.page, noiseImage(512), 'noise.png');
    const { link, note } = await linkFromDialog(maker.page, 'Share', 'Share link');
    await maker.context.close();
    assert.ok(link.length <= 48_000, `link of ${link.length} characters`);
    assert.match(link, /#share=1\./);
    const [, width, height] = /smaller \((\d+)×(\d+)\)/.exec(note) ?? [];
    assert.ok(Number(width) > 0 && Number(width) < 512, note);
    assert.deepEqual(await sharedPictureSize(session.browser, plain, link), [Number(width), Number(height)]);
  } finally {
    await plain.close();
  }
});

test('a damaged share link or room link gets a clear error, and the app still works', async () => {
  const app = await openApp(session.browser, session.server, { url: `${session.server.url}#share=1.${'A'.repeat(43)}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` });
  try {
    await app.page.getByRole('dialog').getByRole('alert').filter({ hasText: 'could not be unlocked' }).waitFor();
    await app.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await app.page.goto('about:blank'); // a real load, not a same-document hash change
    await app.page.goto(`${session.server.url}#room=../../etc`);
    await app.page.getByText('This room link is damaged').waitFor();
    await sendChat(app.page, 'still works');
    await log(app.page).getByText('still works', { exact: true }).waitFor();
    assert.deepEqual(app.problems, []);
  } finally {
    await app.context.close();
  }
});
