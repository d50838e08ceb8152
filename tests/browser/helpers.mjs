// Shared helpers for the browser tests: the server, Chromium, the page, and image maths.

import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

import { startServer } from '../../tools/serve.mjs';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Debian Chromium; `webgpu` adds the flag that exposes SwiftShader's adapter. */
export function launchChromium({ webgpu = false } = {}) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: webgpu ? [...chromiumArgs, '--enable-unsafe-webgpu'] : chromiumArgs,
  });
}

export { startServer };

/**
 * Opens the app (at `url`, by default the server's root) in a fresh context. Collects console errors and uncaught page errors (in
 * the page and its workers) into `problems`.
 */
export async function openApp(browser, server, { beforeLoad, viewport = { width: 1280, height: 800 }, hasTouch = false, url = server.url } = {}) {
  const context = await browser.newContext({ viewport, hasTouch });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('worker', (worker) => worker.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`worker console: ${msg.text()}`);
  }));
  await beforeLoad?.(context, page);
  await page.goto(url);
  await page.getByRole('status', { name: 'Inference backend' }).filter({ hasText: /^Backend/ }).waitFor(); // known or unavailable
  // The canvas is aria-busy until the room's scene is shown (and while images decode).
  await page.locator('#drawing-canvas:not([aria-busy="true"])').waitFor();
  return { context, page, problems };
}

/**
 * One server (startServer's `serverOptions`) and one Chromium for a test file (started before
 * its first test, closed after its last), and `withApp(fn, options)`: a fresh app context per test (openApp's options),
 * closed when `fn` ends.
 *   const session = appSession();
 *   test('...', () => session.withApp(async ({ page, problems }) => { ... }));
 */
export function appSession({ webgpu = false, serverOptions = {} } = {}) {
  let server;
  let browser;
  let starting;
  // Started by whichever asks first: this file's before hook or another before hook of the
  // test file (node:test does not promise to finish one root hook before the next starts).
  const ready = () => (starting ??= (async () => {
    server = await startServer({ port: 0, ...serverOptions });
    browser = await launchChromium({ webgpu });
  })());
  before(ready);
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    ready,
    get server() { return server; },
    get browser() { return browser; },
    async withApp(fn, options) {
      await ready();
      const app = await openApp(browser, server, options);
      try {
        await fn(app);
      } finally {
        await app.context.close();
      }
    },
  };
}

const canvasOf = (page) => page.getByRole('img', { name: 'Drawing canvas' });

/** Maps scene pixels to page coordinates through the canvas's on-screen box. */
export async function sceneMapper(page) {
  const box = await canvasOf(page).boundingBox();
  const { width, height } = await canvasOf(page).evaluate((c) => ({ width: c.width, height: c.height }));
  return (x, y) => ({ x: box.x + (x * box.width) / width, y: box.y + (y * box.height) / height });
}

/** Drags the mouse through scene points [[x, y], ...], `steps` moves between each pair. */
export async function mouseDrag(page, points, steps = 8) {
  const at = await sceneMapper(page);
  const [first, ...rest] = points.map(([x, y]) => at(x, y));
  await page.mouse.move(first.x, first.y);
  await page.mouse.down();
  for (const p of rest) await page.mouse.move(p.x, p.y, { steps });
  await page.mouse.up();
}

export function chatInput(page) {
  return page.getByRole('textbox', { name: 'Message' });
}

export async function sendChat(page, text) {
  const input = chatInput(page);
  await input.fill(text);
  await input.press('Enter');
}

/** The canvas's pixels as {width, height, data: Uint8Array}. */
export async function canvasPixels(page) {
  const { width, height, base64 } = await page.getByRole('img', { name: 'Drawing canvas' }).evaluate((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, height: canvas.height, base64: new Uint8Array(data.buffer).toBase64() };
  });
  return { width, height, data: new Uint8Array(Buffer.from(base64, 'base64')) };
}

/**
 * Clicks "Use as canvas" on the chat message that holds `image` and waits for the notice the
 * app posts once the canvas has been replaced: reading the canvas straight after the click
 * could still see the previous picture.
 */
export async function useAsCanvas(page, image, width, height) {
  await page.getByRole('listitem').filter({ has: image }).getByRole('button', { name: 'Use as canvas' }).click();
  await page.getByText(`The canvas is now this ${width}×${height} image`).last().waitFor();
}

/** The decoded pixels of an <img> in the page. */
export async function imagePixels(imgLocator) {
  const { width, height, base64 } = await imgLocator.evaluate(async (img) => {
    await img.decode();
    const ctx = new OffscreenCanvas(img.naturalWidth, img.naturalHeight).getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.naturalWidth, img.naturalHeight).data;
    return { width: img.naturalWidth, height: img.naturalHeight, base64: new Uint8Array(data.buffer).toBase64() };
  });
  return { width, height, data: new Uint8Array(Buffer.from(base64, 'base64')) };
}

