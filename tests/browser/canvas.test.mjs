// The canvas in Chromium, used as a person would: strokes with simulated and real pressure
// (mouse, pen, finger), undo/redo, layers, the eraser, pan and zoom, images inserted, moved
// and scaled, the selection, import by picker/drop/paste, export to PNG and WebP and back.
// Pixels are read from the canvas itself. Screenshots for docs/user-guide.md are taken here.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { PNG } from 'pngjs';

import { appSession, canvasPixels, encodePng, gradientImage, mouseDrag, sceneMapper } from './helpers.mjs';

const shots = new URL('../../docs/images/', import.meta.url).pathname;

const session = appSession();
const { withApp } = session;
const canvasOf = (page) => page.getByRole('img', { name: 'Drawing canvas' });

const pixel = ({ width, data }, x, y) => [...data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
const isWhite = (rgba) => rgba.every((v) => v === 255);
const red = [255, 0, 0, 255];
const blue = [0, 0, 255, 255];

async function setBrush(page, { colour, size }) {
  if (colour) await page.getByLabel('Colour').fill(colour);
  if (size) await page.getByRole('slider', { name: 'Size' }).fill(String(size));
}

/**
 * Waits until the fitted view holds still: the view refits while the frame settles after
 * start-up, so a zoom label read before a late refit would not match a box read after it.
 * Settled = the zoom label agrees with the canvas's on-screen width, unchanged for 5 frames.
 */
async function fitSettled(page) {
  await page.waitForFunction(() => {
    const canvas = document.getElementById('drawing-canvas');
    const label = document.getElementById('zoom-level');
    const now = `${canvas.getBoundingClientRect().width}|${label.textContent}`;
    const probe = (window.fitProbe ??= { last: '', frames: 0 }); // polled once per frame
    probe.frames = now === probe.last ? probe.frames + 1 : 0;
    probe.last = now;
    const shown = parseInt(label.textContent, 10) / 100 * canvas.width;
    return probe.frames >= 5 && Math.abs(shown - canvas.getBoundingClientRect().width) <= canvas.width * 0.006;
  });
}

/** Rows a vertical cut through column `x` crosses non-white pixels, within [from, to). */
function thicknessAt(pixels, x, from, to) {
  let n = 0;
  for (let y = from; y < to; y++) if (!isWhite(pixel(pixels, x, y))) n++;
  return n;
}

test('a mouse stroke draws where the pointer went, with speed-simulated pressure', () => withApp(async ({ page, problems }) => {
  await setBrush(page, { colour: '#ff0000', size: 16 });
  await mouseDrag(page, [[60, 120], [460, 120]], 200); // slow: 2 px per event
  await mouseDrag(page, [[60, 360], [460, 360]], 10); // fast: 40 px per event
  const pixels = await canvasPixels(page);
  assert.deepEqual(pixel(pixels, 260, 120), red, 'on the slow stroke');
  assert.deepEqual(pixel(pixels, 260, 360), red, 'on the fast stroke');
  assert.ok(isWhite(pixel(pixels, 260, 240)), 'between the strokes');
  assert.ok(isWhite(pixel(pixels, 30, 120)) && isWhite(pixel(pixels, 490, 120)), 'beyond the ends');
  const slow = thicknessAt(pixels, 260, 60, 180);
  const fast = thicknessAt(pixels, 260, 300, 420);
  // perfect-freehand thins fast strokes when pressure is simulated.
  assert.ok(slow > 8 && fast > 2 && slow > fast * 1.3, `slow ${slow} px, fast ${fast} px`);
  assert.deepEqual(problems, []);
}));

test('a finger draws; two fingers pinch to zoom and leave no mark', () => withApp(async ({ page, context }) => {
  const cdp = await context.newCDPSession(page);
  const at = await sceneMapper(page);
  const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: points.map(([x, y], id) => ({ ...at(x, y), id, force: 0.8, radiusX: 4, radiusY: 4 })),
  });
  await touch('touchStart', [[100, 400]]);
  for (let i = 1; i <= 10; i++) await touch('touchMove', [[100 + i * 30, 400]]);
  await touch('touchEnd', []);
  const drawn = await canvasPixels(page);
  assert.ok(!isWhite(pixel(drawn, 250, 400)), 'the finger stroke is on the canvas');

  const zoomBefore = await page.getByLabel('Zoom level').textContent();
  await touch('touchStart', [[200, 200]]);
  await touch('touchStart', [[200, 200], [300, 200]]);
  for (let i = 1; i <= 6; i++) await touch('touchMove', [[200 - i * 10, 200], [300 + i * 10, 200]]);
  await touch('touchEnd', []);
  const zoomAfter = await page.getByLabel('Zoom level').textContent();
  assert.ok(parseInt(zoomAfter, 10) > parseInt(zoomBefore, 10) * 1.5, `zoom ${zoomBefore} -> ${zoomAfter}`);
  assert.deepEqual((await canvasPixels(page)).data, drawn.data, 'the pinch drew nothing');
}, { hasTouch: true }));

