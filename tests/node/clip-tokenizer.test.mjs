// The core's CLIP BPE tokenizer (wasm build) against an independent implementation:
// transformers.js' CLIPTokenizer (@huggingface/transformers, which runs the tokenizer.json
// pipeline of Hugging Face tokenizers), both given the learned test vocabulary
// tests/data/clip-bpe. The tokenizer.json is built here the way CLIP's published
// tokenizer.json is laid out (NFC + whitespace + lowercase normalizer, CLIP's split regex,
// byte-level alphabet, BPE with "</w>", specials matched after normalization). Nothing is
// fetched: the tokenizer is constructed from in-memory JSON and remote models are disabled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { HuabuError, loadHuabuCore } from '../../wasm/huabu-core.js';
import { loadCjsFactory, root } from './wasm-module.mjs';

const core = await loadHuabuCore(loadCjsFactory());
// Any network access by the reference library would show up here (and fail).
const fetched = [];
globalThis.fetch = async (url) => {
  fetched.push(String(url));
  throw new Error(`unexpected fetch of ${url}`);
};
const { CLIPTokenizer, env } = await import('@huggingface/transformers');
env.allowRemoteModels = false;
env.allowLocalModels = false;

const dataDir = path.join(root, 'tests/data/clip-bpe');
const vocabText = readFileSync(path.join(dataDir, 'vocab.json'), 'utf8');
const mergesText = readFileSync(path.join(dataDir, 'merges.txt'), 'utf8');
const vocab = JSON.parse(vocabText);
const BOS = vocab['<|startoftext|>'], EOS = vocab['<|endoftext|>'];

