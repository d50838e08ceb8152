// The person using this browser: a stable random id (so their messages stay theirs across
// reloads and rooms) and a display name.

import { newId } from '../room/room-doc.js';

const key = 'huabu.person';

export function localPerson(defaultName) {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (typeof saved?.id === 'string' && /^[0-9a-f]{32}$/.test(saved.id)) return { id: saved.id, name: String(saved.name ?? defaultName) };
  } catch {
    // A damaged entry: start a new identity below.
  }
  const person = { id: newId(), name: defaultName };
  try {
    localStorage.setItem(key, JSON.stringify(person));
  } catch {
    // Not remembered: messages still work for this visit.
  }
  return person;
}
