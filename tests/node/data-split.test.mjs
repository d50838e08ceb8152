// models/data: the committed split and vocabulary are consistent and usable. Needs only
// committed files (CI never builds the .cache dataset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer, englishWords, UNK } from '../../models/data/vocab/tokenizer.mjs';

const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/data');
const json = (f) => JSON.parse(readFileSync(path.join(dataDir, f), 'utf8'));
const split = json('split.json');
const vocab = json('vocab/vocab.json');
const tok = new Tokenizer(vocab.words, json('vocab/zh.json'));

test('split: no concept in two parts, held-out fraction about 10%', () => {
  const train = new Set(split.train_concepts), held = new Set(split.heldout_concepts);
  assert.equal(train.size, split.train_concepts.length, 'duplicate train ids');
  assert.equal(held.size, split.heldout_concepts.length, 'duplicate held-out ids');
  for (const id of held) assert.ok(!train.has(id), `${id} is in both parts`);
  assert.equal(train.size + held.size, split.counts.concepts);
  const frac = held.size / split.counts.concepts;
  assert.ok(frac > 0.07 && frac < 0.13, `held-out fraction ${frac}`);
  // held-out images belong to training concepts; held-out prompts to held-out concepts
  for (const [id, styles] of Object.entries(split.heldout_images)) {
    assert.ok(train.has(id), `${id} has held-out images but is not a training concept`);
    assert.ok(styles.length >= 1 && styles.length <= 2, `${id}: ${styles}`);
  }
  assert.deepEqual(Object.keys(split.heldout_prompts).sort(), [...held].sort());
});

test('vocabulary and GloVe file load and agree', () => {
  assert.equal(vocab.words.length, vocab.size);
  assert.deepEqual(vocab.words.slice(0, 2), ['<pad>', '<unk>']);
  const bin = path.join(dataDir, 'vocab', vocab.glove.file);
  assert.equal(statSync(bin).size, vocab.size * (4 + vocab.glove.dims));
  assert.ok(statSync(bin).size < 1.5e6);
  const buf = readFileSync(bin);
  const scale = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + 4 * vocab.size));
  const cat = vocab.words.indexOf('cat');
  assert.ok(scale[cat] > 0, 'cat has a GloVe vector');
});

test('vocabulary covers every English word of the held-out prompts', () => {
  const missing = Object.values(split.heldout_prompts).flatMap((p) => englishWords(p.en))
    .filter((w) => tok.id(w) === UNK);
  assert.deepEqual(missing, []);
});

test('Chinese prompts map onto English words', () => {
  const words = (p) => tok.toWords(p);
  assert.deepEqual(words('画一只红色的狐狸'), ['draw', 'a', 'red', 'fox']);
  assert.ok(words('画一只猫').includes('cat'));
  assert.ok(words('畫一隻藍色的鯨魚').includes('whale'));
  assert.ok(words('一只可爱的小狗在雨中').includes('dog'));
  // every held-out concept with a Chinese name gets at least one known word
  for (const p of Object.values(split.heldout_prompts)) {
    if (!p.zh) continue;
    assert.ok(tok.encode(p.zh).some((id) => id > UNK), `${p.zh} -> ${words(p.zh)}`);
  }
});

test('huabu_tokenizer.py gives the same words as tokenizer.mjs', { skip: !existsSync('/usr/bin/python3') }, () => {
  const prompts = ['画一只红色的狐狸', 'Draw a cute 3D fox, twemoji style!', 'Piñata in the rain', '一只🦊和T恤',
    ...Object.values(split.heldout_prompts).flatMap((p) => [p.en, p.zh ?? ''])];
  const r = spawnSync('/usr/bin/python3', [path.join(dataDir, 'vocab/huabu_tokenizer.py')], { input: prompts.join('\n') + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const py = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  prompts.forEach((p, i) => assert.deepEqual(py[i], tok.toWords(p), p));
});
