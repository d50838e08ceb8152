// Remix as the app does it: the shared creation becomes a new room saved in this browser
// (storage/rooms.js), and only then may the page reload into it.

import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { createRoom, roomDatabaseName } from '../storage/rooms.js';
import { roomFromShare } from './remix.js';

/** Creates and saves the room; resolves once IndexedDB really holds it. */
export async function remixIntoNewRoom(shared) {
  const { id } = await createRoom({ doc: await roomFromShare(shared) });
  // y-indexeddb says "synced" once its writes are issued, not committed, and a reload right
  // away could drop them. A second reader of the database is served only after earlier
  // write transactions have committed, so reading the room back proves it is on disk.
  const check = new Y.Doc();
  const reader = new IndexeddbPersistence(roomDatabaseName(id), check);
  await reader.whenSynced;
  const saved = check.getMap('meta').get('id') === id;
  await reader.destroy();
  check.destroy();
  if (!saved) throw new Error('The remixed room could not be saved in this browser.');
  return id;
}
