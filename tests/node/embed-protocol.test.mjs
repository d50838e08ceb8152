// The embed postMessage API (web/src/embed): messages are checked against their schema
// (exact fields, types, ranges), origin allowlist entries must be exact origins, the bridge
// answers only its parent at an allowed origin and never uses '*', and random or mutated
// messages are refused without throwing.
import assert from 'node:assert/strict';
import test from 'node:test';

import { checkAllowedOrigin, embedMessage, embedMessageProblem, isEmbedMessage } from '../../web/src/embed/embed-protocol.js';
import { startEmbedBridge } from '../../web/src/embed/embed-bridge.js';

test('valid commands, replies and events pass; everything else says why not', () => {
  const ok = [
    ['command', { huabu: 1, kind: 'command', type: 'generate', id: 'a1', payload: { prompt: 'a cat', seed: 3 } }],
    ['command', { huabu: 1, kind: 'command', type: 'insert-image', id: 'a2', payload: { bytes: new Uint8Array([1]), mime: 'image/png' } }],
    ['command', { huabu: 1, kind: 'command', type: 'export', id: 'a3', payload: { mime: 'image/webp' } }],
    ['command', { huabu: 1, kind: 'command', type: 'join-room', id: 'a4', payload: { roomId: 'x'.repeat(32) } }],
    ['command', { huabu: 1, kind: 'command', type: 'set-user', id: 'a5', payload: { name: 'Ana' } }],
    ['reply', { huabu: 1, kind: 'reply', type: 'ok', id: 'a1', payload: {} }],
    ['reply', { huabu: 1, kind: 'reply', type: 'error', id: 'a1', payload: { message: 'no' } }],
    ['event', { huabu: 1, kind: 'event', type: 'ready', payload: { version: 1 } }],
    ['event', { huabu: 1, kind: 'event', type: 'image-created', payload: { assetId: 'f'.repeat(64), mime: 'image/webp', width: 8, height: 8, recipe: { prompt: 'p' } } }],
    ['event', { huabu: 1, kind: 'event', type: 'progress', payload: { id: 'j', fraction: 0.5 } }],
  ];
  for (const [kind, message] of ok) assert.equal(embedMessageProblem(message, kind), null, JSON.stringify(message));

  const base = { huabu: 1, kind: 'command', type: 'export', id: 'a', payload: { mime: 'image/png' } };
  const bad = [
    null, 'export', [], { ...base, huabu: 2 }, { ...base, kind: 'event' }, { ...base, id: undefined },
    { ...base, id: 'has space' }, { ...base, type: 'eval' }, { ...base, type: 'toString' }, { ...base, type: '__proto__' },
    { ...base, payload: null }, { ...base, payload: { mime: 'image/svg+xml' } }, { ...base, payload: { mime: 'image/png', extra: 1 } },
    { ...base, extra: true },
    { ...base, type: 'generate', payload: { prompt: 'x'.repeat(1001) } },
    { ...base, type: 'generate', payload: { prompt: 'p', seed: -1 } },
    { ...base, type: 'insert-image', payload: { bytes: [1, 2], mime: 'image/png' } },
    { ...base, type: 'insert-image', payload: { bytes: new Uint8Array(0), mime: 'image/png' } },
  ];
  for (const message of bad) {
    const problem = embedMessageProblem(message, 'command');
    assert.equal(typeof problem, 'string', JSON.stringify(message));
  }
  assert.throws(() => embedMessage('command', 'export', { mime: 'text/html' }, 'x'), TypeError);
});

test('allowlist entries are exact origins; * and paths are refused', () => {
  assert.equal(checkAllowedOrigin('https://im.example.com'), 'https://im.example.com');
  assert.equal(checkAllowedOrigin('http://127.0.0.1:8081'), 'http://127.0.0.1:8081');
  for (const bad of ['*', 'https://im.example.com/', 'https://im.example.com/chat', 'null', 'file:///x', 'javascript:alert(1)', '']) {
    assert.throws(() => checkAllowedOrigin(bad), RangeError, bad);
  }
});

// A window pair good enough to drive the bridge: postMessage records (message, targetOrigin).
function fakeWindows() {
  const sent = [];
  const listeners = [];
  const parent = { postMessage: (message, targetOrigin) => sent.push({ message, targetOrigin }) };
  const win = { parent, addEventListener: (type, fn) => listeners.push(fn) };
  const deliver = (event) => Promise.all(listeners.map((fn) => fn(event))).then(() => new Promise((r) => setTimeout(r, 0)));
  return { win, parent, sent, deliver };
}

