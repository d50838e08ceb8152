// The header's room picker and New room button. Switching rooms reloads the page with the
// other room current: every part (chat, canvas, sync) then starts cleanly from its document.

import { t } from '../i18n/i18n.js';
import { roomParts } from '../room/room-doc.js';
import { createRoom, listRooms, rememberRoom, setCurrentRoom } from '../storage/rooms.js';

/**
 * @param {{id: string, doc: import('yjs').Doc}} room the open room
 * @param {(message: string) => void} onError shows an error (the chat's alert)
 */
export function setUpRoomBar(room, onError) {
  const select = document.getElementById('room-select');
  const newRoom = document.getElementById('new-room');
  const { meta } = roomParts(room.doc);

  const fill = () => {
    rememberRoom({ id: room.id, title: meta.get('title') });
    select.replaceChildren(...listRooms().map(({ id, title }) => new Option(title || id.slice(0, 8), id, false, id === room.id)));
  };
  meta.observe(fill);
  fill();

  select.addEventListener('change', () => {
    setCurrentRoom(select.value);
    location.reload();
  });
  newRoom.addEventListener('click', async () => {
    newRoom.disabled = true;
    const { saved } = await createRoom({ title: t('room.defaultTitle', { n: listRooms().length + 1 }) });
    if (saved) location.reload();
    else {
      // Storage is full: stay in this room (still open and working) rather than lose both.
      setCurrentRoom(room.id);
      newRoom.disabled = false;
      onError(t('room.storageFull'));
    }
  });
}
