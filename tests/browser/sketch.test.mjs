// Sketch to picture and AI restyle in Chromium: a drawing made with the mouse becomes a
// 512×512 picture through huabu-sketch in the app's worker (WebAssembly here), or is redrawn
// as an emoji set through huabu-style; the canvas stays as it was, an empty canvas gets a
// clear answer, and the native CLI (huabu-cli sketch2img / style-transfer, OpenCV dnn) makes
// the same picture from the same input: the native/browser parity of issue #4.

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

/** The same input through the native engine, encoded as the app encodes (WebP, quality 90). */
async function assertNativeSame(shown, input, command, what) {
  assert.ok(existsSync(cli), `${cli} is built by ./huabu test`);
  const dir = mkdtempSync(path.join(tmpdir(), 'huabu-framed-'));
  writeFileSync(path.join(dir, 'input.png'), encodePng(input));
  const [name, ...options] = command;
  execFileSync(cli, [name, path.join(dir, 'input.png'), path.join(dir, 'native.webp'), '--quality', '90', ...options], { stdio: 'pipe' });
  execFileSync(cli, ['convert', path.join(dir, 'native.webp'), path.join(dir, 'native.png')], { stdio: 'pipe' });
  const native = PNG.sync.read(readFileSync(path.join(dir, 'native.png')));
  const psnr = psnrRgb(shown, { width: native.width, height: native.height, data: new Uint8Array(native.data) });
  console.log(`# ${what}: native vs browser ${psnr.toFixed(1)} dB`);
  assert.ok(psnr >= 40, `${what}: native vs browser ${psnr.toFixed(1)} dB (need 40)`);
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

  await assertNativeSame(shown, drawing, ['sketch2img'], 'sketch to picture');
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

test('/restyle 3d redraws the canvas as Fluent 3D with huabu-style; the Restyle menu offers the emoji sets; native draws the same', () => withApp(async ({ page, problems }) => {
  await page.getByLabel('Colour').fill('#e04020'); // a red drawing: the colours must reach the model
  await drawSmiley(page);
  const drawing = await canvasPixels(page);
  await sendChat(page, '/restyle 3d');
  const restyled = page.getByRole('img', { name: 'The image restyled as fluent-3d, 512×512 pixels' });
  await restyled.waitFor({ timeout: 120_000 });
  assert.deepEqual(await canvasPixels(page), drawing, 'the canvas is unchanged');
  await assertNativeSame(await imagePixels(restyled), drawing, ['style-transfer', '--style', 'fluent-3d'], 'restyle as fluent-3d');

  // The menu under that picture: the emoji sets are a group of their own; Outline redraws it.
  await page.locator('figure.image-message').filter({ has: restyled }).getByRole('button', { name: 'Restyle' }).click();
  const sets = page.getByRole('dialog').getByRole('group', { name: /Redraw as an emoji set/ });
  await sets.getByRole('button', { name: 'Outline (OpenMoji)' }).click();
  await page.getByRole('img', { name: 'The image restyled as openmoji-outline, 512×512 pixels' }).waitFor({ timeout: 120_000 });

  await sendChat(page, '/restyle 水彩画');
  await page.locator('.message--bot').filter({ hasText: '“水彩画” is not a style name' }).waitFor();
  assert.deepEqual(problems, []);
}));
