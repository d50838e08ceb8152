// huabu-cli sketch2img and style-transfer: a drawing into a picture with models/huabu-sketch,
// a picture redrawn as an emoji set with models/huabu-style, through the native engine
// (OpenCV dnn, float16 weights widened and the batch pinned at load), ×4 by huabu-sr-x4;
// clear errors for an empty input, an unknown or missing style and a broken model directory.
// (Native vs browser parity: tests/browser/sketch.test.mjs.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'build/native/cli/huabu-cli');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-sketch2img-'));
const run = (...args) => spawnSync(cli, args, { encoding: 'utf8' });
const sketch = path.join(root, 'models/huabu-sketch/reference-sketch.png');

function writePng(file, width, height, pixel) {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(pixel(x, y), (y * width + x) * 4);
  fs.writeFileSync(file, PNG.sync.write(png));
}

test('a drawing becomes a 512x512 picture (x4), or 128x128 with --upscale 1; the same input gives the same bytes', () => {
  const big = path.join(tmp, 'big.png');
  const r = run('sketch2img', sketch, big);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /big\.png: 512 x 512/);
  assert.match(r.stderr, /sketch2img: huabu-sketch/);
  assert.match(r.stderr, /upscale: huabu-sr-x4 tile \d+\/\d+/);

  const small = path.join(tmp, 'small.png');
  assert.equal(run('sketch2img', sketch, small, '--upscale', '1', '--style', 'twemoji').status, 0);
  assert.match(run('info', small).stdout, /128 x 128/);
  const again = path.join(tmp, 'again.png');
  assert.equal(run('sketch2img', sketch, again, '--upscale', '1', '--style', 'twemoji').status, 0);
  assert.deepEqual(fs.readFileSync(again), fs.readFileSync(small));
  const noto = path.join(tmp, 'noto.png');
  assert.equal(run('sketch2img', sketch, noto, '--upscale', '1', '--style', 'noto').status, 0);
  assert.notDeepEqual(fs.readFileSync(noto), fs.readFileSync(small), 'the style changes the picture');
});

test('an empty drawing, an unknown style and bad options are clear errors', () => {
  const blank = path.join(tmp, 'blank.png');
  writePng(blank, 64, 48, () => [255, 255, 255, 255]);
  const empty = run('sketch2img', blank, path.join(tmp, 'x.png'));
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /invalid_argument: empty sketch: nothing is drawn/);

  const style = run('sketch2img', sketch, path.join(tmp, 'x.png'), '--style', 'watercolour');
  assert.equal(style.status, 1);
  assert.match(style.stderr, /unknown style 'watercolour'; huabu-sketch knows: noto, twemoji/);

  assert.match(run('sketch2img', sketch, path.join(tmp, 'x.png'), '--upscale', '2').stderr, /--upscale takes 1 or 4/);
  assert.match(run('sketch2img', sketch, path.join(tmp, 'x.png'), '--quality', 'high').stderr, /--quality must be a number/);
  assert.match(run('sketch2img', sketch).stderr, /sketch2img takes IN and OUT/);
  const wrongTask = run('sketch2img', sketch, path.join(tmp, 'x.png'), '--model-dir', path.join(root, 'models/huabu-sr-x2'));
  assert.equal(wrongTask.status, 1);
  assert.match(wrongTask.stderr, /corrupt_data: .*task is not sketch-to-image/);
  const dir = run('sketch2img', tmp, path.join(tmp, 'x.png'));
  assert.equal(dir.status, 1);
  assert.doesNotMatch(dir.stderr, /terminate called/);
});

test('style-transfer redraws a picture as an emoji set: 512x512, deterministic, the set changes it', () => {
  const picture = path.join(root, 'models/huabu-style/reference-input.png');
  const out3d = path.join(tmp, '3d.png');
  const r = run('style-transfer', picture, out3d, '--style', 'fluent-3d');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3d\.png: 512 x 512/);
  assert.match(r.stderr, /style-transfer: huabu-style/);
  const again = path.join(tmp, '3d-again.png');
  assert.equal(run('style-transfer', picture, again, '--style', 'fluent-3d').status, 0);
  assert.deepEqual(fs.readFileSync(again), fs.readFileSync(out3d));
  const outline = path.join(tmp, 'outline.png');
  assert.equal(run('style-transfer', picture, outline, '--style', 'openmoji-outline', '--upscale', '1').status, 0);
  assert.match(run('info', outline).stdout, /128 x 128/);
});

test('style-transfer: no --style, an unknown set, an all-white picture and a sketch model are clear errors', () => {
  const picture = path.join(root, 'models/huabu-style/reference-input.png');
  const none = run('style-transfer', picture, path.join(tmp, 'x.png'));
  assert.equal(none.status, 1);
  assert.match(none.stderr, /style-transfer needs --style NAME/);
  assert.match(run('style-transfer', picture, path.join(tmp, 'x.png'), '--style', 'oil').stderr,
    /unknown style 'oil'; huabu-style knows: noto, twemoji/);
  const blank = path.join(tmp, 'blank-picture.png');
  writePng(blank, 40, 30, () => [255, 255, 255, 0]);
  assert.match(run('style-transfer', blank, path.join(tmp, 'x.png'), '--style', 'noto').stderr,
    /invalid_argument: empty picture: it is all white or transparent/);
  assert.match(run('style-transfer', picture, path.join(tmp, 'x.png'), '--style', 'noto', '--model-dir',
    path.join(root, 'models/huabu-sketch')).stderr, /task is not style-transfer/);
});

test('model-info refuses a directory instead of crashing', () => {
  const r = run('model-info', tmp);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /invalid_argument: cannot open .* not a file/);
});
