// The app shell in Chromium: loads cleanly, is accessible, draws, talks, rejects bad files.
// None of these need the models or the core wasm.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  appSession, canvasPixels, chatInput, encodePng, gradientImage, importImage, sendChat,
} from './helpers.mjs';

const session = appSession();

const { withApp } = session;

test('loads without console errors, cross-origin isolated, with a backend shown', () => withApp(async ({ page, problems }) => {
  assert.equal(await page.title(), 'Huabu 画布');
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  await page.getByText('/help lists the commands').waitFor();
  const status = await page.getByRole('status', { name: 'Inference backend' }).textContent();
  assert.match(status, /^Backend: (WebGPU|WebAssembly)/);
  assert.deepEqual(problems, []);
}));

test('every control has an accessible name', () => withApp(async ({ page }) => {
  const named = [
    ['textbox', 'Message'],
    ['button', 'Send'],
    ['button', 'Undo'],
    ['button', 'Clear'],
    ['button', 'Upscale ×2'],
    ['slider', 'Size'],
    ['img', 'Drawing canvas'],
    ['log', 'Messages'],
    ['toolbar', 'Drawing tools'],
  ];
  for (const [role, name] of named) {
    assert.equal(await page.getByRole(role, { name, exact: true }).count(), 1, `${role} "${name}"`);
  }
  assert.equal(await page.getByLabel('Colour').getAttribute('type'), 'color');
  assert.equal(await page.getByLabel('Import image').getAttribute('type'), 'file');

  // No button, input or textarea without a name.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, textarea, select')]
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
    .map((el) => el.outerHTML));
  assert.deepEqual(unnamed, []);
}));

test('keyboard: Enter sends, Shift+Enter adds a line, controls are reachable by Tab', () => withApp(async ({ page }) => {
  const input = chatInput(page);
  await input.focus();
  await page.keyboard.type('first line');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  assert.equal(await input.inputValue(), 'first line\nsecond line');
  await page.keyboard.press('Enter');
  assert.equal(await input.inputValue(), '');
  await page.locator('.message--user').filter({ hasText: 'first line\nsecond line' }).waitFor();

  await page.getByRole('button', { name: 'Send' }).focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.closest('.toolbar') !== null);
  assert.ok(focused, 'Tab moves from the chat into the drawing tools');
}));

test('drawing with the mouse changes canvas pixels; undo restores them', () => withApp(async ({ page }) => {
  const before = await canvasPixels(page);
  assert.ok(before.data.every((v) => v === 255), 'a new canvas is white');

  const box = await page.getByRole('img', { name: 'Drawing canvas' }).boundingBox();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.2 + i * 0.06), box.y + box.height * (0.3 + i * 0.04));
  await page.mouse.up();

  const after = await canvasPixels(page);
  const changed = after.data.filter((v, i) => v !== before.data[i]).length;
  assert.ok(changed > 500, `the stroke changed ${changed} channel values`);

  await page.getByRole('button', { name: 'Undo' }).click();
  const undone = await canvasPixels(page);
  assert.deepEqual(undone.data, before.data);
}));

test('a pen draws thicker lines the harder it presses', () => withApp(async ({ page, context }) => {
  // Real pen input through the DevTools protocol: pointerType 'pen' with a force (= pressure).
  const cdp = await context.newCDPSession(page);
  const box = await page.getByRole('img', { name: 'Drawing canvas' }).boundingBox();
  const pen = (type, x, y, force) => cdp.send('Input.dispatchMouseEvent', {
    type, x: box.x + x * box.width, y: box.y + y * box.height, button: 'left', buttons: type === 'mouseReleased' ? 0 : 1,
    clickCount: 1, pointerType: 'pen', force,
  });
  async function stroke(y, force) {
    await pen('mousePressed', 0.1, y, force);
    for (let i = 1; i <= 8; i++) await pen('mouseMoved', 0.1 + i * 0.1, y, force);
    await pen('mouseReleased', 0.9, y, force);
  }
  await stroke(0.25, 0.1);
  await stroke(0.75, 1.0);

  const { width, height, data } = await canvasPixels(page);
  const thickness = (from, to) => {
    const x = width >> 1;
    let n = 0;
    for (let y = Math.floor(from * height); y < to * height; y++) if (data[(y * width + x) * 4] !== 255) n++;
    return n;
  };
  const light = thickness(0, 0.5);
  const hard = thickness(0.5, 1);
  assert.ok(light > 0 && hard > 3 * light, `light pressure ${light} px, hard pressure ${hard} px`);
}));