/** Puts `image` on the canvas through the Import image file input, as a user would. */
export async function importImage(page, image, name = 'test.png') {
  await chooseImageFile(page, image, name);
  await page.getByText(`Imported “${name}”`).waitFor();
}

/** Picks `image` (as a PNG file) in the Import image picker, without waiting for the import. */
export async function chooseImageFile(page, image, name = 'test.png') {
  await page.getByLabel('Import image').setInputFiles({ name, mimeType: 'image/png', buffer: encodePng(image) });
}

// ---- images ------------------------------------------------------------------------------

export function encodePng({ width, height, data }) {
  const png = new PNG({ width, height });
  png.data = Buffer.from(data);
  return PNG.sync.write(png);
}

/** A crop of a photo from scikit-image's sample data (python3-skimage), as RGBA. */
export function readSamplePhoto(name, { x, y, width, height }) {
  const png = PNG.sync.read(readFileSync(`/usr/lib/python3/dist-packages/skimage/data/${name}`));
  const data = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * png.width + x) * 4;
    data.set(png.data.subarray(from, from + width * 4), row * width * 4);
  }
  return { width, height, data };
}

/** Downscales by 2 with a 2x2 box average (area filter), the usual SR degradation. */
export function downscaleArea2x({ width, height, data }) {
  const w = width >> 1;
  const h = height >> 1;
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        const at = (dx, dy) => data[((2 * y + dy) * width + 2 * x + dx) * 4 + c];
        out[(y * w + x) * 4 + c] = Math.round((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4);
      }
    }
  }
  return { width: w, height: h, data: out };
}

function cubicWeight(t) {
  // Keys' kernel with a = -0.5 (the common "bicubic" of PIL, OpenCV and browsers).
  const a = -0.5;
  const x = Math.abs(t);
  if (x <= 1) return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1;
  if (x < 2) return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a;
  return 0;
}

/** Bicubic resize (pixel centres aligned, edges clamped), the baseline SR must beat. */
export function resizeBicubic({ width, height, data }, outWidth, outHeight) {
  const out = new Uint8Array(outWidth * outHeight * 4);
  const clamp = (v, hi) => Math.min(hi, Math.max(0, v));
  for (let oy = 0; oy < outHeight; oy++) {
    const sy = ((oy + 0.5) * height) / outHeight - 0.5;
    const y0 = Math.floor(sy);
    for (let ox = 0; ox < outWidth; ox++) {
      const sx = ((ox + 0.5) * width) / outWidth - 0.5;
      const x0 = Math.floor(sx);
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let j = -1; j <= 2; j++) {
          const wy = cubicWeight(sy - (y0 + j));
          const row = clamp(y0 + j, height - 1) * width;
          for (let i = -1; i <= 2; i++) {
            sum += wy * cubicWeight(sx - (x0 + i)) * data[(row + clamp(x0 + i, width - 1)) * 4 + c];
          }
        }
        out[(oy * outWidth + ox) * 4 + c] = clamp(Math.round(sum), 255);
      }
    }
  }
  return { width: outWidth, height: outHeight, data: out };
}

/** PSNR in dB over the RGB channels. */
export function psnrRgb(a, b) {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += (a.data[i + c] - b.data[i + c]) ** 2;
  }
  const mse = sum / (a.width * a.height * 3);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Deterministic smooth colour image (no photo needed), for tests that only need content. */
export function gradientImage(width, height) {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128 + 100 * Math.sin((x + y) / 17);
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

// ---- the upscale scenario ----------------------------------------------------------------

/**
 * End to end, as a user: a photo crop is downscaled 2x (area) and imported as the canvas,
 * `/upscale 2` is sent from the chat box, the result message appears, and its pixels (taken
 * exactly through "Use as canvas", and as shown in the chat as WebP) are compared with the
 * original crop. Returns sizes, PSNRs and the status line.
 */
export async function runUpscaleScenario(page, { photo = 'astronaut.png', crop = { x: 180, y: 80, width: 128, height: 128 }, timeout = 120_000 } = {}) {
  const truth = readSamplePhoto(photo, crop);
  const lowRes = downscaleArea2x(truth);
  await importImage(page, lowRes, 'low-res.png');

  await sendChat(page, '/upscale 2');
  const { width, height } = truth;
  const result = page.getByRole('img', { name: `The canvas upscaled ×2, ${width}×${height} pixels` });
  await result.waitFor({ timeout });
  const shown = await imagePixels(result);

  await useAsCanvas(page, result, width, height);
  const exact = await canvasPixels(page);
  const bicubic = resizeBicubic(lowRes, width, height);
  return {
    shownSize: [shown.width, shown.height],
    exactSize: [exact.width, exact.height],
    psnrExact: psnrRgb(exact, truth),
    psnrShownWebp: psnrRgb(shown, truth),
    psnrBicubic: psnrRgb(bicubic, truth),
    status: await page.getByRole('status', { name: 'Inference backend' }).textContent(),
  };
}
