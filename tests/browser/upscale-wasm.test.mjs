// /upscale end to end on the WebAssembly backend (Chromium without WebGPU), plus the ways it
// can stop early: cancel, and a model file whose sha256 does not match its manifest.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { appSession, canvasPixels, gradientImage, importImage, mouseDrag, runUpscaleScenario, sendChat, useAsCanvas } from './helpers.mjs';

const session = appSession();

const { withApp } = session;

test('without a WebGPU adapter the app says so and uses WebAssembly', () => withApp(async ({ page }) => {
  const status = await page.getByRole('status', { name: 'Inference backend' }).textContent();
  assert.match(status, /^Backend: WebAssembly — no WebGPU adapter: requestAdapter\(\) returned null/);
}));

test('/upscale 2 doubles the canvas image and beats bicubic (wasm)', () => withApp(async ({ page, problems }) => {
  const r = await runUpscaleScenario(page);
  console.log(`wasm: SR ${r.psnrExact.toFixed(2)} dB (as WebP ${r.psnrShownWebp.toFixed(2)} dB), bicubic ${r.psnrBicubic.toFixed(2)} dB`);
  assert.deepEqual(r.shownSize, [128, 128]);
  assert.deepEqual(r.exactSize, [128, 128]);
  assert.match(r.status, /^Backend: WebAssembly — no WebGPU adapter/);
  assert.ok(r.psnrExact > r.psnrBicubic, `SR ${r.psnrExact.toFixed(2)} dB must beat bicubic ${r.psnrBicubic.toFixed(2)} dB`);
  assert.deepEqual(problems, []);
}));

test('the toolbar button upscales; an image message can be upscaled again and put on the canvas', () => withApp(async ({ page }) => {
  await importImage(page, gradientImage(40, 24), 'small.png');
  await page.getByRole('toolbar', { name: 'Drawing tools' }).getByRole('button', { name: 'Upscale ×2' }).click();
  const first = page.getByRole('img', { name: 'The canvas upscaled ×2, 80×48 pixels' });
  await first.waitFor({ timeout: 60_000 });
  await page.getByRole('listitem').filter({ has: first }).getByRole('button', { name: 'Upscale ×2' }).click();
  const second = page.getByRole('img', { name: 'This image upscaled ×2, 160×96 pixels' });
  await second.waitFor({ timeout: 60_000 });

  await useAsCanvas(page, second, 160, 96);
  const canvas = await canvasPixels(page);
  assert.deepEqual([canvas.width, canvas.height], [160, 96]);
  await page.getByRole('button', { name: 'Undo' }).click();
  const undone = await canvasPixels(page);
  assert.deepEqual([undone.width, undone.height], [40, 24]);
}));

test('with a selection, /upscale works on that region; Put on canvas places a result into the selection', () => withApp(async ({ page }) => {
  await importImage(page, gradientImage(128, 96), 'gradient.png'); // becomes the 128×96 canvas
  const before = await canvasPixels(page);
  await page.keyboard.press('m');
  await mouseDrag(page, [[16, 16], [80, 48]]); // a 64×32 selection
  await sendChat(page, '/upscale 2');
  const region = page.getByRole('img', { name: 'The selection upscaled ×2, 128×64 pixels' });
  await region.waitFor({ timeout: 60_000 });
  assert.deepEqual(await canvasPixels(page), before, 'an upscale never touches the canvas');

  // Put on canvas: on the current layer, fitted into the (still) selected region, undoable.
  await page.getByRole('listitem').filter({ has: region }).getByRole('button', { name: 'Put on canvas' }).click();
  await page.getByText('Put on the current layer, inside the selection').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Move', exact: true }).getAttribute('aria-pressed'), 'true');
  const placed = await canvasPixels(page);
  let changedOutside = 0;
  for (let y = 0; y < 96; y++) for (let x = 0; x < 128; x++) {
    const inside = x >= 16 && x < 80 && y >= 16 && y < 48;
    const i = (y * 128 + x) * 4;
    if (!inside && placed.data[i] !== before.data[i]) changedOutside++;
  }
  assert.equal(changedOutside, 0, 'nothing changes outside the selection');
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.deepEqual(await canvasPixels(page), before, 'Undo takes it back');
}));

// The canvas is paper: layers are shown, snapshotted and upscaled over white (docs/canvas.md).
// Alpha through the upscale code itself is checked in tests/node/cli.test.mjs.
test('a half-transparent import upscales as shown: over white paper, opaque', () => withApp(async ({ page }) => {
  // Left half opaque gradient, right half fully transparent.
  const image = gradientImage(32, 32);
  for (let y = 0; y < 32; y++) for (let x = 16; x < 32; x++) image.data[(y * 32 + x) * 4 + 3] = 0;
  await importImage(page, image, 'half-transparent.png');
  await sendChat(page, '/upscale 2');
  const result = page.getByRole('img', { name: 'The canvas upscaled ×2, 64×64 pixels' });
  await result.waitFor({ timeout: 60_000 });
  await useAsCanvas(page, result, 64, 64);

  const { data } = await canvasPixels(page);
  const at = (x, y) => data.slice((y * 64 + x) * 4, (y * 64 + x) * 4 + 4);
  for (const y of [0, 20, 63]) {
    assert.equal(at(4, y)[3], 255, `opaque side at y=${y}`);
    assert.deepEqual([...at(60, y)], [255, 255, 255, 255], `paper side at y=${y}`);
  }
}));

test('Cancel stops an upscale between tiles, says cancelled, and keeps the canvas', () => withApp(async ({ page }) => {
  await importImage(page, gradientImage(512, 512), 'big.png');
  const before = await canvasPixels(page);

  await sendChat(page, '/upscale 2');
  // Wait until at least one tile is done, so the cancel lands between tiles. (A CSS
  // selector, not waitForFunction: the app's CSP forbids the eval that the latter needs.)
  await page.getByRole('progressbar', { name: 'Upscaling the canvas ×2' })
    .and(page.locator('[aria-valuetext^="Upscaling: tile "]:not([aria-valuetext^="Upscaling: tile 0 "])'))
    .waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByText('Upscale cancelled. Your canvas is unchanged.').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByRole('img', { name: /upscaled/ }).count(), 0);
  assert.deepEqual(await canvasPixels(page), before);
}));

test('a model file whose sha256 does not match the manifest gives a clear error', () => withApp(async ({ page }) => {
  await page.getByRole('img', { name: 'Drawing canvas' }).waitFor();
  await importImage(page, gradientImage(64, 64), 'small.png');
  const before = await canvasPixels(page);

  await sendChat(page, '/upscale 2');
  const alert = page.getByRole('alert').filter({ hasText: 'Upscale failed' });
  await alert.waitFor({ timeout: 60_000 });
  const text = await alert.textContent();
  assert.match(text, /Model file huabu-sr-x2\/model\.onnx is corrupt — .*sha256 mismatch/);
  assert.match(text, /Your canvas is unchanged\.$/);
  assert.deepEqual(await canvasPixels(page), before);
}, {
  // The worker fetches the manifest; the context-level route sees worker requests too.
  beforeLoad: (context) => context.route('**/models/huabu-sr-x2/manifest.json', async (route) => {
    const response = await route.fetch();
    const manifest = await response.json();
    manifest.files[0].sha256 = '0'.repeat(64);
    await route.fulfill({ response, json: manifest });
  }),
}));
