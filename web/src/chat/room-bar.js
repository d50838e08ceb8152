// The header's room picker and New room button. Switching rooms reloads the page with the
// other room current: every part (chat, canvas, sync) then starts cleanly from its document.

import { t } from '../i18n/i18n.js';
import { roomParts } from '../room/room-doc.js';
import { createRoom, listRooms, rememberRoom, setCurrentRoom } from '../storage/rooms.js';

/** @param {{id: string, doc: import('yjs').Doc}} room the open room */
export function setUpRoomBar(room) {
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
    await createRoom({ title: t('room.defaultTitle', { n: listRooms().length + 1 }) });
    location.reload();
  });
}
