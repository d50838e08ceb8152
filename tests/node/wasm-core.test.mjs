// Behaviour of the core through the JS API (wasm/huabu-core.js over the CommonJS build):
// results unwrap, failures throw HuabuError with the core's code, outputs are JS-owned
// copies, and the numbers equal the native build's golden values (tests/core/).
import assert from 'node:assert/strict';
import test from 'node:test';

import { HuabuError, loadHuabuCore } from '../../wasm/huabu-core.js';
import { loadCjsFactory } from './wasm-module.mjs';

const core = await loadHuabuCore(loadCjsFactory());

function image(width, height, fill) {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set(fill(i % width, Math.floor(i / width)), i * 4);
  return { width, height, data };
}

// Same pattern as tests/core/test_util.h make_pattern().
const pattern = (w, h) =>
  image(w, h, (x, y) => [
    (x * 7 + y * 3) & 255,
    (x * y + 40) & 255,
    ((x ^ y) * 5) & 255,
    (Math.floor(x / 4) + Math.floor(y / 4)) % 3 === 0 ? 255 : (x * 11 + y * 13) & 255,
  ]);

// FNV-1a 64 over bytes, as in tests/core/test_util.h.
function fnv1a(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h;
}
const bytesOf = (typed) => new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);

function throwsCode(fn, code) {
  assert.throws(fn, (e) => e instanceof HuabuError && e.code === code && typeof e.message === 'string');
}

test('version names libwebp 1.2.4; limits are exposed', () => {
  assert.match(core.version(), /^huabu-core \S+ \(libwebp 1\.2\.4\)$/);
  assert.equal(core.maxImagePixels(), 64 * 1024 * 1024);
});

test('resize: bilinear values, constant stays constant, errors', () => {
  const ramp = image(2, 1, (x) => [x * 255, 0, 0, 255]);
  const up = core.resize(ramp, 4, 1, 'bilinear');
  assert.deepEqual([...up.data].filter((_, i) => i % 4 === 0), [0, 64, 191, 255]);
  const solid = image(9, 7, () => [200, 100, 3, 255]);
  for (const filter of ['nearest', 'bilinear', 'bicubic', 'area', 'lanczos3']) {
    const out = core.resize(solid, 4, 13, filter);
    assert.equal(out.width, 4);
    assert.equal(out.height, 13);
    assert.ok(out.data.every((v, i) => v === [200, 100, 3, 255][i % 4]), filter);
  }
  throwsCode(() => core.resize(solid, 0, 4, 'area'), 'invalid_argument');
  throwsCode(() => core.resize(solid, 1.5, 4, 'area'), 'invalid_argument');
  throwsCode(() => core.resize(solid, 4, 4, 'cubic'), 'invalid_argument');
  throwsCode(() => core.resize(solid, 20000, 4, 'area'), 'resource_exhausted');
  throwsCode(() => core.resize({ width: 2, height: 2, data: new Uint8Array(15) }, 4, 4, 'area'), 'invalid_argument');
  throwsCode(() => core.resize({ width: 2, height: 2, data: [1, 2, 3] }, 4, 4, 'area'), 'invalid_argument');
  throwsCode(() => core.resize(null, 4, 4, 'area'), 'invalid_argument');
  throwsCode(() => core.resize(solid, '4', 4, 'area'), 'invalid_argument');
});

test('resize output matches the native golden hashes', () => {
  // tests/core/determinism_test.cpp ResizeAllFilters: 37x23 pattern -> 64x48 and 13x9.
  const src = pattern(37, 23);
  const up = { nearest: 0x976ae395344ea4d9n, bilinear: 0xab3aa1f4654fe2b4n, bicubic: 0xbbef6cc3871d7951n,
               area: 0xbb4161e238746c5cn, lanczos3: 0xfa0b5cbce43e17f4n };
  const down = { nearest: 0x197b6ce9d3dc475bn, bilinear: 0xe8033b8bc81d5cb4n, bicubic: 0x26b1abba2f666843n,
                 area: 0xce259341a04b647fn, lanczos3: 0x6b85592f9bd4c246n };
  for (const filter of Object.keys(up)) {
    assert.equal(fnv1a(core.resize(src, 64, 48, filter).data), up[filter], filter);
    assert.equal(fnv1a(core.resize(src, 13, 9, filter).data), down[filter], filter);
  }
});