test('the bridge answers only its parent at an allowed origin, to that origin', async () => {
  const { win, parent, sent, deliver } = fakeWindows();
  const calls = [];
  const bridge = startEmbedBridge({
    allowedOrigins: ['https://a.example', 'https://b.example'],
    win,
    handlers: {
      export: async (payload) => { calls.push(payload); return { mime: 'image/png', bytes: new Uint8Array([1]) }; },
      'set-user': () => { throw new Error('nope'); },
    },
  });
  assert.ok(bridge);
  // 'ready' went to each allowed origin, never '*'.
  assert.deepEqual(sent.map((s) => [s.message.type, s.targetOrigin]), [['ready', 'https://a.example'], ['ready', 'https://b.example']]);
  sent.length = 0;

  const command = embedMessage('command', 'export', { mime: 'image/png' }, 'c1');
  await deliver({ source: parent, origin: 'https://evil.example', data: command });
  await deliver({ source: { other: true }, origin: 'https://a.example', data: command });
  assert.equal(calls.length, 0);
  assert.equal(sent.length, 0);

  await deliver({ source: parent, origin: 'https://b.example', data: command });
  assert.equal(calls.length, 1);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].targetOrigin, 'https://b.example');
  assert.equal(sent[0].message.type, 'ok');
  assert.equal(sent[0].message.id, 'c1');

  await deliver({ source: parent, origin: 'https://a.example', data: embedMessage('command', 'set-user', { name: 'x' }, 'c2') });
  assert.deepEqual([sent[1].message.type, sent[1].message.payload.message, sent[1].targetOrigin], ['error', 'nope', 'https://a.example']);

  await deliver({ source: parent, origin: 'https://a.example', data: { huabu: 1, kind: 'command', type: 'export', id: 'c3', payload: { mime: 'x' } } });
  assert.equal(sent[2].message.type, 'error');
  assert.equal(sent[2].message.kind, 'event');
  assert.equal(calls.length, 1);

  assert.equal(startEmbedBridge({ allowedOrigins: [], win, handlers: {} }), null, 'no allowed origin: no bridge');
  assert.throws(() => startEmbedBridge({ allowedOrigins: ['*'], win, handlers: {} }), RangeError);
});

test('fuzz: random and mutated messages are judged without throwing', () => {
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const values = [undefined, null, 0, -1, 1.5, NaN, 'x', 'image/png', '', 'a'.repeat(70), true, [], {}, new Uint8Array(2), { a: 1 }, 1, 2];
  const keys = ['huabu', 'kind', 'type', 'id', 'payload', 'prompt', 'mime', 'bytes', 'name', 'roomId', 'seed', '__proto__', 'constructor'];
  const valid = embedMessage('command', 'generate', { prompt: 'p', seed: 1 }, 'id1');
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const m = structuredClone(valid);
    const target = rand() < 0.5 ? m : m.payload;
    const key = keys[Math.floor(rand() * keys.length)];
    target[key] = values[Math.floor(rand() * values.length)];
    if (rand() < 0.2) m.type = ['generate', 'export', 'join-room', 'ok', 'ready', 'hasOwnProperty'][Math.floor(rand() * 6)];
    for (const kind of ['command', 'reply', 'event']) {
      const problem = embedMessageProblem(m, kind);
      assert.ok(problem === null || typeof problem === 'string');
      if (problem === null) accepted++;
    }
  }
  assert.ok(accepted > 100, `accepted ${accepted}`);
});

test('the SDK types (huabu-embed.d.ts) name exactly the protocol\'s commands and events', async () => {
  const { readFileSync } = await import('node:fs');
  const { commandTypes, eventTypes } = await import('../../web/src/embed/embed-protocol.js');
  const dts = readFileSync(new URL('../../web/src/embed/huabu-embed.d.ts', import.meta.url), 'utf8');
  const keysOf = (name) => {
    const body = dts.slice(dts.indexOf(`export interface ${name} {`), dts.indexOf('\n}\n', dts.indexOf(`export interface ${name} {`)));
    return [...body.matchAll(/^ {2}'?([a-z-]+)'?: \{/gm)].map((m) => m[1]);
  };
  assert.deepEqual(keysOf('HuabuCommands').sort(), [...commandTypes].sort());
  assert.deepEqual(keysOf('HuabuEvents').sort(), [...eventTypes].sort());
  for (const type of eventTypes) assert.ok(dts.includes(`'huabu-${type}': CustomEvent`), `huabu-${type} in HTMLElementEventMap`);
});

test('the edit commands: upscale 2|4, sketch with an optional style, restyle with a style', () => {
  assert.equal(embedMessageProblem(embedMessage('command', 'upscale', { scale: 4 }, 'a1'), 'command'), null);
  assert.throws(() => embedMessage('command', 'upscale', { scale: 3 }, 'a2'), /bad payload field scale/);
  assert.equal(embedMessageProblem(embedMessage('command', 'sketch', {}, 'a3'), 'command'), null);
  assert.throws(() => embedMessage('command', 'restyle', {}, 'a4'), /bad payload field style/);
  assert.throws(() => embedMessage('command', 'restyle', { style: 'x'.repeat(41) }, 'a5'), /bad payload field style/);
});
