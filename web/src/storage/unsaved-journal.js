// y-indexeddb issues one IndexedDB write per change, but the browser aborts a write still in
// flight when the page goes away (a reload, a closed tab, a room switch right after typing).
// So each change is kept here until IndexedDB confirms it, and on `pagehide` the unconfirmed
// ones go to localStorage, which writes synchronously. The next open of the room applies them
// (Yjs updates are idempotent, so one that did reach IndexedDB is harmless).

import * as buffer from 'lib0/buffer';
import * as Y from 'yjs';

const journalKey = (roomId) => `huabu.unsaved.${roomId}`;
const maxJournalBytes = 1 << 20; // localStorage holds ~5 MB per origin; big images stay best-effort
const replayOrigin = 'unsaved-journal';

/** Applies what a previous page of room `roomId` could not save, then forgets it. */
export function replayUnsaved(doc, roomId) {
  const text = localStorage.getItem(journalKey(roomId));
  if (text === null) return false;
  localStorage.removeItem(journalKey(roomId));
  try {
    Y.applyUpdate(doc, buffer.fromBase64(text), replayOrigin);
    return true;
  } catch {
    return false; // damaged by hand or by another program: the room itself is untouched
  }
}

/**
 * Keeps `doc`'s changes until IndexedDB has committed them.
 * @param {import('yjs').Doc} doc
 * @param {{db: IDBDatabase}} persistence a synced y-indexeddb persistence of `doc`
 * @param {string} roomId
 */
export function journalUnsaved(doc, persistence, roomId) {
  let pending = [];
  let confirming = false;
  let writeFailed = false; // a failed write (full disk) means nothing after it is confirmed
  persistence.db.addEventListener('abort', () => { writeFailed = true; });

  // IndexedDB starts a read-only transaction only after every read/write transaction made
  // before it on the same store has finished, so its `complete` confirms the earlier writes.
  const confirm = () => {
    if (confirming || pending.length === 0 || writeFailed) return;
    confirming = true;
    const count = pending.length;
    const tx = persistence.db.transaction(['updates'], 'readonly');
    tx.oncomplete = () => {
      confirming = false;
      if (writeFailed) return;
      pending = pending.slice(count);
      confirm();
    };
    tx.onabort = () => { confirming = false; };
  };

  doc.on('update', (update, origin) => {
    if (origin === persistence) return; // read from IndexedDB: already there
    pending.push(update);
    // Unconfirmed for long (a full disk: nothing is confirmed any more): keep one merged
    // update instead of thousands of small ones.
    if (pending.length > 256 && !confirming) pending = [Y.mergeUpdates(pending)];
    setTimeout(confirm, 0); // after y-indexeddb's own handler has issued the write
  });

  window.addEventListener('pagehide', () => {
    if (pending.length === 0) return;
    const merged = Y.mergeUpdates(pending);
    if (merged.byteLength > maxJournalBytes) return;
    try {
      localStorage.setItem(journalKey(roomId), buffer.toBase64(merged));
    } catch {
      // localStorage full too: nothing more can be done while the page is going away
    }
  });
}
