// The safety check in Chromium (share/safety-gate.js): a picture the classifier flags
// (tests/data/safety-trigger.png: abstract shapes it misreads as explicit) is shared only
// when the person confirms, and is put into a room shared with others only when they
// confirm, and so is a job's result (an upscale) before it is posted there; an ordinary
// picture shares with no question. Real model, real worker.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PNG } from 'pngjs';

import { appSession, canvasPixels, chooseImageFile, gradientImage, importImage, sendChat } from './helpers.mjs';

const { withApp } = appSession();
const trigger = PNG.sync.read(readFileSync(new URL('../data/safety-trigger.png', import.meta.url)));
const flagged = { width: trigger.width, height: trigger.height, data: new Uint8Array(trigger.data) };

const shareDialog = (page) => page.getByRole('dialog', { name: 'Share this picture' });
const question = (page) => page.getByRole('alertdialog', { name: 'Check before sharing' });

test('a flagged picture is shared only after the person confirms; an ordinary one at once', () => withApp(async ({ page, problems }) => {
  await importImage(page, flagged, 'shapes.png');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await question(page).waitFor({ timeout: 60_000 });
  assert.match(await question(page).textContent(), /may be explicit \(\d+% sure\)/);
  await question(page).getByRole('button', { name: 'Don’t share' }).click();
  await page.getByText('Not shared: nothing left this browser.').waitFor();
  assert.equal(await shareDialog(page).count(), 0, 'no link was made');

  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await question(page).getByRole('button', { name: 'Share anyway' }).click();
  const link = await shareDialog(page).getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.match(link, /#share=1\./);
  await shareDialog(page).getByRole('button', { name: 'Close' }).click();

  // An ordinary picture: straight to the link.
  await page.getByRole('button', { name: 'Clear' }).click();
  await importImage(page, gradientImage(96, 96), 'gradient.png');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await shareDialog(page).waitFor();
  assert.equal(await question(page).count(), 0);
  assert.deepEqual(problems, []);
}));

test('in a room shared with others, a flagged import waits for the person; refusing keeps the canvas', () => withApp(async ({ page }) => {
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  const before = await canvasPixels(page);
  await chooseImageFile(page, flagged, 'shapes.png');
  await question(page).waitFor({ timeout: 60_000 });
  assert.match(await question(page).textContent(), /this room is shared with other people/);
  await question(page).getByRole('button', { name: 'Don’t share' }).click();
  await page.getByText('Not added to the shared room.').waitFor();
  assert.deepEqual(await canvasPixels(page), before, 'the canvas is unchanged');

  await chooseImageFile(page, flagged, 'shapes.png');
  await question(page).getByRole('button', { name: 'Put it in the room' }).click();
  await page.getByText(/Imported “shapes\.png”/).waitFor();
}));

test('in a shared room, a job\'s flagged result waits for the person too; refused, it is not posted', () => withApp(async ({ page }) => {
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await chooseImageFile(page, flagged, 'shapes.png');
  await question(page).getByRole('button', { name: 'Put it in the room' }).click();
  await page.getByText(/Imported “shapes\.png”/).waitFor();
  const images = page.locator('figure.image-message');
  const before = await images.count();

  await sendChat(page, '/upscale 2');
  await question(page).waitFor({ timeout: 120_000 }); // the upscaled picture is checked before it is posted
  await question(page).getByRole('button', { name: 'Don’t share' }).click();
  await page.getByText('Not added to the shared room: the result was set aside.').waitFor();
  assert.equal(await images.count(), before, 'no picture was posted');

  await sendChat(page, '/upscale 2');
  await question(page).getByRole('button', { name: 'Put it in the room' }).click({ timeout: 120_000 });
  await page.getByRole('img', { name: /The canvas upscaled ×2/ }).waitFor();
}));