test('undo and redo, by keyboard and buttons, step through strokes exactly', () => withApp(async ({ page }) => {
  const undo = page.getByRole('button', { name: 'Undo' });
  const redo = page.getByRole('button', { name: 'Redo' });
  assert.equal(await undo.isDisabled(), true);
  const blank = await canvasPixels(page);
  await mouseDrag(page, [[50, 50], [450, 450]]);
  const one = await canvasPixels(page);
  await mouseDrag(page, [[450, 50], [50, 450]]);
  const two = await canvasPixels(page);
  assert.notDeepEqual(one.data, blank.data);
  assert.notDeepEqual(two.data, one.data);

  await page.keyboard.press('Control+Z');
  assert.deepEqual((await canvasPixels(page)).data, one.data);
  await undo.click();
  assert.deepEqual((await canvasPixels(page)).data, blank.data);
  assert.equal(await undo.isDisabled(), true);
  await page.keyboard.press('Control+Shift+Z');
  assert.deepEqual((await canvasPixels(page)).data, one.data);
  await redo.click();
  assert.deepEqual((await canvasPixels(page)).data, two.data);
  assert.equal(await redo.isDisabled(), true);
}));

test('layers: the top one covers, hiding hides, reordering swaps, opacity, rename, delete and undo', () => withApp(async ({ page }) => {
  await setBrush(page, { colour: '#ff0000', size: 30 });
  await mouseDrag(page, [[60, 200], [460, 200]]);
  await page.getByRole('button', { name: 'Add layer' }).click();
  assert.equal(await page.getByRole('radio', { name: 'Draw on Layer 2' }).isChecked(), true, 'a new layer is drawn on');
  await setBrush(page, { colour: '#0000ff' });
  await mouseDrag(page, [[256, 60], [256, 460]]);
  const check = async (expect) => {
    const pixels = await canvasPixels(page);
    for (const [[x, y], want] of expect) {
      const got = pixel(pixels, x, y);
      assert.ok(want === 'white' ? isWhite(got) : got.join() === want.join(), `(${x}, ${y}) is ${got}, want ${want}`);
    }
  };
  await check([[[256, 200], blue], [[150, 200], red], [[256, 400], blue]]);

  await page.getByRole('checkbox', { name: 'Show Layer 2' }).uncheck();
  await check([[[256, 200], red], [[256, 400], 'white']]);
  await page.getByRole('checkbox', { name: 'Show Layer 2' }).check();
  await page.getByRole('button', { name: 'Move Layer 2 down' }).click();
  await check([[[256, 200], red], [[256, 400], blue]]);

  await page.getByRole('slider', { name: 'Opacity of Layer 1' }).fill('0');
  await check([[[256, 200], blue], [[150, 200], 'white']]);
  await page.keyboard.press('Control+Z');
  await check([[[150, 200], red]]);

  const name = page.getByRole('textbox', { name: 'Name of Layer 2' });
  await name.fill('Sky');
  await name.press('Enter');
  await page.getByRole('checkbox', { name: 'Show Sky' }).waitFor();

  await page.getByRole('button', { name: 'Delete Sky' }).click();
  await check([[[256, 400], 'white'], [[256, 200], red]]);
  assert.equal(await page.getByRole('button', { name: 'Delete Layer 1' }).isDisabled(), true, 'the last layer stays');
  await page.keyboard.press('Control+Z');
  await check([[[256, 400], blue], [[256, 200], red]]);
  await page.screenshot({ path: `${shots}canvas-layers.png` });
}));