test('/help lists the commands; unknown commands and bad scales get a helpful answer', () => withApp(async ({ page }) => {
  await sendChat(page, '/help');
  await page.locator('.message--bot').filter({ hasText: '/upscale 4 — four times its size' }).waitFor();
  await sendChat(page, '/paint a fox');
  await page.locator('.message--bot').filter({ hasText: "I don't know the command /paint" }).waitFor();
  await sendChat(page, '/upscale 3');
  await page.locator('.message--bot').filter({ hasText: 'I can upscale ×2 or ×4, not “3”' }).waitFor();
}));

test('importing an image puts it on the canvas at its size', () => withApp(async ({ page }) => {
  const image = gradientImage(96, 64);
  await importImage(page, image, 'gradient.png');
  const pixels = await canvasPixels(page);
  assert.equal(pixels.width, 96);
  assert.equal(pixels.height, 64);
  assert.deepEqual(pixels.data, image.data);
}));

test('a corrupt image file gives a clear message and leaves the canvas unchanged', () => withApp(async ({ page, problems }) => {
  const before = await canvasPixels(page);
  const garbage = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
  await page.getByLabel('Import image').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: garbage });
  const alert = page.getByRole('alert').filter({ hasText: 'Could not open “broken.png”' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /not a readable image.*canvas is unchanged/);
  assert.deepEqual(await canvasPixels(page), before);
  assert.deepEqual(problems, []);
}));

// A WebP whose extended header (VP8X) claims a 100000 x 100000 canvas, with no image data.
function absurdWebpHeader() {
  const vp8x = Buffer.alloc(18);
  vp8x.write('VP8X', 0);
  vp8x.writeUInt32LE(10, 4);
  vp8x.writeUIntLE(100000 - 1, 12, 3); // canvas width minus one
  vp8x.writeUIntLE(100000 - 1, 15, 3); // canvas height minus one
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0);
  riff.writeUInt32LE(4 + vp8x.length, 4);
  riff.write('WEBP', 8);
  return Buffer.concat([riff, vp8x]);
}

test('oversized images are refused with a clear message; the canvas is unchanged', () => withApp(async ({ page, problems }) => {
  const before = await canvasPixels(page);
  const input = page.getByLabel('Import image');

  await input.setInputFiles({ name: 'huge.webp', mimeType: 'image/webp', buffer: absurdWebpHeader() });
  await page.getByRole('alert').filter({ hasText: 'huge.webp' }).waitFor();

  await input.setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: encodePng(gradientImage(4100, 4)) });
  const wide = page.getByRole('alert').filter({ hasText: 'wide.png' });
  await wide.waitFor();
  assert.match(await wide.textContent(), /4100×4.*up to 4096×4096.*canvas is unchanged/);

  assert.deepEqual(await canvasPixels(page), before);
  assert.deepEqual(problems, []);
}));

test('if the inference worker cannot start, the app says so and drawing still works', () => withApp(async ({ page }) => {
  await page.getByRole('status', { name: 'Inference backend' }).filter({ hasText: /^Backend unavailable: The inference worker stopped/ }).waitFor();
  await importImage(page, gradientImage(32, 32), 'small.png');
  await sendChat(page, '/upscale 2');
  await page.getByRole('alert').filter({ hasText: /^Upscale failed: The inference worker stopped.*Your canvas is unchanged\.$/ }).waitFor();
  assert.deepEqual((await canvasPixels(page)).data, gradientImage(32, 32).data);
}, {
  beforeLoad: (context) => context.route('**/app/inference-worker.js', (route) => route.fulfill({ status: 404 })),
}));
