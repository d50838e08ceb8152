// Registers the service worker (web/sw.js) and, once the backend is known, asks it to keep
// everything offline use needs; the header says whether the app now works offline.

import { t } from '../i18n/i18n.js';

const status = () => document.getElementById('offline-status');
let shown = null; // [key, params] of what the status says, re-translated on language switch

function show(key, params) {
  shown = [key, params];
  status().textContent = t(key, params);
}

/** Re-renders the status line in the current language. */
export function translateOfflineStatus() {
  if (shown) show(...shown);
}

/**
 * @param {Promise<{name: string}>} backendKnown resolves with the inference backend
 * @returns {Promise<void>} settles when the warm-up ends (tests wait for the status instead)
 */
export async function setUpOffline(backendKnown) {
  if (!('serviceWorker' in navigator)) return show('offline.unavailable', { message: 'no service workers in this browser' });
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data?.kind === 'storage-full') show('offline.storageFull');
  });
  let registration;
  try {
    registration = await navigator.serviceWorker.register('/sw.js', { type: 'module', scope: '/' });
  } catch (err) {
    return show('offline.unavailable', { message: err.message });
  }
  const backend = await backendKnown.catch(() => ({ name: 'wasm' }));
  await navigator.serviceWorker.ready;
  show('offline.caching');
  const worker = registration.active;
  const result = await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage({ kind: 'warm', backend: backend.name }, [channel.port2]);
  });
  if (result.missing.length === 0) show('offline.ready');
  else if (shown?.[0] !== 'offline.storageFull') show('offline.unavailable', { message: result.error ?? result.missing.join(', ') });
}
