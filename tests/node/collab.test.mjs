// Collaboration (web/src/collab, tools/collab-server.mjs): peers in a room converge through
// the real server and through BroadcastChannel, offline edits merge on reconnect, presence
// travels, rooms survive a server restart, and bad room names or origins are refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import test from 'node:test';
import WebSocket from 'ws';

import { addMessage, addStroke, createRoomDoc, newId, roomParts } from '../../web/src/room/room-doc.js';
import { peers } from '../../web/src/collab/presence.js';
import { parseRoomFragment, roomIdFromFragment, roomLink } from '../../web/src/collab/room-link.js';
import { isValidRoomName } from '../../web/src/collab/room-name.js';
import { joinPeer, roomContent, sameState, startCollabServer, waitFor } from './collab-helpers.mjs';

const author = { id: 'a', name: 'Ana' };
const firstLayer = (doc) => roomParts(doc).layers.get(0).get('id');

test('room names and room links', () => {
  const id = newId();
  assert.ok(isValidRoomName(id));
  for (const bad of ['', 'short', '../../etc/passwd', 'a/b'.repeat(8), 'x'.repeat(65), 'room name with spaces', null, 42]) {
    assert.equal(isValidRoomName(bad), false, String(bad));
  }
  const link = roomLink('http://h:1/?q=1#share=old', id);
  assert.equal(link, `http://h:1/?q=1#room=${id}`);
  assert.equal(roomIdFromFragment(`#room=${id}`), id);
  assert.equal(roomIdFromFragment('#share=1.x.y'), null);
  assert.throws(() => roomIdFromFragment('#room=..%2F..%2Fx'), RangeError);
});

test('two peers converge through the server; edits made offline merge on reconnect', async () => {
  const server = await startCollabServer();
  const roomId = newId();
  const a = joinPeer(server, roomId, { doc: createRoomDoc({ roomId }), name: 'Ana' });
  const b = joinPeer(server, roomId, { name: 'Bo' });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(b.doc).layers.length === 1, { what: 'initial sync' });

  addMessage(a.doc, { kind: 'text', author, text: 'hello' });
  addStroke(b.doc, firstLayer(b.doc), { points: [1, 2, 1], colour: '#000000', size: 3 });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(a.doc).messages.length === 1, { what: 'live edits' });

  // Both go offline and edit; then reconnect.
  a.transport('websocket').disconnect();
  b.transport('websocket').disconnect();
  addMessage(a.doc, { kind: 'text', author, text: 'written offline by Ana' });
  addStroke(b.doc, firstLayer(b.doc), { points: [5, 5, 1], colour: '#ff0000', size: 3 });
  assert.equal(sameState(a.doc, b.doc), false);
  a.transport('websocket').connect();
  b.transport('websocket').connect();
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(b.doc).messages.length === 2, { what: 'merge after reconnect' });
  const texts = roomParts(b.doc).messages.toArray().map((m) => m.get('text'));
  assert.deepEqual(texts, ['hello', 'written offline by Ana']);
  assert.equal(roomParts(a.doc).layers.get(0).get('items').length, 2);

  // Presence: each sees the other's name and cursor.
  a.session.awareness.setLocalStateField('cursor', { x: 10, y: 20 });
  await waitFor(() => peers(b.session.awareness).some((p) => p.name === 'Ana' && p.cursor?.x === 10), { what: 'presence' });
  assert.ok(peers(a.session.awareness).some((p) => p.name === 'Bo'));

  a.session.leave();
  b.session.leave();
  await server.close();
});

test('rooms persist to disk across a server restart; the log is compacted', async () => {
  const first = await startCollabServer();
  const roomId = newId();
  const a = joinPeer(first, roomId, { doc: createRoomDoc({ roomId }) });
  addMessage(a.doc, { kind: 'text', author, text: 'kept' });
  const file = first.collab.store.fileOf(roomId);
  // Appended as it arrives: on disk while the room is still open.
  await waitFor(() => fs.existsSync(file) && fs.readFileSync(file).includes(Buffer.from('kept')), { what: 'message on disk' });
  const expected = roomContent(a.doc);
  a.session.leave();
  await first.close();

  const second = await startCollabServer({ dir: first.dir });
  const b = joinPeer(second, roomId);
  await waitFor(() => roomContent(b.doc) === expected, { what: 'room restored from disk' });
  b.session.leave();
  await second.close();
  // Compacted to a single record on close.
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.readUInt32BE(0) + 4, bytes.length);
});