function referenceTokenizer(padToken) {
  const special = (content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false,
    normalized: true, special: true });
  const tokenizerJson = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [special('<|startoftext|>'), special('<|endoftext|>')],
    normalizer: { type: 'Sequence', normalizers: [
      { type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Split', behavior: 'Removed', invert: true, pattern: {
        Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" } },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', EOS], cls: ['<|startoftext|>', BOS],
      trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: '<|endoftext|>', continuing_subword_prefix: '',
      end_of_word_suffix: '</w>', fuse_unk: false, byte_fallback: false, vocab,
      merges: mergesText.split('\n').filter((l) => l && !l.startsWith('#version')) },
  };
  const config = { tokenizer_class: 'CLIPTokenizer', model_max_length: 77, do_lower_case: true,
    bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>', pad_token: padToken };
  return new CLIPTokenizer(tokenizerJson, config);
}

// ---- prompts ----
let state = 0x9e3779b9;
function random() {  // mulberry32: a fixed, seeded sequence
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

const zh = JSON.parse(readFileSync(path.join(root, 'models/data/vocab/zh.json'), 'utf8'));
const words = JSON.parse(readFileSync(path.join(root, 'models/data/vocab/vocab.json'), 'utf8')).words.slice(2);
const zhKeys = Object.keys(zh);
const emoji = zhKeys.filter((k) => /\p{Extended_Pictographic}/u.test(k));

// Code point pools for random "odd Unicode" strings.
const POOLS = {
  ascii: range(0x20, 0x7e),
  controls: [...range(0x0, 0x1f), ...range(0x7f, 0x9f)],
  spaces: [0x9, 0xa, 0xb, 0xc, 0xd, 0x20, 0xa0, 0x1680, ...range(0x2000, 0x200a), 0x2028, 0x2029, 0x202f, 0x205f,
    0x3000, 0xfeff, 0x85, 0x180e, 0x200b],
  latin: [...range(0xc0, 0x24f), 0x130, 0x131, 0xdf, 0x1e9e, 0xfb01, 0x212a, 0x2126],
  marks: [...range(0x300, 0x36f), 0x1ab0, 0x1dc0, 0x20d0, 0x302a, 0x3099, 0x309a, 0x5b0, 0x64b, 0x93c, 0x94d, 0xe48],
  greekCyrillic: [...range(0x370, 0x3ff), ...range(0x400, 0x4ff), 0x3a3, 0x3a3, 0x1f00, 0x1f80, 0x1fbc],
  scripts: [...range(0x5d0, 0x5ea), ...range(0x627, 0x64a), ...range(0x915, 0x939), ...range(0xe01, 0xe2e),
    ...range(0x1100, 0x1112), ...range(0x1161, 0x1175), ...range(0x11a8, 0x11c2), ...range(0xac00, 0xac40),
    ...range(0x3041, 0x3096), ...range(0x30a1, 0x30fa), 0x0b47, 0x0b3e, 0x0b57, 0x0dd9, 0x0dcf, 0x1025, 0x102e,
    ...range(0x11380, 0x113c9), ...range(0x16121, 0x1612f), ...range(0x16d40, 0x16d6c)],
  cjk: [...range(0x4e00, 0x4e80), 0x20000, 0x2a700, 0x31350, 0x2ebf0, 0xf900, 0x2f800, 0x3400],
  symbols: [...range(0xff01, 0xff5e), ...range(0x1d400, 0x1d420), 0xb2, 0xbd, 0x2160, 0x216b, 0x2460, 0x24b6,
    0x2122, 0x2026, 0x201c, 0x201d, 0x2019, 0xe000, 0xf8ff, 0xfffe, 0xffff, 0x378, 0x10ffff, 0xe0001, 0xe0067],
  emoji: [...range(0x1f300, 0x1f320), ...range(0x1f600, 0x1f64f), ...range(0x1f90c, 0x1f93a), 0x200d, 0xfe0f,
    ...range(0x1f3fb, 0x1f3ff), ...range(0x1f1e6, 0x1f1ff), 0x20e3, 0x2764, 0x263a],
};
const poolNames = Object.keys(POOLS);
function randomString(maxLength) {
  const pools = [pick(poolNames), pick(poolNames), 'ascii'];
  let s = '';
  for (let n = 1 + Math.floor(random() * maxLength); n > 0; n--) s += String.fromCodePoint(pick(POOLS[pick(pools)]));
  return s;
}

function buildPrompts() {
  const prompts = [
    '', ' ', '\t\n', 'a', 'A red fox, watercolor', "it's the dog's ball, isn't it? they're we've I'm we'll he'd",
    "'S 'T 'RE 'VE 'M 'LL 'D", "''s ''", 'ΑΣ ΟΔΥΣΣΕΥΣ Σ σΣ ΑΣ΄Α', 'İstanbul İ', 'ß ẞ ﬁ ﬀ', 'e\u0301 é', 'a\u0323\u0307 a\u0307\u0323',
    '\u1100\u1161\u11a8 각', '<|startoftext|>', '<|endoftext|>', 'red<|endoftext|>fox', 'x<|STARTOFTEXT|>y',
    '!<|endoftext|>!', '<|startoftext|<|endoftext|>', '<|endoftext|><|endoftext|>', 'a  \u3000 b\u00a0c\u2003d',
    'tab\there', 'new\nline\r\nend', 'nel\u0085sep\u001cfs\u001fus', 'zero\u200bwidth\u200djoin\ufeffbom',
    '123 4567 ½ ² Ⅻ ①', '🦊🦊🦊 👩‍👩‍👧‍👦 👍🏽 🇨🇳 1️⃣ ❤️', '画一只红色的狐狸', '畫一隻紅色的狐狸 in the snow',
    '&amp; &lt;b&gt; html entities stay', 'Ｆｕｌｌ ｗｉｄｔｈ ＡＢＣ', '𝐁𝐨𝐥𝐝 𝕯𝖔𝖚𝖇𝖑𝖊', '\u0000\u0001nul',
  ];
  for (let i = 0; i < 250; i++) prompts.push(Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(words)).join(pick([' ', ', ', '  ', '-'])));
  for (let i = 0; i < 200; i++) prompts.push(pick(zhKeys) + pick(['', ' ', '，', '的']) + pick(zhKeys));
  for (let i = 0; i < 100; i++) prompts.push(zh[pick(zhKeys)]);
  for (let i = 0; i < 80; i++) prompts.push(`${pick(emoji)}${pick(['', ' ', '\u200d'])}${pick(emoji)} ${pick(words)}`);
  for (let i = 0; i < 300; i++) prompts.push(randomString(24));
  for (let i = 0; i < 40; i++) {  // long: well over 75 tokens
    prompts.push(Array.from({ length: 60 + Math.floor(random() * 80) }, () => pick([pick(words), pick(zhKeys), pick(emoji)])).join(' '));
  }
  prompts.push(Array.from({ length: 1500 }, () => pick(words)).join(' ').slice(0, 10000));  // 10k characters
  prompts.push('a'.repeat(5000), '狐'.repeat(3000), '🦊'.repeat(2000));
  return prompts;
}

const prompts = buildPrompts();
const ours = core.createClipTokenizer(vocabText, mergesText);
const reference = referenceTokenizer('<|endoftext|>');
const ids = (bigints) => Array.from(bigints, Number);

test(`tokens equal transformers.js on ${prompts.length} prompts`, (t) => {
  assert.ok(prompts.length >= 1000);
  let longOnes = 0;
  for (const p of prompts) {
    const want = reference(p, { add_special_tokens: false, return_tensor: false }).input_ids;
    const got = ids(ours.tokenize(p));
    assert.deepEqual(got, want, `prompt ${JSON.stringify(p.slice(0, 80))}`);
    if (want.length > 75) longOnes++;
  }
  assert.ok(longOnes >= 40, `only ${longOnes} prompts over 75 tokens`);
  t.diagnostic(`${prompts.length} prompts identical, ${longOnes} of them over 75 tokens`);
});

// Padded and truncated to 77: identical up to 75 tokens. Longer: we keep CLIP's and
// Python transformers' layout (bos, 75 tokens, eos); transformers.js cuts after adding the
// specials, so its last id is the 76th token instead of eos. That is the only difference.
test('77-id encodings equal transformers.js, except where it drops eos on long prompts', (t) => {
  let truncated = 0;
  for (const p of prompts) {
    const want = reference(p, { padding: 'max_length', truncation: true, max_length: 77, return_tensor: false }).input_ids;
    const got = ids(ours.encode(p));
    assert.equal(got.length, 77);
    if (want[76] === EOS || want[76] === got[76]) {
      assert.deepEqual(got, want, `prompt ${JSON.stringify(p.slice(0, 80))}`);
    } else {
      truncated++;
      assert.deepEqual(got.slice(0, 76), want.slice(0, 76));
      assert.equal(got[76], EOS);
      assert.equal(want[76], reference(p, { add_special_tokens: false, return_tensor: false }).input_ids[75]);
    }
  }
  assert.ok(truncated >= 40, `${truncated} truncated prompts`);
  t.diagnostic(`${prompts.length - truncated} identical; ${truncated} differ only in the 77th id (eos here, a token there)`);
});

test('pad token "!" (SD 2.x, SD-Turbo) and a shorter max length', () => {
  const bang = core.createClipTokenizer(vocabText, new TextEncoder().encode(mergesText), { padToken: '!', maxLength: 77 });
  const referenceBang = referenceTokenizer('!');
  try {
    for (const p of prompts.slice(0, 200)) {
      const want = referenceBang(p, { padding: 'max_length', truncation: true, max_length: 77, return_tensor: false }).input_ids;
      assert.deepEqual(ids(bang.encode(p)), want, `prompt ${JSON.stringify(p.slice(0, 80))}`);
    }
    assert.equal(ids(bang.encode(''))[2], vocab['!']);
  } finally { bang.delete(); }
  const short = core.createClipTokenizer(vocabText, mergesText, { maxLength: 4 });
  try {
    assert.deepEqual(ids(short.encode('red fox red fox')), [BOS, ...ids(ours.tokenize('red fox red fox')).slice(0, 2), EOS]);
  } finally { short.delete(); }
});

test('bad prompts and files give clear errors', () => {
  const error = (fn) => { try { fn(); } catch (e) { assert.ok(e instanceof HuabuError); return `${e.code}: ${e.message}`; } return 'no error'; };
  assert.equal(error(() => ours.encode('fox \ud83e')), 'invalid_argument: text contains a lone UTF-16 surrogate, which is not valid UTF-8 text');
  assert.match(error(() => ours.encode('a'.repeat(100_001))), /^invalid_argument: prompt has 100001 bytes, more than the limit of 100000$/);
  assert.match(error(() => ours.encode(42)), /^invalid_argument: text must be a string/);
  assert.equal(error(() => core.createClipTokenizer('{"a": 1', mergesText)), "invalid_argument: vocab.json: expected ',' or '}' at byte 7");
  assert.equal(error(() => core.createClipTokenizer(vocabText, 'a b c\n')),
    'invalid_argument: merges.txt line 1 must be two tokens separated by one space');
  assert.equal(error(() => core.createClipTokenizer(vocabText, new Uint8Array([0x61, 0x20, 0xff]))),
    'invalid_argument: merges.txt is not valid UTF-8 (byte 2)');
  assert.equal(error(() => core.createClipTokenizer(vocabText, mergesText, { padToken: '<pad>' })),
    'invalid_argument: vocab.json has no pad token "<pad>"');
  assert.match(error(() => core.createClipTokenizer(vocabText, mergesText, { maxLength: 1 })), /max_length 1 must be in 2\.\.4096/);
  assert.match(error(() => core.createClipTokenizer(vocabText)), /^invalid_argument: createClipTokenizer/);
});

test('the reference tokenizer fetched nothing', () => {
  assert.deepEqual(fetched, []);
});
