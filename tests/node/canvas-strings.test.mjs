// The canvas's English and Chinese texts have the same keys and the same {placeholders}.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { canvasStrings } from '../../web/src/canvas/canvas-strings.js';
import { locales, t } from '../../web/src/i18n/i18n.js';

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('English and Chinese canvas texts match key for key and placeholder for placeholder', () => {
  const { en, zh } = canvasStrings;
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) assert.deepEqual(placeholders(zh[key]), placeholders(en[key]), key);
  assert.ok(Object.keys(en).every((key) => key.startsWith('canvas.')), 'no clash with the chat\'s keys');
});

test('the canvas texts are in the app\'s translation tables', () => {
  assert.equal(locales.zh['canvas.brush'], '画笔');
  assert.equal(t('canvas.layerShow', { name: 'Sky' }), 'Show Sky');
});
