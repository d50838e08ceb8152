// A Matrix homeserver refuses events over 64 KiB (the whole event, signatures included), and a
// Huabu sync message carrying an inserted picture is often bigger. So a sync message (base64)
// travels as one event when it fits, else as numbered parts {m, part: {id, i, n}} that every
// receiver puts back together before handing the message to the room.

export const maxPartChars = 48 * 1024; // leaves room for the event's envelope under 64 KiB
const maxParts = 1024; // a 48 MB message; more is refused by the receiver
const partsTtlMs = 5 * 60_000; // a message whose parts stop coming is dropped after this
const maxPending = 16; // unfinished messages kept at once (the oldest goes first)

/** base64 -> the contents of the events that carry it, in order. */
export function splitMessage(base64, id = crypto.randomUUID()) {
  if (base64.length <= maxPartChars) return [{ m: base64 }];
  const n = Math.ceil(base64.length / maxPartChars);
  return Array.from({ length: n }, (_, i) => ({ m: base64.slice(i * maxPartChars, (i + 1) * maxPartChars), part: { id, i, n } }));
}

/**
 * Puts parts back together, per sender and message id. accept(sender, content) -> the whole
 * base64 message once complete (or at once for a message in one event), else null. Contents
 * that are not a well-formed event or part are ignored; so are parts over the size limits.
 */
export function createReassembler({ now = () => Date.now() } = {}) {
  const pending = new Map(); // `${sender} ${id}` -> {parts: string[], have, n, started}
  return {
    accept(sender, content) {
      if (typeof content?.m !== 'string') return null;
      const part = content.part;
      if (part === undefined) return content.m;
      const { id, i, n } = part ?? {};
      if (typeof id !== 'string' || id.length > 64 || !Number.isInteger(n) || n < 2 || n > maxParts
        || !Number.isInteger(i) || i < 0 || i >= n || content.m.length > maxPartChars) return null;
      const t = now();
      for (const [key, p] of pending) if (t - p.started > partsTtlMs) pending.delete(key);
      const key = `${sender} ${id}`;
      let entry = pending.get(key);
      if (!entry) {
        if (pending.size >= maxPending) pending.delete(pending.keys().next().value);
        entry = { parts: new Array(n), have: 0, n, started: t };
        pending.set(key, entry);
      }
      if (entry.n !== n || entry.parts[i] !== undefined) return null;
      entry.parts[i] = content.m;
      entry.have += 1;
      if (entry.have < n) return null;
      pending.delete(key);
      return entry.parts.join('');
    },
    get pendingCount() {
      return pending.size;
    },
  };
}
