// The embed API in Chromium: the example IM page (docs/examples/im-page.html), served from
// its own origin, embeds Huabu twice (Ana and Bo, in one room chosen by the host) and drives
// it over postMessage: names, an inserted image that reaches the other person, an export
// posted into the host's chat, a malformed command answered with an error event. A page at
// an origin the server does not allow cannot frame Huabu at all.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { encodePng, gradientImage, launchChromium, startServer } from './helpers.mjs';

const root = new URL('../../', import.meta.url).pathname;

// A stand-in for an IM app's web server: the example page and its copy of the SDK.
function startHostServer() {
  const files = {
    '/im-page.html': ['docs/examples/im-page.html', 'text/html; charset=utf-8'],
    '/element-page.html': ['docs/examples/element-page.html', 'text/html; charset=utf-8'],
    '/huabu-embed.js': ['build/web/huabu-embed.js', 'text/javascript; charset=utf-8'],
  };
  const server = createServer((req, res) => {
    const file = files[req.url.split('?')[0]];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file[1] }).end(readFileSync(path.join(root, file[0])));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  })));
}

let host;
let stranger;
let huabu;
let browser;
before(async () => {
  host = await startHostServer();
  stranger = await startHostServer(); // same page, an origin Huabu was not told about
  huabu = await startServer({ port: 0, roomsDir: mkdtempSync(path.join(tmpdir(), 'huabu-rooms-')), embedOrigins: [host.origin] });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await huabu?.close();
  await host?.close();
  await stranger?.close();
});

const huabuOrigin = () => huabu.url.replace(/\/$/, '');

