// Huabu as a Matrix widget in Chromium: a page acting as the Matrix client (matrix-widget-api's
// own ClientWidgetApi, tests/browser/fixtures/matrix-client.*) shows Huabu to two people in one
// Matrix room; Huabu asks for org.huabu.sync events, and the room's chat and presence travel as
// those events only, with no WebSocket to Huabu's server; a picture over the 64 KiB event
// limit (which the stand-in homeserver enforces) arrives in parts. Not tested: a real homeserver.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as esbuild from 'esbuild';

import { encodePng, launchChromium, sendChat, startServer } from './helpers.mjs';

const root = new URL('../../', import.meta.url).pathname;

async function startMatrixClientServer() {
  const bundle = await esbuild.build({
    entryPoints: [path.join(root, 'tests/browser/fixtures/matrix-client.js')], bundle: true, format: 'esm', write: false, logLevel: 'warning',
  });
  const files = {
    '/matrix-client.html': [readFileSync(path.join(root, 'tests/browser/fixtures/matrix-client.html')), 'text/html; charset=utf-8'],
    '/matrix-client.js': [bundle.outputFiles[0].contents, 'text/javascript; charset=utf-8'],
  };
  const server = createServer((req, res) => {
    const file = files[req.url.split('?')[0]];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file[1] }).end(file[0]);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  })));
}

let client;
let huabu;
let browser;
before(async () => {
  client = await startMatrixClientServer();
  huabu = await startServer({ port: 0, embedOrigins: [client.origin] });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await huabu?.close();
  await client?.close();
});

test('two people in a Matrix room: Huabu’s chat and presence travel as org.huabu.sync room events', async () => {
  // Two browser profiles (no BroadcastChannel between them), joined only by the "homeserver".
  const people = [];
  const sockets = [];
  const problems = [];
  let relayed = 0;
  try {
    for (const user of ['ana', 'bo']) {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      page.on('websocket', (ws) => sockets.push(ws.url()));
      page.on('pageerror', (err) => problems.push(err.message));
      await page.exposeFunction('homeserver', async (event) => {
        relayed += 1;
        for (const person of people) await person.page.evaluate((e) => window.deliverEvent(e), event).catch(() => {});
      });
      people.push({ context, page });
    }
    for (const [i, user] of ['ana', 'bo'].entries()) {
      await people[i].page.goto(`${client.origin}/matrix-client.html?user=${user}&huabu=${encodeURIComponent(huabu.url.replace(/\/$/, ''))}`);
    }
    const ana = people[0].page.frameLocator('#widget');
    const bo = people[1].page.frameLocator('#widget');
    // Presence: each sees the other by the display name the Matrix client gave.
    await ana.getByRole('status', { name: 'People in this room' }).filter({ hasText: 'Bo' }).waitFor({ timeout: 60_000 });
    await bo.getByRole('status', { name: 'People in this room' }).filter({ hasText: 'Ana' }).waitFor();

    const input = ana.getByRole('textbox', { name: 'Message' });
    await input.fill('hello from the Matrix room');
    await input.press('Enter');
    // Bo sees Ana's message, with her name on it.
    await bo.locator('#message-list > li').filter({ hasText: 'Ana' }).filter({ hasText: 'hello from the Matrix room' }).first().waitFor({ timeout: 30_000 });
    assert.ok(relayed > 0, 'the room travelled as Matrix events');

    // A picture too big for one Matrix event (a homeserver refuses > 64 KiB) travels in parts.
    const noise = { width: 200, height: 200, data: new Uint8Array(200 * 200 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 2654435761) >>> 24)) };
    const before = relayed;
    await ana.getByLabel('Import image').setInputFiles({ name: 'noise.png', mimeType: 'image/png', buffer: encodePng(noise) });
    await ana.getByText('Imported “noise.png”').waitFor();
    const boFrame = people[1].page.frames().find((f) => f.url().includes('widgetId=huabu-bo'));
    let shown = 0;
    for (let tries = 0; tries < 60 && shown < 10_000; tries++) {
      await people[1].page.waitForTimeout(500);
      shown = await boFrame.evaluate(() => { // Bo's canvas: pixels that are not white paper
        const canvas = document.getElementById('drawing-canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) n++;
        return n;
      });
    }
    assert.ok(shown >= 10_000, `Bo's canvas shows Ana's picture (${shown} coloured pixels)`);
    assert.ok(relayed - before > 3, `the picture took several events (${relayed - before})`);
    assert.deepEqual(sockets.filter((url) => url.includes('/collab/')), [], 'no WebSocket to Huabu\'s server');
    assert.deepEqual(problems, []);
  } finally {
    for (const { context } of people) await context.close();
  }
});
