// Rooms kept in this browser: each room document persists in its own IndexedDB database
// (y-indexeddb, one update per change; storage/unsaved-journal.js keeps what is still in flight
// when the page goes away, so a reload loses nothing); the list of
// rooms and which one is open live in localStorage (small, read before anything renders).

import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';

import { isValidRoomName } from '../collab/room-name.js';
import { createRoomDoc, newId, roomParts } from '../room/room-doc.js';
import { journalUnsaved, replayUnsaved } from './unsaved-journal.js';

const listKey = 'huabu.rooms';
const currentKey = 'huabu.currentRoom';
export const roomDatabaseName = (roomId) => `huabu-room-${roomId}`;

/** [{id, title, createdAt}] newest first; a damaged list reads as empty, never throws. */
export function listRooms() {
  try {
    const rooms = JSON.parse(localStorage.getItem(listKey) ?? '[]');
    return Array.isArray(rooms) ? rooms.filter((r) => isValidRoomName(r?.id)) : [];
  } catch {
    return [];
  }
}

function saveList(rooms) {
  localStorage.setItem(listKey, JSON.stringify(rooms));
}

export function setCurrentRoom(roomId) {
  localStorage.setItem(currentKey, roomId);
}

/** Remembers a room's title in the list (the document's meta.title is the truth). */
export function rememberRoom({ id, title }) {
  const rooms = listRooms();
  const known = rooms.find((r) => r.id === id);
  if (known) known.title = title;
  else rooms.unshift({ id, title, createdAt: Date.now() });
  saveList(rooms);
}

/**
 * Persists a room document and resolves once IndexedDB holds it (or, for an existing room,
 * once its stored state is loaded into `doc`, with what the last page could not save).
 */
async function persist(doc, roomId) {
  const persistence = new IndexeddbPersistence(roomDatabaseName(roomId), doc);
  await persistence.whenSynced;
  journalUnsaved(doc, persistence, roomId);
  replayUnsaved(doc, roomId);
  return persistence;
}

/**
 * Resolves once IndexedDB really holds room `id`. y-indexeddb reports "synced" when its
 * writes are issued, not committed, so a reload right after could lose a new room; a second
 * reader is served only after earlier write transactions commit, so reading it back proves it.
 */
async function onDisk(id) {
  const check = new Y.Doc();
  const reader = new IndexeddbPersistence(roomDatabaseName(id), check);
  await reader.whenSynced;
  const saved = roomParts(check).meta.get('id') === id;
  await reader.destroy();
  check.destroy();
  return saved;
}

/**
 * A new room (optionally from a ready document, e.g. a remixed share link), made current.
 * Resolves once it is on disk (`saved`: a reload may follow) or known not to be (a full
 * disk: `saved` false, the room lives only in this page).
 */
export async function createRoom({ title, doc } = {}) {
  const roomDoc = doc ?? createRoomDoc({ title });
  const { meta } = roomParts(roomDoc);
  const id = meta.get('id') ?? newId();
  if (!meta.get('id')) meta.set('id', id);
  const persistence = await persist(roomDoc, id);
  const saved = await onDisk(id);
  rememberRoom({ id, title: meta.get('title') });
  setCurrentRoom(id);
  return { id, doc: roomDoc, persistence, created: true, saved };
}

/**
 * Opens the current room (the last one open, else the newest, else a new one), or the room
 * `joinId` from an invitation link. An existing or joined room starts from an empty
 * document filled from IndexedDB (and, when joined, by the collaboration transports), as
 * the schema asks.
 * @param {{defaultTitle: (n: number) => string, joinId?: string}} options
 * @returns {Promise<{id: string, doc: import('yjs').Doc, persistence: IndexeddbPersistence,
 *   created: boolean, joined: boolean}>}
 */
export async function openCurrentRoom({ defaultTitle, joinId }) {
  const rooms = listRooms();
  if (joinId) {
    const doc = new Y.Doc();
    const persistence = await persist(doc, joinId);
    rememberRoom({ id: joinId, title: roomParts(doc).meta.get('title') ?? rooms.find((r) => r.id === joinId)?.title ?? joinId.slice(0, 8) });
    setCurrentRoom(joinId);
    return { id: joinId, doc, persistence, created: false, joined: true };
  }
  const wanted = localStorage.getItem(currentKey);
  const known = rooms.find((r) => r.id === wanted) ?? rooms[0];
  if (!known) return { ...(await createRoom({ title: defaultTitle(1) })), joined: false };

  const doc = new Y.Doc();
  const persistence = await persist(doc, known.id);
  const { meta } = roomParts(doc);
  if (!meta.get('id')) {
    // Listed but empty (its database was cleared): start it again under the same id.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(createRoomDoc({ roomId: known.id, title: known.title ?? defaultTitle(1) })));
  }
  setCurrentRoom(known.id);
  return { id: known.id, doc, persistence, created: false, joined: false };
}