test('crop, premultiply, unpremultiply, compositeOver', () => {
  const src = pattern(10, 8);
  const c = core.crop(src, 3, 2, 4, 5);
  assert.equal(c.width, 4);
  assert.deepEqual([...c.data.slice(0, 4)], [...src.data.slice((2 * 10 + 3) * 4, (2 * 10 + 3) * 4 + 4)]);
  throwsCode(() => core.crop(src, 8, 0, 3, 1), 'out_of_range');
  throwsCode(() => core.crop(src, 0, 0, 0, 1), 'invalid_argument');

  const px = { width: 1, height: 1, data: new Uint8Array([255, 128, 1, 128]) };
  const pm = core.premultiply(px);
  assert.deepEqual([...pm.data], [128, 64, 1, 128]);
  assert.deepEqual([...px.data], [255, 128, 1, 128], 'input is not modified');
  assert.deepEqual([...core.unpremultiply(pm).data], [255, 128, 2, 128]);

  const dst = image(1, 1, () => [0, 0, 255, 255]);
  const over = core.compositeOver(dst, image(1, 1, () => [255, 0, 0, 128]), 0, 0);
  assert.deepEqual([...over.data], [128, 0, 127, 255]);
  const clipped = core.compositeOver(image(2, 2, () => [0, 0, 0, 255]), image(2, 2, () => [255, 255, 255, 255]), 1, -1);
  assert.deepEqual([...clipped.data], [0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
});

test('tensor round trip (NCHW and NHWC, 3 and 4 channels) is exact', () => {
  const src = pattern(23, 17);
  for (const layout of ['nchw', 'nhwc']) {
    for (const channels of [3, 4]) {
      const options = { layout, channels, scale: 1 / 255, mean: Array(channels).fill(0.5), std: Array(channels).fill(0.25) };
      const t = core.imageToTensor(src, options);
      assert.ok(t instanceof Float32Array);
      assert.equal(t.length, 23 * 17 * channels);
      const back = core.tensorToImage(t, 23, 17, options);
      for (let i = 0; i < back.data.length; i++) {
        const want = channels === 3 && i % 4 === 3 ? 255 : src.data[i];
        assert.equal(back.data[i], want, `${layout}/${channels} byte ${i}`);
      }
    }
  }
  const nchw = core.imageToTensor(image(2, 1, (x) => [10 + x, 20, 30, 40]), { layout: 'nchw', channels: 3, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] });
  assert.deepEqual([...nchw], [10, 11, 20, 20, 30, 30]);
  throwsCode(() => core.imageToTensor(src, { layout: 'nchw', channels: 2, scale: 1, mean: [0, 0], std: [1, 1] }), 'invalid_argument');
  throwsCode(() => core.imageToTensor(src, { layout: 'chwn', channels: 3, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] }), 'invalid_argument');
  throwsCode(() => core.tensorToImage(new Float32Array(5), 2, 2, { layout: 'nchw', channels: 3, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] }), 'invalid_argument');
  throwsCode(() => core.tensorToImage([1, 2, 3], 1, 1, { layout: 'nchw', channels: 3, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] }), 'invalid_argument');
});

// A VP8X (extended format) header claiming a width x height canvas, as in webp_test.cpp.
function vp8xHeader(width, height) {
  const b = [...'RIFF'].map((c) => c.charCodeAt(0)).concat([22, 0, 0, 0], [...'WEBPVP8X'].map((c) => c.charCodeAt(0)),
    [10, 0, 0, 0, 0, 0, 0, 0]);
  for (const v of [width - 1, height - 1]) b.push(v & 255, (v >> 8) & 255, (v >> 16) & 255);
  return new Uint8Array(b);
}

test('webp: lossless round trip, lossy close, info, golden bytes', () => {
  const src = pattern(64, 64);
  const lossless = core.encodeWebp(src, { quality: 75, lossless: true });
  const lossy = core.encodeWebp(src, { quality: 75, lossless: false });
  // Same bytes as the native build (tests/core/determinism_test.cpp WebpEncodes).
  assert.equal(fnv1a(lossless), 0xdaa00396a7e390a3n);
  assert.equal(fnv1a(lossy), 0x84a8cd5940b9b026n);
  assert.deepEqual(core.webpInfo(lossless), { width: 64, height: 64, hasAlpha: true, hasAnimation: false });
  const decoded = core.decodeWebp(lossless, { maxWidth: 64, maxHeight: 64, maxPixels: 4096 });
  assert.deepEqual(decoded.data, src.data);
  assert.equal(fnv1a(core.decodeWebp(lossy).data), 0x2eeb2112c1c5537bn);
  assert.ok(core.encodeWebp(src).length > 0, 'options are optional');
});

