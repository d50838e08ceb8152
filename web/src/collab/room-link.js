// Invitation links: `<app URL>#room=<room id>`. The id stays in the fragment, which the
// browser never sends to the server, so it does not end up in access logs.

import { checkRoomName, isValidRoomName } from './room-name.js';

export function roomLink(baseUrl, roomId) {
  return `${String(baseUrl).split('#')[0]}#room=${checkRoomName(roomId)}`;
}

/**
 * {roomId, viaHost} of '#room=<id>' or '#room=<id>&via=host' (an embedding IM page carries
 * the room, docs/embedding.md); null if the fragment is not a room link.
 */
export function parseRoomFragment(fragment) {
  const match = /^#?room=([^&]*)(&via=host)?$/.exec(fragment ?? '');
  if (!match) {
    if (/^#?room=/.test(fragment ?? '')) throw new RangeError('This room link is damaged: it has parts Huabu does not know.');
    return null;
  }
  if (!isValidRoomName(match[1])) throw new RangeError('This room link is damaged: the room name is not valid.');
  return { roomId: match[1], viaHost: Boolean(match[2]) };
}

/** The room id of a '#room=...' fragment; null if the fragment is not a room link. */
export function roomIdFromFragment(fragment) {
  return parseRoomFragment(fragment)?.roomId ?? null;
}
