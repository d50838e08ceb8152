// Sync messages over Matrix's 64 KiB event limit travel in parts (web/src/embed/matrix-chunks.js):
// split and put back together in any order, per sender; malformed, oversized and abandoned
// parts are dropped without touching the room.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createReassembler, maxPartChars, splitMessage } from '../../web/src/embed/matrix-chunks.js';

const big = (n) => Array.from({ length: n }, (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[(i * 7919) % 64]).join('');

test('a small message is one event; a big one is parts that fit the limit and join back in any order', () => {
  assert.deepEqual(splitMessage('aGVsbG8='), [{ m: 'aGVsbG8=' }]);
  const message = big(3 * maxPartChars + 5);
  const parts = splitMessage(message, 'x1');
  assert.equal(parts.length, 4);
  for (const p of parts) assert.ok(JSON.stringify(p).length < 60_000, 'each event stays well under 64 KiB');
  const r = createReassembler();
  const order = [2, 0, 3];
  for (const i of order) assert.equal(r.accept('@ana:x', parts[i]), null);
  assert.equal(r.accept('@bo:x', parts[1]), null, 'another sender’s part does not complete Ana’s message');
  assert.equal(r.accept('@ana:x', parts[1]), message);
  assert.equal(r.pendingCount, 1, 'only Bo’s stray part is left');
});

test('malformed or oversized parts are ignored; a repeated part does not count twice; old parts expire', () => {
  let t = 0;
  const r = createReassembler({ now: () => t });
  for (const bad of [null, {}, { m: 5 }, { m: 'a', part: { id: 'x', i: 2, n: 2 } }, { m: 'a', part: { id: 'x', i: 0, n: 1 } },
    { m: 'a', part: { id: 7, i: 0, n: 2 } }, { m: 'a', part: { id: 'x', i: 0, n: 100_000 } }, { m: big(maxPartChars + 1), part: { id: 'x', i: 0, n: 2 } }]) {
    assert.equal(r.accept('@ana:x', bad), null, JSON.stringify(bad)?.slice(0, 80));
  }
  assert.equal(r.pendingCount, 0);
  const parts = splitMessage(big(2 * maxPartChars), 'y');
  assert.equal(r.accept('@ana:x', parts[0]), null);
  assert.equal(r.accept('@ana:x', parts[0]), null, 'the same part again');
  t += 6 * 60_000; // the second part comes too late: the first was dropped
  assert.equal(r.accept('@ana:x', parts[1]), null);
  assert.equal(r.accept('@ana:x', splitMessage(big(2 * maxPartChars), 'z')[0]), null);
  assert.ok(r.pendingCount <= 2);
});

test('a flood of unfinished messages keeps at most 16 pending', () => {
  const r = createReassembler();
  for (let k = 0; k < 100; k++) r.accept('@eve:x', { m: 'a', part: { id: `id${k}`, i: 0, n: 3 } });
  assert.equal(r.pendingCount, 16);
});
