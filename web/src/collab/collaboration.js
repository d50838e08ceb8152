// Collaboration for the open room, as main.js starts it: the room syncs with this browser's
// other tabs always, and with other people through the server once it is shared (Invite, or
// opened from an invitation link). Sets up the Invite button and presence.

import { t } from '../i18n/i18n.js';
import { showLinkDialog } from '../share/link-dialog.js';
import { joinRoom } from './join-room.js';
import { colourFor } from './presence.js';
import { showPresence } from './presence-view.js';
import { roomLink } from './room-link.js';
import { isSharedRoom, markRoomShared } from './shared-rooms.js';

/**
 * @param {{doc: import('yjs').Doc, roomId: string, me: {id: string, name: string},
 *   joinedByLink: boolean, viaHost?: boolean, inviteButton: HTMLButtonElement, presenceList: HTMLElement,
 *   canvasElement: HTMLCanvasElement, stage: HTMLElement, notify: Function}} options
 */
export function startCollaboration({ doc, roomId, me, joinedByLink, viaHost = false, inviteButton, presenceList, canvasElement, stage, notify }) {
  // A room the embedding IM page carries (viaHost) syncs through it, not through the server.
  if (joinedByLink && !viaHost) markRoomShared(roomId);
  // Everyone's default name is "You"; others need something to tell people apart.
  const name = me.name === t('chat.you') ? t('presence.guest', { tag: me.id.slice(0, 4) }) : me.name;
  let serverProblemShown = false;
  const session = joinRoom(doc, {
    roomId,
    transports: isSharedRoom(roomId) && !viaHost ? ['broadcast', 'websocket'] : ['broadcast'],
    user: { id: me.id, name, colour: colourFor(me.id) },
    onStatus: (kind, status) => {
      if (kind === 'websocket') presenceList.dataset.server = status;
      if (status === 'connected') serverProblemShown = false;
    },
    onError: (kind, err) => {
      // Once per outage: the provider keeps retrying, and the room works locally meanwhile.
      if (kind === 'websocket' && !serverProblemShown) {
        serverProblemShown = true;
        notify(t('presence.serverDown'), { error: true });
      } else if (kind !== 'websocket') {
        console.warn(`collaboration (${kind}):`, err);
      }
    },
  });
  showPresence({ awareness: session.awareness, list: presenceList, canvasElement, stage });

  inviteButton.addEventListener('click', () => {
    markRoomShared(roomId);
    session.addTransport('websocket');
    showLinkDialog({ title: t('invite.title'), link: roomLink(location.href, roomId), linkLabel: t('invite.linkLabel'), note: t('invite.note') });
  });
  // Leaving tells the others at once; a page restored from the back/forward cache comes back.
  let presence = null;
  window.addEventListener('pagehide', () => {
    presence = session.awareness.getLocalState();
    session.awareness.setLocalState(null);
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && presence) session.awareness.setLocalState(presence);
  });
  return session;
}
