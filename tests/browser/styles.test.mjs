// The canvas's Styles dialog in Chromium, used as a person would: previews of every operation
// made by the inference worker's core, a slider that redraws its preview and cannot leave its
// range, Apply changing the picture and Undo restoring it exactly; then in Chinese, Esc.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { appSession, canvasPixels, encodePng, gradientImage, imagePixels, importImage, sendChat } from './helpers.mjs';

const session = appSession();

const canvasOf = (page) => page.getByRole('img', { name: 'Drawing canvas' });

// A mid-grey band: line art keeps its edges dark and turns its inside white (luma above the
// threshold), so the result differs from the drawing over thousands of pixels.
async function drawStroke(page) {
  await page.getByLabel('Colour').fill('#999999');
  await page.getByRole('slider', { name: 'Size' }).fill('24');
  const box = await canvasOf(page).boundingBox();
  const at = (fx, fy) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(0.2, 0.3));
  await page.mouse.down();
  await page.mouse.move(...at(0.8, 0.7), { steps: 20 });
  await page.mouse.up();
}

const thumbData = (page, op) => page.locator(`canvas.style-thumb[data-op="${op}"]`).evaluate((c) => c.toDataURL());

test('Styles: previews, a clamped slider, Apply changes the picture, Undo restores it', () => session.withApp(async ({ context, page, problems }) => {
  await drawStroke(page);
  const drawn = await canvasPixels(page);
  // 512 x 512: Apply runs lineart as bands of rows on the band workers (stylize-bands.js).
  assert.deepEqual([drawn.width, drawn.height], [512, 512]);

  await page.getByRole('button', { name: 'Styles' }).click();
  const dialog = page.getByRole('dialog', { name: 'Styles' });
  await dialog.waitFor();
  const radios = dialog.getByRole('radio');
  await radios.first().waitFor();
  const count = await radios.count();
  assert.ok(count >= 8, `${count} operations offered`);
  await page.waitForFunction((n) => document.querySelectorAll('canvas.style-thumb[data-ready="true"]').length === n, count, { timeout: 60_000 });
  // A thumbnail is the picture at reduced size, and shows the stroke (not a blank square).
  const thumb = await dialog.getByRole('img', { name: 'Preview of posterize' }).evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 250) dark++;
    return { width: c.width, height: c.height, dark };
  });
  assert.ok(thumb.width <= 96 && thumb.height <= 96 && thumb.dark > 20, JSON.stringify(thumb));

  await dialog.getByRole('radio', { name: 'lineart', exact: true }).check();
  const sigma = dialog.getByRole('slider', { name: 'sigma' });
  assert.deepEqual(await sigma.evaluate((s) => [s.min, s.max]), ['0.3', '8']);
  await sigma.fill('-5'); // the UI cannot hold an out-of-range value
  assert.equal(await sigma.inputValue(), '0.3');
  await sigma.fill('1000');
  assert.equal(await sigma.inputValue(), '8');
  const before = await thumbData(page, 'lineart');
  await sigma.fill('2.5');
  await page.waitForFunction((old) => document.querySelector('canvas.style-thumb[data-op="lineart"]').toDataURL() !== old, before);

  await dialog.getByRole('button', { name: 'Apply' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
  await page.locator('#drawing-canvas:not([aria-busy="true"])').waitFor();
  const styled = await canvasPixels(page);
  let changed = 0;
  for (let i = 0; i < styled.data.length; i += 4) if (styled.data[i] !== drawn.data[i]) changed++;
  assert.ok(changed > 1000, `${changed} pixels changed by lineart`);

  await page.getByRole('button', { name: 'Undo' }).click();
  assert.deepEqual((await canvasPixels(page)).data, drawn.data, 'Undo restores the picture exactly');

  // In Chinese: the button, dialog and descriptions are translated; Esc closes it unchanged.
  await page.getByLabel('Language').selectOption('zh');
  await page.getByRole('button', { name: '风格' }).click();
  const zhDialog = page.getByRole('dialog', { name: '风格' });
  await zhDialog.getByText('铅笔素描 / 线稿（XDoG）').waitFor();
  await zhDialog.getByRole('radio', { name: 'lineart', exact: true }).focus();
  await page.keyboard.press('Escape');
  await zhDialog.waitFor({ state: 'hidden' });
  await page.getByLabel('语言').selectOption('en'); // canvasPixels finds the canvas by its English name
  assert.deepEqual((await canvasPixels(page)).data, drawn.data, 'closing the dialog changes nothing');
  assert.deepEqual(problems, []);
}));

