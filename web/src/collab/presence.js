// Presence through Yjs awareness: who is in the room (name, colour) and where their cursor
// is, in canvas pixels. Remote states come from other people's browsers, so they are
// validated before anyone renders them.

const palette = ['#e11d48', '#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4d7c0f'];

/** A stable colour for a user id, so a person keeps their colour across reloads. */
export function colourFor(id) {
  let h = 0;
  for (const ch of String(id)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length];
}

export function setPresence(awareness, { id, name, colour = colourFor(id) }) {
  awareness.setLocalStateField('user', { id: String(id).slice(0, 64), name: String(name).slice(0, 60), colour });
}

/** `cursor` is {x, y} in canvas pixels, or null when the pointer left the canvas. */
export function setCursor(awareness, cursor) {
  awareness.setLocalStateField('cursor', cursor ? { x: cursor.x, y: cursor.y } : null);
}

const finite = (n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < 1e6;

/** The other people in the room: [{clientId, name, colour, cursor}], invalid states skipped. */
export function peers(awareness) {
  const out = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = state?.user;
    if (typeof user?.name !== 'string' || typeof user.colour !== 'string' || !/^#[0-9a-f]{6}$/i.test(user.colour)) continue;
    const c = state.cursor;
    out.push({
      clientId,
      name: user.name.slice(0, 60),
      colour: user.colour,
      cursor: c && finite(c.x) && finite(c.y) ? { x: c.x, y: c.y } : null,
    });
  }
  return out;
}
