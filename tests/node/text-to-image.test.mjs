// The text -> image pipeline of the wasm core with the real huabu-tiny graphs in
// onnxruntime-web (wasm EP), driven by the app's own loop (web/src/ml/text-to-image.js):
// - the core's word tokenizer gives the ids of the reference tokenizer.mjs on every vocabulary
//   word and zh phrase in caption templates, the zh values, and seeded odd-Unicode strings
// - Euler output vs models/tiny/sampler.mjs (its own JS Philox noise): PSNR >= 40 dB
// - same seed -> identical images; cancel mid-run -> 'cancelled'; Heun and image-to-image
//   end to end
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { loadOrt, createSession } from '../../models/eval/ort.mjs';
import { Tokenizer } from '../../models/data/vocab/tokenizer.mjs';
import { sampleTiny, seedNoise } from '../../models/tiny/sampler.mjs';
import { loadHuabuCore } from '../../wasm/huabu-core.js';
import { createTokenizer, generateImages, imagesToRgba } from '../../web/src/ml/text-to-image.js';
import { loadCjsFactory, root } from './wasm-module.mjs';

const dir = path.join(root, 'models/huabu-tiny');
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const files = new Map(manifest.files.map((f) => [f.path, readFileSync(path.join(dir, f.path))]));
const words = JSON.parse(files.get('tokenizer/vocab.json')).words;
const zh = JSON.parse(files.get('tokenizer/zh.json'));
const reference = new Tokenizer(words, zh);

const core = await loadHuabuCore(loadCjsFactory());
const tokenizer = createTokenizer(core, manifest, files);
const ctx = await loadOrt('web');
const sessions = {
  text_encoder: await createSession(ctx, path.join(dir, manifest.graphs.text_encoder.path)),
  unet: await createSession(ctx, path.join(dir, manifest.graphs.unet.path)),
};
const generate = (request, extra = {}) => generateImages({ core, ort: ctx.ort, sessions, tokenizer, request, ...extra });

// PSNR of two [-1, 1] image sets as 8-bit RGB (the pixels users see).
function psnr(a, b) {
  let se = 0;
  const byte = (x) => Math.round((Math.min(1, Math.max(-1, x)) + 1) * 127.5);
  for (let i = 0; i < a.length; i++) se += (byte(a[i]) - byte(b[i])) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

// A seeded generator of awkward strings: every script the fold table treats specially.
function* oddStrings(n, seed = 1) {
  const ranges = [[0x20, 0x7e], [0xa0, 0x24f], [0x300, 0x36f], [0x370, 0x4ff], [0x1100, 0x11ff], [0x1e00, 0x1eff],
    [0x2000, 0x206f], [0x2100, 0x24ff], [0x2e80, 0x2fdf], [0x3000, 0x30ff], [0x3200, 0x33ff], [0x4e00, 0x9fff],
    [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfb00, 0xfb4f], [0xfe00, 0xfe6f], [0xff00, 0xffef], [0x1d400, 0x1d7ff],
    [0x1f000, 0x1faff], [0x20000, 0x2a6df], [0xe0000, 0xe007f]];
  let s = seed;
  const rand = (k) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % k; };
  const zhKeys = Object.keys(zh);
  for (let i = 0; i < n; i++) {
    let str = '';
    for (let len = 1 + rand(24); len > 0; len--) {
      const pick = rand(10);
      if (pick < 2) str += zhKeys[rand(zhKeys.length)];
      else if (pick < 3) str += words[rand(words.length)] + (rand(2) ? "'s " : 's ');
      else { const [lo, hi] = ranges[rand(ranges.length)]; str += String.fromCodePoint(lo + rand(hi - lo + 1)); }
    }
    yield str;
  }
}