test('webp: corrupt data, oversized headers and bad arguments throw typed errors', () => {
  const good = core.encodeWebp(pattern(32, 32), { quality: 80, lossless: false });
  throwsCode(() => core.decodeWebp(good.slice(0, good.length >> 1)), 'corrupt_data');
  throwsCode(() => core.decodeWebp(new TextEncoder().encode('definitely not a webp file')), 'corrupt_data');
  throwsCode(() => core.decodeWebp(new Uint8Array(0)), 'corrupt_data');
  throwsCode(() => core.webpInfo(new Uint8Array([1, 2, 3])), 'corrupt_data');
  throwsCode(() => core.decodeWebp(vp8xHeader(100000, 100000)), 'resource_exhausted');
  throwsCode(() => core.decodeWebp(good, { maxWidth: 16, maxHeight: 16, maxPixels: 256 }), 'resource_exhausted');
  throwsCode(() => core.decodeWebp(good, { maxWidth: 0 }), 'invalid_argument');
  throwsCode(() => core.decodeWebp('RIFF'), 'invalid_argument');
  throwsCode(() => core.decodeWebp(), 'invalid_argument');  // Embind arity error, mapped by the wrapper
  throwsCode(() => core.resize(pattern(4, 4), 2, 2), 'invalid_argument');
  throwsCode(() => core.encodeWebp(pattern(4, 4), { quality: 101, lossless: false }), 'invalid_argument');
  throwsCode(() => core.encodeWebp(pattern(4, 4), { quality: 50, lossless: 'yes' }), 'invalid_argument');
});

test('philox: Random123 known answer and native golden streams', () => {
  // Seed 0, stream 0, block 0 is philox4x32_10(ctr 0, key 0): 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
  assert.deepEqual([...core.philoxU32(0, 0, 0, 4)], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  // tests/core/determinism_test.cpp: seed 0x0123456789abcdef, stream 7, 4096 values.
  const words = core.philoxU32(0x01234567, 0x89abcdef, 7, 4096);
  assert.ok(words instanceof Uint32Array);
  assert.equal(fnv1a(bytesOf(words)), 0x4b2412ee8184bc12n);
  const normals = core.philoxNormal(0x01234567, 0x89abcdef, 7, 4096);
  assert.ok(normals instanceof Float32Array);
  assert.equal(fnv1a(bytesOf(normals)), 0xde6dc9e362e07c07n);
  assert.deepEqual([...normals.slice(0, 4)], [-1.66249597, -0.630376697, -0.0772023946, -0.108206324].map(Math.fround));
  assert.equal(core.philoxU32(1, 2, 3, 0).length, 0);
  throwsCode(() => core.philoxU32(-1, 0, 0, 4), 'invalid_argument');
  throwsCode(() => core.philoxU32(2 ** 32, 0, 0, 4), 'invalid_argument');
  throwsCode(() => core.philoxNormal(0, 0, 0, -1), 'invalid_argument');
  throwsCode(() => core.philoxNormal(0, 0, 0, 2 ** 27), 'resource_exhausted');
});

test('tiles + stitcher reproduce an identity (nearest) upscale exactly', () => {
  const src = pattern(75, 53);
  for (const [tileSize, overlap, scale] of [[32, 4, 2], [20, 0, 1], [16, 7, 3]]) {
    const tiles = core.planTiles(75, 53, tileSize, overlap);
    assert.ok(tiles.length > 1);
    for (const t of tiles) assert.ok(t.width <= tileSize && t.height <= tileSize);
    const stitcher = core.createTileStitcher(75, 53, scale, overlap);
    let result;
    try {
      for (const t of tiles) {
        const input = core.crop(src, t.x, t.y, t.width, t.height);
        stitcher.add(t, core.resize(input, t.width * scale, t.height * scale, 'nearest'));
      }
      result = stitcher.finish();
    } finally {
      stitcher.delete();
    }
    const want = core.resize(src, 75 * scale, 53 * scale, 'nearest');
    assert.equal(result.width, want.width);
    assert.deepEqual(result.data, want.data, `${tileSize}/${overlap}/${scale}`);
  }
  throwsCode(() => core.planTiles(100, 100, 16, 8), 'invalid_argument');
  throwsCode(() => core.createTileStitcher(10, 10, 0, 0), 'invalid_argument');
  const stitcher = core.createTileStitcher(10, 10, 2, 1);
  try {
    throwsCode(() => stitcher.add({ x: 8, y: 0, width: 4, height: 4 }, pattern(8, 8)), 'out_of_range');
    throwsCode(() => stitcher.add({ x: 0, y: 0, width: 4, height: 4 }, pattern(7, 8)), 'invalid_argument');
    throwsCode(() => stitcher.add({ x: 0, y: 0 }, pattern(8, 8)), 'invalid_argument');
    throwsCode(() => stitcher.finish(), 'invalid_argument');
  } finally {
    stitcher.delete();
  }
});

test('outputs are JS-owned copies that survive heap growth', () => {
  const heap = core.raw.HEAPU8.buffer;
  const a = core.resize(pattern(8, 8), 16, 16, 'bilinear');
  assert.notEqual(a.data.buffer, heap);
  const snapshot = a.data.slice();
  core.resize(pattern(1024, 1024), 2048, 2048, 'bilinear');  // grows the wasm heap
  assert.deepEqual(a.data, snapshot);
  assert.equal(a.data.buffer.byteLength, a.data.byteLength);
});
