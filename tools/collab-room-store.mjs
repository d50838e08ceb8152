// Rooms on disk for the collaboration server: one file per room, <dir>/<room>.yjs, an
// append-only log of Yjs updates ([u32 big-endian length][update] ...). Every update is
// appended as it arrives, so a crash loses nothing already acknowledged; a torn last record
// (crash mid-write) is ignored on load. When the last person leaves, the log is compacted to
// one record. A file that does not load is moved aside (never deleted) and the room starts
// empty.

import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { checkRoomName } from '../web/src/collab/room-name.js';

function readRecords(bytes) {
  const records = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    if (at + 4 + length > bytes.length) break; // torn write
    records.push(new Uint8Array(bytes.buffer, bytes.byteOffset + at + 4, length));
    at += 4 + length;
  }
  return records;
}

function record(update) {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(update.length);
  return Buffer.concat([header, update]);
}

/** The persistence object @y/websocket-server's setPersistence expects, storing in `dir`. */
export function createRoomStore(dir, { log = console } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const fileOf = (room) => path.join(dir, `${checkRoomName(room)}.yjs`);

  function writeCompacted(room, doc) {
    const file = fileOf(room);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, record(Y.encodeStateAsUpdate(doc)));
    fs.renameSync(tmp, file);
  }

  return {
    dir,
    fileOf,
    // Loads synchronously: the server sends its first sync message right after this returns.
    bindState(room, doc) {
      const file = fileOf(room);
      if (fs.existsSync(file)) {
        try {
          const records = readRecords(fs.readFileSync(file));
          if (records.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(records));
          if (records.length > 1) writeCompacted(room, doc);
        } catch (err) {
          const aside = `${file}.unreadable-${Date.now()}`;
          fs.renameSync(file, aside);
          log.error(`collab: room ${room} could not be loaded (${err.message}); kept as ${aside}`);
        }
      }
      doc.on('update', (update) => fs.appendFileSync(file, record(update)));
    },
    async writeState(room, doc) {
      writeCompacted(room, doc);
    },
  };
}