test('word tokenizer: same ids as tokenizer.mjs on captions, zh phrases and odd Unicode', () => {
  const zhTemplates = ['{}', '画一只{}', '画一个{}', '一个{}', '{}的表情', '画{}', '一只{}'];
  const enTemplates = ['{}', 'a {}', 'an {}', 'draw a {}', 'a drawing of a {}', '{} emoji', 'the {}', 'a picture of {}', '{} icon'];
  const prompts = [
    ...words.slice(2).map((w, i) => enTemplates[i % enTemplates.length].replace('{}', i % 3 ? w : `${w}s`)),
    ...Object.keys(zh).map((k, i) => zhTemplates[i % zhTemplates.length].replace('{}', k)),
    ...Object.values(zh).map((v, i) => enTemplates[i % enTemplates.length].replace('{}', v.toUpperCase())),
    ...oddStrings(3000),
    '', ' ', '\u0301', 'Ａ　ＲＥＤ　ＡＰＰＬＥ', 'Ⅻ ㎏ ﬁsh ½', "dog's_x it'sy", '𝐚𝐩𝐩𝐥𝐞 𝕗𝕠𝕩', '한국어 red fox',
    '🍎🦊 red', '画一只红色的狐狸', '畫一隻紅色的狐狸', 'a\u200bb\u200dc', 'İSTANBUL ǅ ß ẞ Σσς',
    'apple '.repeat(2000), '苹果'.repeat(5000),
  ];
  let checked = 0;
  for (const p of prompts) {
    assert.deepEqual(Array.from(tokenizer.encode(p, 16), Number), reference.encode(p, 16), JSON.stringify(p.slice(0, 80)));
    checked++;
  }
  assert.ok(checked > 30000, `only ${checked} prompts`);
  console.log(`tokenizer parity: ${checked} prompts identical`);
});

test('word tokenizer: malformed and huge input give clear errors', () => {
  // A lone surrogate cannot be UTF-8; the reference skips it, the core refuses it.
  assert.throws(() => tokenizer.encode('red \ud800 fox', 16), { code: 'invalid_argument', message: /lone UTF-16 surrogate/ });
  assert.throws(() => tokenizer.encode('a'.repeat(100_001), 16), { code: 'invalid_argument', message: /limit/ });
  assert.throws(() => tokenizer.encode(42, 16), { code: 'invalid_argument', message: /text must be a string/ });
  assert.throws(() => core.createWordTokenizer(['a'], {}), { code: 'invalid_argument', message: /<pad>/ });
});

const request = { prompt: 'a red apple', style: 1, seed: '42', count: 2, steps: 8, guidance: 4, sampler: 'euler' };
let euler;

test('Euler: the wasm pipeline matches sampler.mjs (PSNR >= 40 dB) and repeats exactly', async () => {
  euler = await generate(request);
  assert.equal(euler.count, 2);
  const ids = BigInt64Array.from([...reference.encode(request.prompt, 16), ...reference.encode(request.prompt, 16)].map(BigInt));
  const expected = await sampleTiny(ctx.ort, { text: sessions.text_encoder, unet: sessions.unet }, ids, BigInt64Array.from([1n, 1n]), seedNoise(42, 2),
    { steps: request.steps, guidance: request.guidance });
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[i] - euler.images[i]));
  const db = psnr(euler.images, expected);
  console.log(`Euler parity vs sampler.mjs: PSNR ${db} dB, max |diff| ${maxDiff}`);
  assert.ok(db >= 40, `PSNR ${db} dB`);

  const again = await generate(request);
  assert.deepEqual(again.images, euler.images, 'same seed, same images');
  const other = await generate({ ...request, seed: 43n });
  assert.ok(psnr(other.images, euler.images) < 30, 'another seed gives other images');
  // Image i of a request is stream i: image 0 of a count-1 request is image 0 here.
  const single = await generate({ ...request, count: 1 });
  assert.deepEqual(single.images, euler.images.subarray(0, 3 * 32 * 32));
});

test('guidance in a limited interval: the late steps run unguided, as sampler.mjs does', async () => {
  const limited = { ...request, guidanceAbove: 0.3 }; // 8 steps: t = 0.25 and 0.125 unguided
  const got = await generate(limited);
  const ids = BigInt64Array.from([...reference.encode(request.prompt, 16), ...reference.encode(request.prompt, 16)].map(BigInt));
  const expected = await sampleTiny(ctx.ort, { text: sessions.text_encoder, unet: sessions.unet }, ids, BigInt64Array.from([1n, 1n]), seedNoise(42, 2),
    { steps: request.steps, guidance: request.guidance, guidanceAbove: limited.guidanceAbove });
  assert.ok(psnr(got.images, expected) >= 40, `PSNR ${psnr(got.images, expected)} dB`);
  assert.notDeepEqual(got.images, euler.images, 'the unguided steps change the images');
  for (const guidanceAbove of [-0.1, 1.5, Number.NaN]) {
    await assert.rejects(generate({ ...request, guidanceAbove }), { code: 'invalid_argument', message: /guidanceAbove/ });
  }
});

