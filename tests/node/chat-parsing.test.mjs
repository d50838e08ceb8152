// The drawing bot's understanding: slash commands, /draw options and plain-language requests
// in English and Chinese all end in one normal form (web/src/chat/*.js, pure modules).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseCommand } from '../../web/src/chat/commands.js';
import { randomSeed } from '../../web/src/chat/draw-request.js';
import { singular } from '../../web/src/chat/plain-request.js';

const defaults = { style: 'any', count: 4, steps: 12, guidance: 4 };
const drawn = (input) => {
  const result = parseCommand(input);
  assert.equal(result.kind, 'draw', `${input} -> ${JSON.stringify(result)}`);
  return result.request;
};

test('plain English requests become a normalised request', () => {
  const cases = [
    ['draw a cat in the rain', { prompt: 'a cat in the rain' }],
    ['can you draw me a red fox', { prompt: 'a red fox' }],
    ['Could you please paint a blue whale?', { prompt: 'a blue whale' }],
    ['please sketch a house, thanks!', { prompt: 'a house' }],
    ["I'd like you to draw a rocket", { prompt: 'a rocket' }],
    ['draw three cats in the rain', { prompt: 'cat in the rain', count: 3 }],
    ['draw 2 foxes', { prompt: 'fox', count: 2 }],
    ['draw me four pictures of a dog', { prompt: 'a dog', count: 4 }],
    ['Please draw 2 pictures of a dog in twemoji style', { prompt: 'a dog', count: 2, style: 'twemoji' }],
    ['paint a fox as an outline', { prompt: 'a fox', style: 'openmoji-outline' }],
    ['draw a robot in fluent 3d style', { prompt: 'a robot', style: 'fluent-3d' }],
    ['I want a picture of a tree', { prompt: 'a tree' }],
    ['an image of the moon', { prompt: 'the moon' }],
    ['draw a flat tire', { prompt: 'a flat tire' }], // "flat" without "style"/"in" is an adjective
  ];
  for (const [input, expected] of cases) assert.deepEqual(drawn(input), { ...defaults, ...expected }, input);
});