test('an unreadable room file is kept aside, not deleted, and the room starts empty', async () => {
  const server = await startCollabServer();
  const roomId = newId();
  fs.writeFileSync(server.collab.store.fileOf(roomId), Buffer.from([0, 0, 0, 3, 0xff, 0xff, 0xff]));
  const a = joinPeer(server, roomId, { doc: createRoomDoc({ roomId }) });
  await waitFor(() => a.transport('websocket').synced, { what: 'sync' });
  const aside = fs.readdirSync(server.dir).filter((f) => f.includes('.unreadable-'));
  assert.equal(aside.length, 1);
  a.session.leave();
  await server.close();
});

test('the server refuses bad room names, other origins and garbage frames', async () => {
  const server = await startCollabServer();
  const status = (url, headers = {}) => new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_, res) => resolve(res.statusCode));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => {});
  });
  const base = `ws://127.0.0.1:${server.port}`;
  assert.equal(await status(`${base}/collab/..%2F..%2Fetc%2Fpasswd`), 400);
  assert.equal(await status(`${base}/collab/short`), 400);
  assert.equal(await status(`${base}/elsewhere`), 404);
  assert.equal(await status(`${base}/collab/${newId()}`, { Origin: 'https://evil.example' }), 403);
  assert.equal(await status(`${base}/collab/${newId()}`, { Origin: `http://127.0.0.1:${server.port}` }), 101);
  assert.deepEqual(fs.readdirSync(server.dir).filter((f) => !f.endsWith('.yjs')), []);

  // Garbage on an open connection does not stop the room for others.
  const roomId = newId();
  const a = joinPeer(server, roomId, { doc: createRoomDoc({ roomId }) });
  const raw = new WebSocket(`${base}/collab/${roomId}`);
  await new Promise((resolve) => raw.on('open', resolve));
  raw.send(new Uint8Array([0, 2, 200, 1, 2, 3]));
  raw.send(new Uint8Array([7, 7, 7]));
  raw.close();
  const b = joinPeer(server, roomId);
  addMessage(a.doc, { kind: 'text', author, text: 'still here' });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(b.doc).messages.length === 1, { what: 'room still works' });
  a.session.leave();
  b.session.leave();
  await server.close();
});

test('two tabs converge through BroadcastChannel, without a server', async () => {
  const roomId = newId();
  const a = joinPeer(null, roomId, { doc: createRoomDoc({ roomId }), transports: ['broadcast'], name: 'Tab A' });
  addMessage(a.doc, { kind: 'text', author, text: 'before the second tab opened' });
  const b = joinPeer(null, roomId, { transports: ['broadcast'], name: 'Tab B' });
  await waitFor(() => sameState(a.doc, b.doc), { what: 'catch-up' });
  addStroke(b.doc, firstLayer(b.doc), { points: [1, 1, 1], colour: '#00ff00', size: 2 });
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(a.doc).layers.get(0).get('items').length === 1, { what: 'stroke' });
  await waitFor(() => peers(a.session.awareness).some((p) => p.name === 'Tab B'), { what: 'presence' });

  b.transport('broadcast').disconnect();
  addMessage(b.doc, { kind: 'text', author, text: 'offline tab' });
  addMessage(a.doc, { kind: 'text', author, text: 'online tab' });
  await waitFor(() => peers(a.session.awareness).length === 0, { what: 'presence removed when the tab went away' });
  b.transport('broadcast').connect();
  await waitFor(() => sameState(a.doc, b.doc) && roomParts(a.doc).messages.length === 3, { what: 'merge' });
  a.session.leave();
  b.session.leave();
});

test('room links: #room=<id> and #room=<id>&via=host; anything else after the id is refused', () => {
  const id = 'd'.repeat(32);
  assert.deepEqual(parseRoomFragment(`#room=${id}`), { roomId: id, viaHost: false });
  assert.deepEqual(parseRoomFragment(`#room=${id}&via=host`), { roomId: id, viaHost: true });
  assert.throws(() => parseRoomFragment(`#room=${id}&via=server`), /parts Huabu does not know/);
  assert.throws(() => parseRoomFragment('#room=../x&via=host'), /room name is not valid/);
  assert.equal(parseRoomFragment('#share=1.a.b'), null);
});
