// English and Chinese UI strings: same keys, same placeholders; language picking.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { format, pickLocale } from '../../web/src/i18n/i18n.js';
import en from '../../web/src/i18n/messages-en.js';
import zh from '../../web/src/i18n/messages-zh.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('both languages have the same keys and the same placeholders per key', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) assert.deepEqual(placeholders(zh[key]), placeholders(en[key]), key);
});

test('Chinese strings are Chinese, not copies of the English', () => {
  const same = Object.keys(en).filter((k) => en[k] === zh[k]);
  assert.deepEqual(same, []);
});

test('every key the parsers can return exists', async () => {
  const { readFileSync } = await import('node:fs');
  const sources = ['commands.js', 'draw-command.js', 'draw-request.js', 'plain-request.js']
    .map((f) => readFileSync(new URL(`../../web/src/chat/${f}`, import.meta.url), 'utf8')).join('\n');
  const keys = [...sources.matchAll(/'((?:draw|upscale|lang)\.\w+)'/g)].map((m) => m[1]);
  assert.ok(keys.length >= 8);
  for (const key of keys) assert.ok(key in en, key);
});

test('pickLocale and format', () => {
  assert.equal(pickLocale(['zh-CN', 'en']), 'zh');
  assert.equal(pickLocale(['zh-Hant-TW']), 'zh');
  assert.equal(pickLocale(['en-GB', 'zh']), 'en');
  assert.equal(pickLocale(['fr-FR', 'zh']), 'zh');
  assert.equal(pickLocale(['fr-FR']), 'en');
  assert.equal(pickLocale([]), 'en');
  assert.equal(format('{a} and {b} but {c}', { a: 1, b: 'two' }), '1 and two but {c}');
});
