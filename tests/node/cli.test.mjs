// The native command-line tool (./huabu cli): PNG and WebP in and out, resize, and clear
// errors with distinct exit codes for failed operations (1) and bad usage (2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'build/native/cli/huabu-cli');
const photo = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huabu-cli-'));
const run = (...args) => spawnSync(cli, args, { encoding: 'utf8' });

test('resize a PNG to WebP keeps the aspect ratio and reads back', () => {
  const out = path.join(tmp, 'small.webp');
  const r = run('resize', photo, out, '--width', '128', '--quality', '80');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(out).subarray(8, 12).toString(), 'WEBP');
  assert.match(run('info', out).stdout, /128 x 128 RGBA8/);
});

test('lossless WebP -> PNG -> WebP round trip preserves the pixels', () => {
  const a = path.join(tmp, 'a.webp');
  const b = path.join(tmp, 'b.png');
  const c = path.join(tmp, 'c.webp');
  assert.equal(run('resize', photo, a, '--width', '64', '--lossless').status, 0);
  assert.equal(run('convert', a, b).status, 0);
  assert.equal(run('convert', b, c, '--lossless').status, 0);
  // Same pixels encoded losslessly the same way give the same bytes.
  assert.deepEqual(fs.readFileSync(c), fs.readFileSync(a));
});

test('corrupt and truncated files fail with corrupt_data, exit 1', () => {
  const bad = path.join(tmp, 'bad.webp');
  fs.writeFileSync(bad, 'RIFF\x10\x00\x00\x00WEBPVP8 garbage');
  const r = run('info', bad);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /corrupt_data/);
  const truncated = path.join(tmp, 'truncated.png');
  fs.writeFileSync(truncated, fs.readFileSync(photo).subarray(0, 200));
  const t = run('convert', truncated, path.join(tmp, 'x.webp'));
  assert.equal(t.status, 1);
  assert.match(t.stderr, /corrupt_data: .*PNG/);
});

test('bad arguments name the bad value', () => {
  const zero = run('resize', photo, path.join(tmp, 'z.png'), '--width', '0');
  assert.equal(zero.status, 1);
  assert.match(zero.stderr, /width 0/);
  const filter = run('resize', photo, path.join(tmp, 'f.png'), '--width', '8', '--filter', 'sharpest');
  assert.equal(filter.status, 1);
  assert.match(filter.stderr, /sharpest/);
  const unknown = run('frobnicate', photo);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const ext = run('convert', photo, path.join(tmp, 'out.gif'));
  assert.equal(ext.status, 1);
  assert.match(ext.stderr, /unsupported/);
});

test('stylize runs an operation with parameters; --list documents them', () => {
  const out = path.join(tmp, 'ink.png');
  const r = run('stylize', 'ink', photo, out, '--sigma', '1.5', '--min-area', '8');
  assert.equal(r.status, 0, r.stderr);
  assert.match(run('info', out).stdout, /512 x 512 RGBA8/);
  const list = run('stylize', '--list');
  assert.equal(list.status, 0);
  for (const op of ['lineart', 'ink', 'oil', 'watercolor', 'cartoon', 'pixelart', 'halftone', 'posterize']) {
    assert.match(list.stdout, new RegExp(`^${op}: `, 'm'));
  }
  assert.match(list.stdout, /--radius\s+2\.\.12 \(default 6, integer\)/);
});

test('stylize, palette and color-transfer reject bad input clearly', () => {
  const bad = run('stylize', 'oil', photo, path.join(tmp, 'o.png'), '--radius', '40');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /invalid_argument: oil: radius 40 must be in 2\.\.12/);
  const nan = run('stylize', 'oil', photo, path.join(tmp, 'o.png'), '--radius', 'big');
  assert.equal(nan.status, 2);
  assert.match(nan.stderr, /--radius needs a number, got 'big'/);
  const unknown = run('stylize', 'sepia', photo, path.join(tmp, 's.png'));
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /style 'sepia' must be one of lineart/);
  const palette = run('palette', photo, '--colors', '4');
  assert.equal(palette.status, 0, palette.stderr);
  assert.equal(palette.stdout.trim().split('\n').filter((l) => /^#[0-9a-f]{6}$/.test(l)).length, 4);
  const transfer = run('color-transfer', photo, photo, path.join(tmp, 'ct.png'), '--strength', '3');
  assert.equal(transfer.status, 1);
  assert.match(transfer.stderr, /strength 3 must be in 0\.\.1/);
});
