// Which of this browser's rooms are shared with other people (invited or joined by link).
// Only those are synced through the server: a room nobody was invited to stays in this
// browser (and its tabs).

const key = 'huabu.sharedRooms';

function read() {
  try {
    const ids = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export function isSharedRoom(roomId) {
  return read().includes(roomId);
}

export function markRoomShared(roomId) {
  const ids = read();
  if (ids.includes(roomId)) return;
  ids.push(roomId);
  try {
    localStorage.setItem(key, JSON.stringify(ids));
  } catch {
    // Not remembered: the room is shared for this visit; the next one asks again.
  }
}