test('the eraser erases only its own layer', () => withApp(async ({ page }) => {
  await setBrush(page, { colour: '#ff0000', size: 30 });
  await mouseDrag(page, [[60, 200], [460, 200]]);
  await page.getByRole('button', { name: 'Add layer' }).click();
  await setBrush(page, { colour: '#0000ff' });
  await mouseDrag(page, [[256, 60], [256, 460]]);
  await page.keyboard.press('e');
  assert.equal(await page.getByRole('button', { name: 'Eraser' }).getAttribute('aria-pressed'), 'true');
  await setBrush(page, { size: 64 });
  await mouseDrag(page, [[256, 40], [256, 480]]);
  const pixels = await canvasPixels(page);
  assert.deepEqual(pixel(pixels, 256, 200), red, 'the red line below shows through');
  assert.ok(isWhite(pixel(pixels, 256, 400)), 'the blue line is gone');
  assert.deepEqual(pixel(pixels, 100, 200), red);
}));

test('zoom with keys, buttons and Ctrl+wheel; pan with the hand; drawing lands under the pointer', () => withApp(async ({ page }) => {
  const zoom = page.getByLabel('Zoom level');
  const frame = page.getByRole('application', { name: 'Drawing area' });
  await frame.focus();
  const level = async () => parseInt(await zoom.textContent(), 10);
  await fitSettled(page);
  const fittedZoom = await level();
  const fitted = await canvasOf(page).boundingBox();
  await page.keyboard.press('+');
  const zoomed = await canvasOf(page).boundingBox();
  assert.ok(Math.abs(zoomed.width - fitted.width * 1.25) < 1, `${fitted.width} -> ${zoomed.width}`);
  assert.ok(Math.abs((await level()) - fittedZoom * 1.25) <= 1, `zoom ${fittedZoom}% -> ${await level()}%`);
  await page.getByRole('button', { name: 'Zoom out' }).click();
  assert.ok(Math.abs((await canvasOf(page).boundingBox()).width - fitted.width) < 1);

  // Ctrl+wheel zooms about the pointer: the scene point under it stays put.
  const at = await sceneMapper(page);
  const target = at(100, 100);
  await page.mouse.move(target.x, target.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await page.waitForFunction((z) => parseInt(document.getElementById('zoom-level').textContent, 10) > z * 2, fittedZoom);
  const after = (await sceneMapper(page))(100, 100);
  assert.ok(Math.hypot(after.x - target.x, after.y - target.y) < 2, 'the point under the pointer stayed');

  // Hand tool: dragging moves the picture by the drag.
  await page.getByRole('button', { name: 'Hand' }).click();
  const start = await canvasOf(page).boundingBox();
  await page.mouse.move(600, 400);
  await page.mouse.down();
  await page.mouse.move(500, 350, { steps: 5 });
  await page.mouse.up();
  const panned = await canvasOf(page).boundingBox();
  assert.ok(Math.abs(panned.x - (start.x - 100)) < 1 && Math.abs(panned.y - (start.y - 50)) < 1);

  // Zoomed and panned, a stroke still lands on the scene pixels under the pointer.
  await page.keyboard.press('b');
  await setBrush(page, { colour: '#ff0000', size: 12 });
  await mouseDrag(page, [[120, 130], [160, 130]], 20);
  const pixels = await canvasPixels(page);
  assert.deepEqual(pixel(pixels, 140, 130), red);
  assert.ok(isWhite(pixel(pixels, 140, 150)));

  // 0 fits the whole picture in the frame again, centred.
  await page.keyboard.press('0');
  const refitted = await canvasOf(page).boundingBox();
  const area = await frame.boundingBox();
  assert.ok(refitted.x >= area.x && refitted.y >= area.y, 'inside the frame');
  assert.ok(refitted.x + refitted.width <= area.x + area.width && refitted.y + refitted.height <= area.y + area.height);
  const gaps = [refitted.x - area.x, area.x + area.width - refitted.x - refitted.width];
  assert.ok(Math.abs(gaps[0] - gaps[1]) < 1, `centred: ${gaps}`);
}));

test('an imported image goes into the selection on a drawn canvas, then moves, scales, undoes and deletes', () => withApp(async ({ page }) => {
  await setBrush(page, { colour: '#ff0000', size: 16 });
  await mouseDrag(page, [[20, 480], [480, 480]], 60); // the canvas is no longer blank
  await page.keyboard.press('m');
  await mouseDrag(page, [[100, 100], [300, 200]]);
  const box = await page.locator('.selection-box').boundingBox();
  const at = await sceneMapper(page);
  assert.ok(Math.abs(box.width - (at(300, 0).x - at(100, 0).x)) < 1, 'the selection box is drawn');

  const image = gradientImage(50, 50);
  await page.getByLabel('Import image').setInputFiles({ name: 'tile.png', mimeType: 'image/png', buffer: encodePng(image) });
  await page.getByText('Imported “tile.png” (50×50) onto the current layer').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Move', exact: true }).getAttribute('aria-pressed'), 'true');
  let pixels = await canvasPixels(page);
  // Fitted inside the 200×100 selection without enlarging: centred at (175, 125)..(225, 175).
  assert.deepEqual(pixel(pixels, 175 + 10, 125 + 20), pixel(image, 10, 20));
  assert.deepEqual(pixel(pixels, 224, 174), pixel(image, 49, 49));
  assert.ok(isWhite(pixel(pixels, 170, 120)));

  await page.keyboard.press('Escape'); // clears the selection, keeps the image
  await mouseDrag(page, [[200, 150], [300, 300]]); // move by (+100, +150)
  pixels = await canvasPixels(page);
  assert.deepEqual(pixel(pixels, 275 + 10, 275 + 20), pixel(image, 10, 20));
  assert.ok(isWhite(pixel(pixels, 200, 150)), 'nothing left behind');

  await mouseDrag(page, [[325, 325], [375, 375]]); // the corner handle: 50 -> 100 px
  pixels = await canvasPixels(page);
  assert.ok(!isWhite(pixel(pixels, 370, 370)), 'scaled up');
  await page.keyboard.press('Control+Z');
  assert.ok(isWhite(pixel(await canvasPixels(page), 370, 370)), 'undo brings back the size');
  await page.keyboard.press('Control+Z');
  assert.deepEqual(pixel(await canvasPixels(page), 185, 145), pixel(image, 10, 20), 'undo brings back the place');

  await page.keyboard.press('Control+Shift+Z');
  await page.keyboard.press('Delete');
  assert.ok(isWhite(pixel(await canvasPixels(page), 285, 295)), 'Delete removes the selected image');
  assert.deepEqual(pixel(await canvasPixels(page), 240, 480), red, 'the drawing stays');
}));

test('dropping and pasting images imports them; an oversized drop is refused with a message', () => withApp(async ({ page, problems }) => {
  const before = await canvasPixels(page);
  const sendFile = (kind, name, bytes) => page.evaluate(({ kind, name, base64 }) => {
    const bytes = Uint8Array.fromBase64(base64);
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, { type: 'image/png' }));
    if (kind === 'paste') document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true }));
    else document.getElementById('canvas-frame').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { kind, name, base64: Buffer.from(bytes).toString('base64') });

  await sendFile('drop', 'wide.png', encodePng(gradientImage(4100, 4)));
  const alert = page.getByRole('alert').filter({ hasText: 'wide.png' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /4100×4.*up to 4096×4096.*canvas is unchanged/);
  assert.deepEqual(await canvasPixels(page), before);

  await sendFile('drop', 'dropped.png', encodePng(gradientImage(40, 30)));
  await page.getByText('Imported “dropped.png” (40×30) onto the canvas').waitFor();
  assert.deepEqual((await canvasPixels(page)).data, gradientImage(40, 30).data);

  await sendFile('paste', 'pasted.png', encodePng(gradientImage(20, 20)));
  await page.getByText('Imported “pasted.png” (20×20) onto the current layer').waitFor();
  assert.deepEqual(problems, []);
}));

