// Sketch to picture in Chromium: a drawing made with the mouse becomes a 512×512 picture
// through huabu-sketch in the app's worker (WebAssembly here), the canvas stays as it was,
// an empty canvas gets a clear answer, and the native CLI (huabu-cli sketch2img, OpenCV
// dnn) makes the same picture from the same drawing: the native/browser parity of issue #4.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';

import { appSession, canvasPixels, encodePng, imagePixels, mouseDrag, psnrRgb, sendChat } from './helpers.mjs';

const root = new URL('../..', import.meta.url).pathname;
const cli = path.join(root, 'build/native/cli/huabu-cli');
const { withApp } = appSession();

/** A smiley: a round face, two eyes and a mouth, in scene pixels of the 512×512 canvas. */
async function drawSmiley(page) {
  await page.getByRole('slider', { name: 'Size' }).fill('10');
  const circle = (cx, cy, r, from = 0, to = 2 * Math.PI, n = 40) => Array.from({ length: n + 1 }, (_, i) => {
    const a = from + ((to - from) * i) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  await mouseDrag(page, circle(256, 256, 170), 3);
  await mouseDrag(page, circle(195, 210, 18), 2);
  await mouseDrag(page, circle(317, 210, 18), 2);
  await mouseDrag(page, circle(256, 270, 90, 0.2 * Math.PI, 0.8 * Math.PI, 20), 3);
}

const pictureAlt = (style) => new RegExp(`^Picture made from the canvas sketch \\(${style} style\\), 512×512 pixels$`);

test('a mouse drawing becomes a picture; the canvas is unchanged; the native CLI draws the same', () => withApp(async ({ page, problems }) => {
  await drawSmiley(page);
  const drawing = await canvasPixels(page);
  await page.getByRole('button', { name: 'Sketch → picture' }).click();
  const picture = page.getByRole('img', { name: pictureAlt('any') });
  await picture.waitFor({ timeout: 120_000 });
  assert.deepEqual(await canvasPixels(page), drawing, 'the canvas is unchanged');

  const shown = await imagePixels(picture);
  assert.equal(shown.width, 512);
  assert.equal(shown.height, 512);
  // A picture, not blank paper: its colours vary.
  let min = 255, max = 0;
  for (let i = 0; i < shown.data.length; i += 4) for (let c = 0; c < 3; c++) {
    min = Math.min(min, shown.data[i + c]);
    max = Math.max(max, shown.data[i + c]);
  }
  assert.ok(max - min > 100, `range ${min}..${max}`);

  // The same drawing through the native engine, encoded as the app encodes (WebP, quality 90).
  assert.ok(existsSync(cli), `${cli} is built by ./huabu test`);
  const dir = mkdtempSync(path.join(tmpdir(), 'huabu-sketch-'));
  writeFileSync(path.join(dir, 'drawing.png'), encodePng(drawing));
  execFileSync(cli, ['sketch2img', path.join(dir, 'drawing.png'), path.join(dir, 'native.webp'), '--quality', '90'], { stdio: 'pipe' });
  execFileSync(cli, ['convert', path.join(dir, 'native.webp'), path.join(dir, 'native.png')], { stdio: 'pipe' });
  const native = PNG.sync.read(readFileSync(path.join(dir, 'native.png')));
  const psnr = psnrRgb(shown, { width: native.width, height: native.height, data: new Uint8Array(native.data) });
  console.log(`# sketch to picture: native vs browser ${psnr.toFixed(1)} dB`);
  assert.ok(psnr >= 40, `native vs browser ${psnr.toFixed(1)} dB (need 40)`);
  assert.deepEqual(problems, []);
}));

test('an empty canvas gets a clear answer; a style asked for in words is used', () => withApp(async ({ page, problems }) => {
  await sendChat(page, '/render twemoji');
  await page.getByText('The canvas is empty: draw something first').waitFor({ timeout: 120_000 });

  await sendChat(page, '/render watercolour');
  await page.locator('.message--bot').filter({ hasText: 'I don’t know the style “watercolour”' }).waitFor();

  await drawSmiley(page);
  await sendChat(page, 'turn my sketch into a picture in twemoji style');
  await page.getByRole('img', { name: pictureAlt('twemoji') }).waitFor({ timeout: 120_000 });
  assert.deepEqual(problems, []);
}));
