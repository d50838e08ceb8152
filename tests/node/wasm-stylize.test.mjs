// The stylize operations through the JS API (the calls the app's style menu makes), and the
// native CLI producing the very same bytes as the wasm module for every operation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';

import { extractPalette as extractPaletteJs } from '../../bench/js/palette.mjs';
import { HuabuError, loadHuabuCore } from '../../wasm/huabu-core.js';
import { loadCjsFactory, root } from './wasm-module.mjs';

const core = await loadHuabuCore(loadCjsFactory());
const cli = path.join(root, 'build/native/cli/huabu-cli');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-stylize-'));

// A small scene: gradient background, a disc, a dark bar.
function scene(w, h) {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const disc = (x - w / 3) ** 2 + (y - h / 2) ** 2 < (h / 4) ** 2;
      const bar = x > (2 * w) / 3 && x < (2 * w) / 3 + w / 10;
      data.set(disc ? [220, 90, 40, 255] : bar ? [30, 30, 40, 255] : [60 + (x * 120) / w, 80 + (y * 140) / h, 200 - (x * 100) / w, 255], 4 * (y * w + x));
    }
  }
  return { width: w, height: h, data };
}

const throwsCode = (fn, code, pattern) =>
  assert.throws(fn, (e) => e instanceof HuabuError && e.code === code && (!pattern || pattern.test(e.message)));

test('styleOps lists every operation with parameter ranges and defaults', () => {
  const ops = core.styleOps();
  assert.deepEqual(ops.map((o) => o.name), ['lineart', 'ink', 'oil', 'watercolor', 'cartoon', 'pixelart', 'halftone', 'posterize']);
  for (const op of ops) {
    assert.ok(op.summary.length > 0);
    for (const p of op.params) {
      assert.ok(p.min <= p.default && p.default <= p.max, `${op.name}.${p.name}`);
      assert.equal(typeof p.integer, 'boolean');
    }
  }
});

test('stylize keeps the size and alpha, reports progress, and can be cancelled', () => {
  const img = scene(64, 48);
  img.data[3] = 7;
  const seen = [];
  const out = core.stylize(img, 'cartoon', { levels: 4 }, (f) => { seen.push(f); });
  assert.equal(out.width, 64);
  assert.equal(out.height, 48);
  assert.equal(out.data[3], 7);
  assert.ok(seen.length >= 2 && seen.at(-1) === 1, `progress ${seen}`);
  throwsCode(() => core.stylize(img, 'oil', {}, () => false), 'cancelled');
});

test('bad operations, parameters and images throw invalid_argument naming the value', () => {
  const img = scene(8, 8);
  throwsCode(() => core.stylize(img, 'sepia', {}), 'invalid_argument', /'sepia'/);
  throwsCode(() => core.stylize(img, 'oil', { radius: 99 }), 'invalid_argument', /radius 99 must be in 2\.\.12/);
  throwsCode(() => core.stylize(img, 'oil', { radius: '3' }), 'invalid_argument', /params\.radius must be a number/);
  throwsCode(() => core.stylize(img, 'oil', { brush: 3 }), 'invalid_argument', /unknown parameter 'brush'/);
  throwsCode(() => core.stylize({ width: 0, height: 8, data: new Uint8Array(0) }, 'oil', {}), 'invalid_argument');
  throwsCode(() => core.stylize(img, 'oil', {}, 'fast'), 'invalid_argument', /onProgress must be a function/);
  throwsCode(() => core.quantize(img, new Uint8Array(4), 'none'), 'invalid_argument', /triples/);
  throwsCode(() => core.quantize(img, new Uint8Array([0, 0, 0]), 'atkinson'), 'invalid_argument', /'atkinson'/);
  throwsCode(() => core.colorTransfer(img, img, 2), 'invalid_argument', /strength/);
  throwsCode(() => core.extractPalette(img, 0), 'invalid_argument', /1\.\.256/);
});

test('palette, quantize and colour transfer', () => {
  const img = scene(40, 30);
  const palette = core.extractPalette(img, 8);
  assert.equal(palette.length % 3, 0);
  assert.ok(palette.length / 3 >= 3 && palette.length / 3 <= 8);
  const q = core.quantize(img, palette, 'floyd-steinberg');
  const colours = new Set();
  for (let i = 0; i < q.data.length; i += 4) colours.add(`${q.data[i]},${q.data[i + 1]},${q.data[i + 2]}`);
  for (const c of colours) {
    const [r, g, b] = c.split(',').map(Number);
    let found = false;
    for (let i = 0; i < palette.length; i += 3) found ||= palette[i] === r && palette[i + 1] === g && palette[i + 2] === b;
    assert.ok(found, `${c} is not a palette colour`);
  }
  const warm = { width: 2, height: 2, data: new Uint8Array([250, 140, 40, 255, 250, 140, 40, 255, 250, 140, 40, 255, 250, 140, 40, 255]) };
  const moved = core.colorTransfer(img, warm, 1);
  for (let i = 0; i < moved.data.length; i += 4) assert.ok(Math.abs(moved.data[i] - 250) <= 2 && Math.abs(moved.data[i + 2] - 40) <= 2);
});

// The binding streams the image through a 256 KB band buffer: an image of several bands with
// a ragged last one, transparent rows first, against the plain-JS median cut of bench/js.
test('palette of a multi-band image equals the plain-JS median cut', () => {
  const img = scene(301, 997);
  for (let i = 3; i < 301 * 40 * 4; i += 4) img.data[i] = 0;  // 40 transparent rows, not counted
  for (const colors of [1, 5, 16, 64]) {
    assert.deepEqual(Array.from(core.extractPalette(img, colors)), extractPaletteJs(img, colors).flat(), `${colors} colours`);
  }
});

// 640 x 520: the CLI makes row-local operations in bands on several threads.
test('the CLI\'s bands on 3 threads give the bytes of one thread and of wasm', () => {
  const img = scene(640, 520);
  const input = path.join(tmp, 'big.webp');
  fs.writeFileSync(input, core.encodeWebp(img, { lossless: true }));
  for (const name of ['cartoon', 'halftone']) {
    const outputs = ['3', '1'].map((threads) => {
      const output = path.join(tmp, `${name}-${threads}.webp`);
      const r = spawnSync(cli, ['stylize', name, input, output, '--lossless', '--threads', threads], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return core.decodeWebp(fs.readFileSync(output)).data;
    });
    assert.deepEqual(outputs[0], outputs[1], name);
    assert.deepEqual(outputs[0], core.stylize(img, name, {}).data, name);
  }
  const bad = spawnSync(cli, ['stylize', 'oil', input, path.join(tmp, 'x.webp'), '--threads', '0'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--threads needs a whole number in 1\.\.64/);
});

test('native CLI and wasm produce identical bytes for every operation', () => {
  const img = scene(72, 56);
  const input = path.join(tmp, 'in.webp');
  fs.writeFileSync(input, core.encodeWebp(img, { lossless: true }));
  for (const { name } of core.styleOps()) {
    const output = path.join(tmp, `${name}.webp`);
    const r = spawnSync(cli, ['stylize', name, input, output, '--lossless'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const native = core.decodeWebp(fs.readFileSync(output));
    const wasm = core.stylize(img, name, {});
    assert.deepEqual(native.data, wasm.data, name);
  }
});