test('Save PNG exports the exact picture, which imports back identically; Save WebP is a WebP', () => withApp(async ({ page }) => {
  await setBrush(page, { colour: '#2a9d8f', size: 20 });
  await mouseDrag(page, [[50, 80], [300, 400], [470, 60]]);
  const drawn = await canvasPixels(page);
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save PNG' }).click()]);
  assert.equal(png.suggestedFilename(), 'huabu-512x512.png');
  const pngBytes = await readFile(await png.path());
  const decoded = PNG.sync.read(pngBytes);
  assert.deepEqual(new Uint8Array(decoded.data), drawn.data);

  const [webp] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save WebP' }).click()]);
  assert.equal(webp.suggestedFilename(), 'huabu-512x512.webp');
  const webpBytes = await readFile(await webp.path());
  assert.equal(webpBytes.subarray(0, 4).toString(), 'RIFF');
  assert.equal(webpBytes.subarray(8, 12).toString(), 'WEBP');

  await withApp(async ({ page: fresh }) => {
    await fresh.getByLabel('Import image').setInputFiles({ name: 'saved.png', mimeType: 'image/png', buffer: pngBytes });
    await fresh.getByText('Imported “saved.png” (512×512) onto the canvas').waitFor();
    assert.deepEqual((await canvasPixels(fresh)).data, drawn.data);
  });
}));