test('the example IM page drives two embedded Huabus in one room', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(err.message));
  try {
    await page.goto(`${host.origin}/im-page.html?huabu=${encodeURIComponent(huabuOrigin())}`);
    const chat = page.getByRole('log', { name: 'Host chat' });
    await chat.getByText('Huabu is ready for Ana and Bo').waitFor({ timeout: 60_000 });

    // Names set by the host show in the other person's presence list.
    await page.frameLocator('#bo').getByRole('status', { name: 'People in this room' }).filter({ hasText: 'Ana' }).waitFor();

    // An image inserted into Ana's Huabu is in the room for Bo too.
    const png = encodePng(gradientImage(64, 48));
    const placed = await page.evaluate(async (bytes) => (await window.huabuPeople.ana.send('insert-image', { bytes: new Uint8Array(bytes), mime: 'image/png', name: 'g.png' })).value, [...png]);
    assert.deepEqual(placed, { width: 64, height: 48 });
    await chat.getByText('ana: a 64×48 picture is in the room').waitFor();
    await chat.getByText('bo: a 64×48 picture is in the room').waitFor();

    // Export: the picture comes back as PNG bytes and is posted into the host's chat.
    await page.getByRole('button', { name: 'Post Ana’s picture to the chat' }).click();
    const posted = chat.getByRole('img', { name: 'Ana’s picture' });
    await posted.waitFor();
    const size = await posted.evaluate(async (img) => { await img.decode(); return [img.naturalWidth, img.naturalHeight]; });
    assert.deepEqual(size, [64, 48]);

    // A malformed command is refused with an error event, and the embed keeps working.
    await page.evaluate((origin) => document.getElementById('ana').contentWindow.postMessage({ huabu: 1, kind: 'command', type: 'eval', id: 'x1', payload: {} }, origin), huabuOrigin());
    await chat.getByText('ana: Huabu says Huabu ignored a message: unknown command type.').waitFor();
    const error = await page.evaluate(() => window.huabuPeople.bo.send('join-room', { roomId: '../../x' }).then(() => 'accepted', (e) => e.message));
    assert.match(error, /room name/);
    // Sync messages from the host are refused where the room is not carried by the host.
    const relay = await page.evaluate(() => window.huabuPeople.bo.send('relay', { message: new Uint8Array([0, 0]) }).then(() => 'accepted', (e) => e.message));
    assert.match(relay, /not carried by the host page/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('with &via=host the room travels in the host page’s messages: no Huabu server connection', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  try {
    await page.goto(`${host.origin}/im-page.html?huabu=${encodeURIComponent(huabuOrigin())}&via=host`);
    const chat = page.getByRole('log', { name: 'Host chat' });
    await chat.getByText('Huabu is ready for Ana and Bo').waitFor({ timeout: 60_000 });
    const png = encodePng(gradientImage(40, 30));
    await page.evaluate(async (bytes) => window.huabuPeople.ana.send('insert-image', { bytes: new Uint8Array(bytes), mime: 'image/png' }), [...png]);
    await chat.getByText('bo: a 40×30 picture is in the room').waitFor({ timeout: 30_000 });
    // Presence travels too: Bo's Huabu lists Ana.
    await page.frameLocator('#bo').getByRole('status', { name: 'People in this room' }).filter({ hasText: 'Ana' }).waitFor();
    assert.deepEqual(sockets.filter((url) => url.includes('/collab/')), [], 'no WebSocket to Huabu\'s server');
  } finally {
    await context.close();
  }
});

test('<huabu-chat>: the element makes the iframe in the chosen room and edits the canvas on command', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(err.message));
  try {
    const room = 'c'.repeat(32);
    await page.goto(`${host.origin}/element-page.html?huabu=${encodeURIComponent(huabuOrigin())}&room=${room}`);
    const log = page.getByRole('log', { name: 'Events from Huabu' });
    await log.getByText('Huabu is ready').waitFor({ timeout: 60_000 });
    // The element's iframe (in its shadow root) holds the app, in the room the host chose.
    const frame = page.frameLocator('huabu-chat iframe');
    await frame.getByRole('textbox', { name: 'Message' }).waitFor();
    assert.equal(await page.evaluate(() => new URL(window.huabu.shadowRoot.querySelector('iframe').src).hash), `#room=${room}`);

    const png = encodePng(gradientImage(48, 32));
    const placed = await page.evaluate(async (bytes) => (await window.huabu.send('insert-image', { bytes: new Uint8Array(bytes), mime: 'image/png' })).value, [...png]);
    assert.deepEqual(placed, { width: 48, height: 32 });
    await page.evaluate(() => window.huabu.send('restyle', { style: 'posterize' }));
    await log.getByText('image 48×32 (restyle)').waitFor({ timeout: 60_000 });
    await page.evaluate(() => window.huabu.send('upscale', { scale: 2 }));
    await log.getByText('image 96×64 (upscale)').waitFor({ timeout: 60_000 });
    // A generation reports its progress as events, up to 1 when its images are there.
    await page.evaluate(() => {
      window.fractions = [];
      window.huabu.addEventListener('huabu-progress', (e) => window.fractions.push(e.detail.fraction));
      return window.huabu.send('generate', { prompt: 'a red apple', seed: 7 });
    });
    await log.getByText('(drawn: a red apple)').first().waitFor({ timeout: 120_000 });
    const fractions = await page.evaluate(() => window.fractions);
    assert.ok(fractions.length > 5, `${fractions.length} progress events`);
    assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1] - 1e-9), 'progress never goes back');
    assert.ok(fractions.at(-1) === 1, `last ${fractions.at(-1)}`);
    const refused = await page.evaluate(() => window.huabu.send('upscale', { scale: 3 }).then(() => 'sent', (e) => e.message));
    assert.match(refused, /bad payload field scale/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('only allowed origins may frame Huabu (CSP frame-ancestors)', async () => {
  const response = await fetch(huabu.url);
  assert.match(response.headers.get('content-security-policy'), new RegExp(`frame-ancestors 'self' ${host.origin}$`));
  assert.deepEqual(await (await fetch(`${huabu.url}embed-config.json`)).json(), { allowedOrigins: [host.origin] });

  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${stranger.origin}/im-page.html?huabu=${encodeURIComponent(huabuOrigin())}`);
    await page.waitForTimeout(1500); // the page has set both iframes' addresses by now
    const urls = page.frames().filter((f) => f !== page.mainFrame()).map((f) => f.url());
    assert.ok(urls.length === 2 && urls.every((u) => !u.startsWith(huabuOrigin())), `frames: ${urls}`);
    assert.equal(await page.getByText('Huabu is ready').count(), 0);
  } finally {
    await context.close();
  }
});