test('RGBA conversion and WebP encoding of the results', () => {
  const [rgba] = imagesToRgba(core, euler);
  assert.equal(rgba.width, 32);
  const x = euler.images[0];
  assert.equal(rgba.data[0], Math.floor((x + 1) * 127.5 + 0.5));
  assert.equal(rgba.data[3], 255);
  const webp = core.encodeWebp(rgba, { quality: 90 });
  assert.deepEqual(core.webpInfo(webp), { width: 32, height: 32, hasAlpha: false, hasAnimation: false });
});

test('progress, previews and cancellation mid-run', async () => {
  const steps = [];
  const previews = [];
  await generate({ ...request, count: 1, previewEvery: 3 }, {
    onStep: (done, total) => steps.push(`${done}/${total}`),
    onPreview: (a) => previews.push([a.step, a.images.length]),
  });
  assert.deepEqual(steps, ['0/8', '1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8', '8/8']);
  assert.deepEqual(previews, [[3, 3072], [6, 3072]]);

  const controller = new AbortController();
  let unetRuns = 0;
  const counting = { ...sessions, unet: { run: (feeds) => { unetRuns++; return sessions.unet.run(feeds); } } };
  await assert.rejects(
    generateImages({ core, ort: ctx.ort, sessions: counting, tokenizer, request: { ...request, steps: 20 }, signal: controller.signal,
      onStep: (done) => { if (done === 3) controller.abort(); } }),
    { code: 'cancelled', message: /after step 4 of 20/ },
  );
  assert.equal(unetRuns, 4, 'the step in flight when cancel came finishes, nothing after it');
});

test('Heun: 2 evaluations per step, closer to a fine Euler solution than Euler at the same steps', async () => {
  const base = { ...request, count: 1 };
  const fine = await generate({ ...base, steps: 64 });
  const coarseEuler = await generate({ ...base, steps: 6 });
  let runs = 0;
  const counting = { ...sessions, unet: { run: (feeds) => { runs++; return sessions.unet.run(feeds); } } };
  const heun = await generateImages({ core, ort: ctx.ort, sessions: counting, tokenizer, request: { ...base, steps: 6, sampler: 'heun' } });
  assert.equal(runs, 11);
  const [dbHeun, dbEuler] = [psnr(heun.images, fine.images), psnr(coarseEuler.images, fine.images)];
  console.log(`vs Euler-64: Heun-6 ${dbHeun.toFixed(2)} dB, Euler-6 ${dbEuler.toFixed(2)} dB`);
  assert.ok(dbHeun > dbEuler, `Heun ${dbHeun} dB vs Euler ${dbEuler} dB`);
});

test('image-to-image: low strength stays near the init image; a mask keeps the rest exactly', async () => {
  const init = euler.images.slice(0, 3 * 32 * 32);
  const base = { ...request, prompt: 'a green frog', count: 1, seed: 7, steps: 10 };
  const light = await generate({ ...base, initImage: init, strength: 0.3 });
  const fresh = await generate(base);
  assert.ok(psnr(light.images, init) > psnr(fresh.images, init) + 3, 'strength 0.3 keeps the init image');
  const mask = new Float32Array(32 * 32);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 32; x++) mask[y * 32 + x] = 1;
  const edited = await generate({ ...base, initImage: init, strength: 1, mask });
  for (let c = 0; c < 3; c++) {
    for (let p = 16 * 32; p < 32 * 32; p++) {
      assert.ok(Math.abs(edited.images[c * 1024 + p] - init[c * 1024 + p]) < 1e-6, `kept pixel ${p}`);
    }
  }
  assert.ok(psnr(edited.images.subarray(0, 512), init.subarray(0, 512)) < 30, 'the masked half changed');
});

test('bad requests and bad model outputs give clear errors', async () => {
  await assert.rejects(generate({ ...request, style: 9 }), { code: 'invalid_argument', message: /style 9/ });
  await assert.rejects(generate({ ...request, seed: '-1' }), { code: 'invalid_argument', message: /seed/ });
  await assert.rejects(generate({ ...request, sampler: 'ddim' }), { code: 'invalid_argument', message: /ddim/ });
  await assert.rejects(generate({ ...request, prompt: 'x\udc00' }), { code: 'invalid_argument', message: /surrogate/ });
  const wrong = { ...sessions, text_encoder: { run: async () => ({ cond: new ctx.ort.Tensor('float32', new Float32Array(256), [1, 256]) }) } };
  await assert.rejects(generateImages({ core, ort: ctx.ort, sessions: wrong, tokenizer, request }),
    { code: 'invalid_argument', message: /text_encoder output cond has shape \[1, 256\], expected \[4, -1\]/ });
});
