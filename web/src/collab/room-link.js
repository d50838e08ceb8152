// Invitation links: `<app URL>#room=<room id>`. The id stays in the fragment, which the
// browser never sends to the server, so it does not end up in access logs.

import { checkRoomName, isValidRoomName } from './room-name.js';

export function roomLink(baseUrl, roomId) {
  return `${String(baseUrl).split('#')[0]}#room=${checkRoomName(roomId)}`;
}

/** The room id of a '#room=...' fragment; null if the fragment is not a room link. */
export function roomIdFromFragment(fragment) {
  const match = /^#?room=(.*)$/.exec(fragment ?? '');
  if (!match) return null;
  if (!isValidRoomName(match[1])) throw new RangeError('This room link is damaged: the room name is not valid.');
  return match[1];
}