test('plain Chinese requests become a normalised request', () => {
  const cases = [
    ['画一只猫', { prompt: '猫' }],
    ['帮我画一个红色的苹果', { prompt: '红色的苹果' }],
    ['画三只猫', { prompt: '猫', count: 3 }],
    ['画两只红色的鸟吧！', { prompt: '红色的鸟', count: 2 }],
    ['请画5只狗', { prompt: '狗', count: 5 }],
    ['你能帮我画一个太阳吗？', { prompt: '太阳' }],
    ['我想要一张猫的图片', { prompt: '猫' }],
    ['用线稿风格画一只狗', { prompt: '狗', style: 'openmoji-outline' }],
    ['画一只猫，推特风格', { prompt: '猫', style: 'twemoji' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(drawn(input), { ...defaults, ...expected }, input);
});

test('/draw and /imagine read options anywhere; a full-width slash and IME dashes work', () => {
  assert.deepEqual(drawn('/draw a red fox --count 2 --seed 42 --style twemoji --steps 20 --guidance 3.5'),
    { prompt: 'a red fox', style: 'twemoji', count: 2, steps: 20, guidance: 3.5, seed: '42' });
  assert.deepEqual(drawn('/imagine --n=1 a cat --seed 007'), { ...defaults, prompt: 'a cat', count: 1, seed: '7' });
  assert.deepEqual(drawn('／draw 一只猫 ——seed 7'), { ...defaults, prompt: '一只猫', seed: '7' });
  assert.deepEqual(drawn('/draw a cat --size 128x128'), { ...defaults, prompt: 'a cat' });
  assert.deepEqual(drawn('/DRAW a cat --style 3d'), { ...defaults, prompt: 'a cat', style: 'fluent-3d' });
  assert.equal(drawn('/draw a cat --seed 18446744073709551615').seed, '18446744073709551615');
});

test('bad /draw input gets a specific message key, never a request', () => {
  const cases = [
    ['/draw', 'draw.noPrompt'],
    ['draw', 'draw.noPrompt'],
    ['画', 'draw.noPrompt'],
    ['/draw !!! ???', 'draw.nonsense'],
    [`/draw ${'a very long prompt '.repeat(12)}`, 'draw.tooLong'],
    ['/draw a cat --count 9', 'draw.badNumber'],
    ['/draw a cat --count two', 'draw.badNumber'],
    ['/draw a cat --steps 0', 'draw.badNumber'],
    ['/draw a cat --guidance -1', 'draw.badNumber'],
    ['/draw a cat --seed 18446744073709551616', 'draw.badSeed'],
    ['/draw a cat --seed -3', 'draw.badSeed'],
    ['/draw a cat --style watercolor', 'draw.badStyle'],
    ['/draw a cat --size 512', 'draw.badSize'],
    ['/draw a cat --colour red', 'draw.unknownOption'],
    ['/draw a cat --seed', 'draw.missingValue'],
    ['draw 12 cats', 'draw.badNumber'],
  ];
  for (const [input, key] of cases) {
    const result = parseCommand(input);
    assert.equal(result.kind, 'invalid', input);
    assert.equal(result.key, key, input);
  }
});

test('other commands, greetings, help and chatter', () => {
  assert.deepEqual(parseCommand('/upscale'), { kind: 'upscale', scale: 2 });
  assert.deepEqual(parseCommand('/upscale x4'), { kind: 'upscale', scale: 4 });
  assert.deepEqual(parseCommand('/upscale 3'), { kind: 'invalid', key: 'upscale.badScale', params: { value: '3' } });
  assert.deepEqual(parseCommand('/help'), { kind: 'help' });
  assert.deepEqual(parseCommand('what can you do?'), { kind: 'help' });
  assert.deepEqual(parseCommand('帮助'), { kind: 'help' });
  assert.deepEqual(parseCommand('/lang 中文'), { kind: 'lang', locale: 'zh' });
  assert.deepEqual(parseCommand('/lang en'), { kind: 'lang', locale: 'en' });
  assert.equal(parseCommand('/lang klingon').key, 'lang.unknown');
  assert.deepEqual(parseCommand('/paint a fox'), { kind: 'unknown', name: '/paint', suggestion: '/draw' });
  assert.deepEqual(parseCommand('/frobnicate'), { kind: 'unknown', name: '/frobnicate' });
  assert.deepEqual(parseCommand('hello!'), { kind: 'greeting' });
  assert.deepEqual(parseCommand('你好'), { kind: 'greeting' });
  for (const chatter of ['asdfghjkl', 'what is the weather', 'a flat tire', '今天天气怎么样']) {
    assert.deepEqual(parseCommand(chatter), { kind: 'chat' }, chatter);
  }
});

test('style names are the ones the huabu-tiny manifest maps to style ids', async () => {
  const { readFileSync } = await import('node:fs');
  const { styleNames } = await import('../../web/src/chat/styles.js');
  const manifest = JSON.parse(readFileSync(new URL('../../models/huabu-tiny/manifest.json', import.meta.url)));
  assert.deepEqual(styleNames, Object.entries(manifest.text.styles).sort((a, b) => a[1] - b[1]).map(([name]) => name));
});

test('singular and random seeds', () => {
  assert.deepEqual(['cats', 'foxes', 'puppies', 'glass', 'bus', 'mice', 'dog'].map(singular),
    ['cat', 'fox', 'puppy', 'glass', 'bus', 'mouse', 'dog']);
  const seeds = new Set(Array.from({ length: 50 }, randomSeed));
  assert.equal(seeds.size, 50);
  for (const seed of seeds) assert.ok(/^\d{1,20}$/.test(seed) && BigInt(seed) < 2n ** 64n, seed);
});

test('sketch to picture: /render and its aliases, with or without a style', () => {
  assert.deepEqual(parseCommand('/render'), { kind: 'sketch', style: 'any' });
  assert.deepEqual(parseCommand('/render twemoji'), { kind: 'sketch', style: 'twemoji' });
  assert.deepEqual(parseCommand('/render --style 3d'), { kind: 'sketch', style: 'fluent-3d' });
  assert.deepEqual(parseCommand('/render ——style 扁平'), { kind: 'sketch', style: 'fluent-flat' });
  assert.deepEqual(parseCommand('/sketch2img outline'), { kind: 'sketch', style: 'openmoji-outline' });
  assert.deepEqual(parseCommand('/S2I'), { kind: 'sketch', style: 'any' });
  assert.deepEqual(parseCommand('／渲染 noto'), { kind: 'sketch', style: 'noto' });
  const bad = parseCommand('/render watercolour');
  assert.equal(bad.kind, 'invalid');
  assert.equal(bad.key, 'sketch.badStyle');
  assert.match(bad.params.styles, /twemoji/);
  assert.deepEqual(parseCommand('/scribble'), { kind: 'unknown', name: '/scribble', suggestion: '/render' });
});

test('sketch to picture in plain English and Chinese; drawing requests stay drawing requests', () => {
  const sketch = (text) => parseCommand(text);
  assert.deepEqual(sketch('turn my sketch into a picture'), { kind: 'sketch', style: 'any' });
  assert.deepEqual(sketch('Can you please render my drawing in twemoji style?'), { kind: 'sketch', style: 'twemoji' });
  assert.deepEqual(sketch('make this doodle into a 3d-style emoji'), { kind: 'sketch', style: 'fluent-3d' });
  assert.deepEqual(sketch('把我的草图变成图片'), { kind: 'sketch', style: 'any' });
  assert.deepEqual(sketch('把涂鸦画成扁平风格的图'), { kind: 'sketch', style: 'fluent-flat' });
  assert.deepEqual(sketch('请将这张简笔画转成twemoji风格的图片'), { kind: 'sketch', style: 'twemoji' });
  // "sketch"/"render" as drawing verbs still draw what follows.
  assert.equal(sketch('sketch a cat').kind, 'draw');
  assert.equal(sketch('render a red fox').kind, 'draw');
  assert.equal(sketch('画一只猫').kind, 'draw');
});

test('/restyle with or without a style name; lookalikes point to it', () => {
  assert.deepEqual(parseCommand('/restyle'), { kind: 'restyle' });
  assert.deepEqual(parseCommand('/restyle Oil'), { kind: 'restyle', op: 'oil' });
  assert.deepEqual(parseCommand('/换风格 watercolor'), { kind: 'restyle', op: 'watercolor' });
  assert.equal(parseCommand('/restyle <script>').kind, 'invalid');
  assert.deepEqual(parseCommand('/style'), { kind: 'unknown', name: '/style', suggestion: '/restyle' });
});
