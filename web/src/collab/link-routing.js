// Reads the link the page was opened with: '#room=<id>' (an invitation) or '#share=...' (a
// share link), then removes it from the address bar, so that a reload or a switch to another
// room does not act on the same link again and the key in a share link does not linger in
// the visible URL.

import { isShareFragment } from '../share/share-envelope.js';
import { parseRoomFragment } from './room-link.js';

/** {joinId?, viaHost?, shareFragment?, error?} for the page's current fragment. */
export function takeLinkFromLocation(location = globalThis.location, history = globalThis.history) {
  const fragment = location.hash;
  if (!fragment || fragment === '#') return {};
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  if (isShareFragment(fragment)) return { shareFragment: fragment };
  try {
    const room = parseRoomFragment(fragment);
    return room ? { joinId: room.roomId, viaHost: room.viaHost } : {};
  } catch (err) {
    return { error: err.message };
  }
}
