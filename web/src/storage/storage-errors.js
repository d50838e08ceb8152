// Storage that fills up must not lose what the person made: the room document stays in
// memory (and in other tabs or peers), so a failed write is reported once, plainly, and the
// page keeps working. y-indexeddb writes in the background without reporting failures, but
// IndexedDB's abort and error events bubble from each transaction to its database, so they
// are caught there. (The offline cache reports its own: storage/offline.js.)

const isQuota = (err) => err?.name === 'QuotaExceededError' || /quota/i.test(`${err?.message ?? ''}`);

/**
 * @param {{db: IDBDatabase | null}} persistence a synced y-indexeddb persistence
 * @param {{onFull: () => void, onError: (message: string) => void}} report
 */
export function watchStorageErrors(persistence, { onFull, onError }) {
  let reported = false;
  const report = (err) => {
    if (reported || !err) return;
    reported = true;
    if (isQuota(err)) onFull();
    else onError(err.message ?? String(err));
  };
  for (const type of ['abort', 'error']) {
    persistence.db?.addEventListener(type, (e) => {
      e.preventDefault?.(); // handled here; no uncaught "AbortError" in the console
      report(e.target?.error ?? e.target?.transaction?.error);
    });
  }
  // The lib0 helper under y-indexeddb rejects a failed write's promise; it is reported above.
  window.addEventListener('unhandledrejection', (e) => {
    if (/QuotaExceededError|AbortError: .*transaction/i.test(`${e.reason?.message ?? ''}`)) e.preventDefault();
  });
}