test('Restyle under a chat image: pick a style, get a restyled copy; the original stays', () => session.withApp(async ({ page, problems }) => {
  await importImage(page, gradientImage(64, 64), 'small.png');
  await sendChat(page, '/upscale 2');
  const upscaled = page.getByRole('img', { name: 'The canvas upscaled ×2, 128×128 pixels' });
  await upscaled.waitFor({ timeout: 120_000 });
  const original = await imagePixels(upscaled);

  await page.locator('figure.image-message').filter({ has: upscaled }).getByRole('button', { name: 'Restyle' }).click();
  const picker = page.getByRole('dialog', { name: 'Restyle this image' });
  await picker.getByRole('button', { name: 'posterize', exact: true }).click();
  const restyled = page.getByRole('img', { name: 'The image restyled as posterize, 128×128 pixels' });
  await restyled.waitFor({ timeout: 60_000 });
  const pixels = await imagePixels(restyled);
  let changed = 0;
  for (let i = 0; i < pixels.data.length; i += 4) if (Math.abs(pixels.data[i] - original.data[i]) > 8) changed++;
  assert.ok(changed > 500, `${changed} pixels changed by posterize`);
  assert.deepEqual(await imagePixels(upscaled), original, 'the original is unchanged');

  // Cancel in the menu does nothing.
  await page.locator('figure.image-message').filter({ has: upscaled }).getByRole('button', { name: 'Restyle' }).click();
  await picker.getByRole('button', { name: 'Cancel' }).click();
  await picker.waitFor({ state: 'detached' });
  assert.equal(await page.locator('figure.image-message').count(), 2);
  assert.deepEqual(problems, []);
}));

// The colour tools of the Styles dialog: the picture's palette as swatches that set the brush
// colour, and colour transfer from a reference picture the person picks (Apply refuses
// without one), undone in one step.
test('Styles: palette swatches set the brush colour; colour transfer from a reference picture', () => session.withApp(async ({ page, problems }) => {
  await drawStroke(page);
  const drawn = await canvasPixels(page);
  await page.getByRole('button', { name: 'Styles' }).click();
  const dialog = page.getByRole('dialog', { name: 'Styles' });
  await dialog.waitFor();

  // White paper and the grey stroke are the picture's two main colours.
  const swatches = dialog.getByRole('region', { name: 'Palette of this picture' }).getByRole('button');
  await swatches.first().waitFor();
  const colours = await swatches.evaluateAll((buttons) => buttons.map((b) => b.dataset.colour));
  assert.equal(colours[0], '#ffffff', colours.join(' '));
  assert.ok(colours.includes('#999999'), colours.join(' '));
  await dialog.getByRole('button', { name: 'Paint with #999999' }).click();
  assert.equal(await page.getByLabel('Colour').inputValue(), '#999999');
  await page.getByText('The brush now paints with #999999.').waitFor();

  await dialog.getByRole('radio', { name: 'colortransfer', exact: true }).check();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await dialog.getByText('Choose a reference picture first').waitFor();
  // A file that is not a picture: the dialog says so by name and still has no reference.
  await dialog.getByLabel('Reference picture').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
  await dialog.getByText('Could not open “broken.png”: it is not a readable image').waitFor();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await dialog.getByText('Choose a reference picture first').waitFor();
  assert.deepEqual((await canvasPixels(page)).data, drawn.data, 'a broken reference changes nothing');
  const orange = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).map((_, i) => [250, 140, 40, 255][i % 4]) };
  const before = await thumbData(page, 'colortransfer');
  await dialog.getByLabel('Reference picture').setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: encodePng(orange) });
  await dialog.getByText('sunset.png').waitFor();
  await page.waitForFunction((old) => document.querySelector('canvas.style-thumb[data-op="colortransfer"]').toDataURL() !== old, before);
  // For the user guide: tall enough that the whole dialog shows.
  await page.setViewportSize({ width: 1280, height: 1300 });
  await dialog.evaluate((d) => { d.scrollTop = 0; });
  await dialog.screenshot({ path: new URL('../../docs/images/styles-colours.png', import.meta.url).pathname });
  await page.setViewportSize({ width: 1280, height: 800 });
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
  await page.locator('#drawing-canvas:not([aria-busy="true"])').waitFor();
  // A flat reference: every colour moves onto its colour (its spread is zero).
  const styled = await canvasPixels(page);
  const corner = Array.from(styled.data.subarray(0, 3));
  assert.ok(Math.abs(corner[0] - 250) <= 3 && Math.abs(corner[1] - 140) <= 3 && Math.abs(corner[2] - 40) <= 3, `corner ${corner}`);
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.deepEqual((await canvasPixels(page)).data, drawn.data, 'Undo restores the picture exactly');
  assert.deepEqual(problems, []);
}));