test('on a phone-sized screen the canvas, tools and layers fit, and a finger draws', () => withApp(async ({ page, context }) => {
  const canvasBox = await canvasOf(page).boundingBox();
  assert.ok(canvasBox.width > 300 && canvasBox.x >= 0 && canvasBox.x + canvasBox.width <= 390, `canvas ${JSON.stringify(canvasBox)}`);
  await page.getByRole('button', { name: 'Add layer' }).waitFor();
  const cdp = await context.newCDPSession(page);
  const at = await sceneMapper(page);
  const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: points.map(([x, y]) => ({ ...at(x, y), id: 0, force: 0.5 })),
  });
  await touch('touchStart', [[100, 256]]);
  for (let i = 1; i <= 10; i++) await touch('touchMove', [[100 + i * 30, 256]]);
  await touch('touchEnd', []);
  assert.ok(!isWhite(pixel(await canvasPixels(page), 250, 256)));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}canvas-phone.png` });
}, { viewport: { width: 390, height: 844 }, hasTouch: true }));

test('the canvas speaks Chinese when the interface does', () => withApp(async ({ page }) => {
  await page.getByLabel('Language').selectOption('zh');
  await page.getByRole('button', { name: '画笔' }).waitFor();
  for (const [role, name] of [['button', '撤销'], ['button', '添加图层'], ['checkbox', '显示 Layer 1'], ['slider', '大小'], ['img', '画布图像']]) {
    assert.equal(await page.getByRole(role, { name, exact: true }).count(), 1, `${role} "${name}"`);
  }
  await page.getByLabel('导入图片').setInputFiles({ name: 'x.png', mimeType: 'image/png', buffer: encodePng(gradientImage(8, 8)) });
  await page.getByText('已导入“x.png”（8×8）作为画布。').waitFor();
}));

test('two tabs of one room: strokes appear in both, and undo takes back only your own', () => withApp(async ({ page, context }) => {
  const other = await context.newPage();
  await other.goto(session.server.url);
  await other.locator('#drawing-canvas:not([aria-busy="true"])').waitFor();

  await setBrush(page, { colour: '#ff0000', size: 24 });
  await mouseDrag(page, [[60, 150], [460, 150]]);
  await setBrush(other, { colour: '#0000ff', size: 24 });
  await mouseDrag(other, [[60, 350], [460, 350]]);
  const both = async (p) => {
    await p.waitForFunction(() => {
      const c = document.getElementById('drawing-canvas');
      const ctx = c.getContext('2d');
      return ctx.getImageData(256, 150, 1, 1).data[1] === 0 && ctx.getImageData(256, 350, 1, 1).data[1] === 0;
    });
  };
  await both(page);
  await both(other);

  await other.keyboard.press('Control+Z'); // the other tab's person undoes: only the blue line goes
  for (const p of [page, other]) {
    await p.waitForFunction(() => document.getElementById('drawing-canvas').getContext('2d').getImageData(256, 350, 1, 1).data[1] === 255);
    const pixels = await canvasPixels(p);
    assert.deepEqual(pixel(pixels, 256, 150), red, 'the first tab\'s red line stays');
  }
  assert.equal(await other.getByRole('button', { name: 'Undo' }).isDisabled(), true, 'nothing of theirs left to undo');
  assert.equal(await page.getByRole('button', { name: 'Undo' }).isDisabled(), false);
}));