// A band worker that cannot start (here its script is missing) must not cost the person the
// style: the inference worker's own core makes it, the same picture as through the bands.
test('Styles: when band workers cannot start, Apply still styles the picture on one core', () => session.withApp(async ({ context, page, problems }) => {
  await drawStroke(page);
  const drawn = await canvasPixels(page);
  const styleWith = async () => {
    await page.getByRole('button', { name: 'Styles' }).click();
    const dialog = page.getByRole('dialog', { name: 'Styles' });
    await dialog.getByRole('radio', { name: 'oil', exact: true }).check();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
    await page.locator('#drawing-canvas:not([aria-busy="true"])').waitFor();
    return canvasPixels(page);
  };
  let refused = 0;
  await context.route('**/app/stylize-band-worker.js', (route) => {
    refused++;
    return route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' });
  });
  const single = await styleWith(); // 512 x 512: the bands are tried first
  assert.ok(refused > 0, 'the band workers were asked for');
  assert.notDeepEqual(single.data, drawn.data, 'oil changed the picture');

  // With the script back, the next Apply starts new band workers: the same bytes.
  await context.unroute('**/app/stylize-band-worker.js');
  let served = 0;
  await context.route('**/app/stylize-band-worker.js', (route) => {
    served++;
    return route.continue();
  });
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.deepEqual((await canvasPixels(page)).data, drawn.data);
  const banded = await styleWith();
  assert.ok(served > 0, 'the second Apply went through new band workers');
  assert.deepEqual(banded.data, single.data, 'one core makes the same picture as the bands');
  assert.deepEqual(problems.filter((p) => !/stylize-band-worker|404/.test(p)), []);
}));

// Big pictures are styled in bands of rows by several workers (web/src/workers/stylize-bands.js):
// the real band worker file, started by the app's page under its CSP, gives the same bytes as
// one core making the whole image (here the Node build of the same core).
test('Band workers in the browser make the same bytes as one core', () => session.withApp(async ({ page, problems }) => {
  const { loadHuabuCore } = await import('../../wasm/huabu-core.js');
  const { loadCjsFactory } = await import('../node/wasm-module.mjs');
  const core = await loadHuabuCore(loadCjsFactory());
  const width = 160;
  const height = 120;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    const x = (i / 4) % width;
    const y = Math.floor(i / 4 / width);
    data.set([(x * 255) / width, (y * 255) / height, (x * y) & 255, 255], i);
  }
  for (const op of ['oil', 'halftone']) {
    const expected = core.stylize({ width, height, data }, op, {}).data;
    const banded = await page.evaluate(async ({ width, height, pixels, op }) => {
      const image = { width, height, data: new Uint8Array(pixels) };
      const bands = [{ first: 0, count: 50 }, { first: 50, count: 70 }];
      const parts = await Promise.all(bands.map((rows) => new Promise((resolve, reject) => {
        const worker = new Worker('/app/stylize-band-worker.js', { type: 'module' });
        worker.onmessage = ({ data: reply }) => {
          if (reply.progress !== undefined) return;
          worker.terminate();
          if (reply.result) resolve([...new Uint8Array(reply.result.data)]);
          else reject(new Error(reply.error.message));
        };
        worker.onerror = (event) => reject(new Error(event.message));
        worker.postMessage({ image, op, params: {}, rows });
      })));
      return parts.flat();
    }, { width, height, pixels: [...data], op });
    assert.equal(banded.length, expected.length, op);
    assert.ok(banded.every((v, i) => v === expected[i]), `${op}: bands differ from the whole image`);
  }
  assert.deepEqual(problems, []);
}));
