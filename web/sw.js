// Huabu's service worker: after the first visit the app works offline.
//
// - Page, app bundles, ONNX Runtime, the core: network first (a rebuilt app is picked up at
//   once), the cached copy when the network fails.
// - Model files: cache first, but a cached file is only used while the model's manifest
//   still names its sha256 and its bytes still match it; a file is cached only after its
//   bytes match the manifest (verifyModelBytes, the check the inference worker makes again).
// - The page asks for a "warm-up" once it knows its backend: everything offline use needs
//   is fetched into the cache, and the page is told what is missing.
// - A full disk (QuotaExceededError) is reported to the pages; the responses still go out.
// - The upload store (/store/<id>, share links) is left to the network: nothing is cached.
// A module worker: registered with {type: 'module'} by web/src/storage/offline.js.

import { verifyModelBytes } from './src/ml/manifest.js';
import { offlineModelIds, ortFiles, shellFiles } from './src/storage/offline-files.js';

const appCache = 'huabu-app-v1';
const modelCache = 'huabu-models-v1';
const shaHeader = 'X-Huabu-Sha256';

async function tellPages(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function store(cacheName, request, response) {
  try {
    await (await caches.open(cacheName)).put(request, response);
    return true;
  } catch (err) {
    if (err?.name === 'QuotaExceededError') await tellPages({ kind: 'storage-full' });
    return false;
  }
}

// ---- app files ---------------------------------------------------------------------------

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) await store(appCache, request, response.clone());
    return response;
  } catch (err) {
    const cached = await caches.match(request, { cacheName: appCache, ignoreSearch: request.mode === 'navigate' })
      ?? (request.mode === 'navigate' ? await caches.match('/', { cacheName: appCache }) : undefined);
    if (cached) return cached;
    throw err;
  }
}

// ---- model files ---------------------------------------------------------------------------

const modelPath = (url) => /^\/models\/([a-z0-9-]+)\/(.+)$/.exec(url.pathname);

async function manifestFor(modelId) {
  const response = await networkFirst(new Request(`/models/${modelId}/manifest.json`));
  return response.ok ? response.json() : null;
}

async function modelFile(request) {
  const [, modelId, path] = modelPath(new URL(request.url));
  const entry = (await manifestFor(modelId).catch(() => null))?.files?.find((f) => f.path === path);
  const cache = await caches.open(modelCache);
  const cached = await cache.match(request);
  if (cached && entry && cached.headers.get(shaHeader) === entry.sha256) {
    // Checked again on the way out: a cache entry damaged on disk is dropped and fetched anew.
    const bytes = await cached.arrayBuffer();
    if ((await verifyModelBytes(entry, bytes)).ok) return new Response(bytes, { status: 200, headers: cached.headers });
    await cache.delete(request);
  }

  const response = await fetch(request);
  if (!response.ok || !entry) return response;
  // One copy streams to the page (its download progress stays live), the other is checked
  // and cached.
  const [toPage, toCheck] = response.body.tee();
  const checked = new Response(toCheck).arrayBuffer().then(async (bytes) => {
    if (!(await verifyModelBytes(entry, bytes)).ok) return false;
    const headers = new Headers(response.headers);
    headers.set(shaHeader, entry.sha256);
    return store(modelCache, request, new Response(bytes, { status: 200, headers }));
  });
  return { response: new Response(toPage, { status: response.status, statusText: response.statusText, headers: response.headers }), checked };
}

// ---- routing -------------------------------------------------------------------------------

self.addEventListener('install', (event) => {
  self.skipWaiting();
  // Best effort: a file that cannot be fetched now is fetched by the warm-up (which reports it).
  event.waitUntil(Promise.all(shellFiles.map((url) => networkFirst(new Request(url)).catch(() => null))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (![appCache, modelCache].includes(name)) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/store/')) return; // shared creations' ciphertext: opened once, not app files
  if (modelPath(url) && !url.pathname.endsWith('/manifest.json')) {
    event.respondWith(modelFile(request).then((result) => {
      if (result instanceof Response) return result;
      event.waitUntil(result.checked);
      return result.response;
    }));
    return;
  }
  event.respondWith(networkFirst(request));
});

// ---- warm-up -------------------------------------------------------------------------------

async function warm(backend) {
  const missing = [];
  let bytes = 0;
  const app = [...shellFiles, ...(ortFiles[backend] ?? ortFiles.wasm)];
  for (const url of app) {
    if (await caches.match(url, { cacheName: appCache })) continue;
    try {
      const response = await networkFirst(new Request(url));
      if (!response.ok) missing.push(url);
      else bytes += (await response.arrayBuffer()).byteLength;
    } catch {
      missing.push(url);
    }
  }
  for (const modelId of offlineModelIds) {
    const manifest = await manifestFor(modelId).catch(() => null);
    if (!manifest?.files) {
      missing.push(`/models/${modelId}/manifest.json`);
      continue;
    }
    for (const file of manifest.files) {
      const url = `/models/${modelId}/${file.path}`;
      try {
        const result = await modelFile(new Request(url));
        if (result instanceof Response) {
          if (!result.ok) missing.push(url);
          continue; // already cached and current
        }
        bytes += (await result.response.arrayBuffer()).byteLength;
        if (!(await result.checked)) missing.push(url);
      } catch {
        missing.push(url);
      }
    }
  }
  return { missing, bytes };
}

self.addEventListener('message', (event) => {
  if (event.data?.kind !== 'warm') return;
  const port = event.ports[0];
  event.waitUntil(warm(event.data.backend).then(
    (result) => port?.postMessage({ kind: 'warm-done', ...result }),
    (err) => port?.postMessage({ kind: 'warm-done', missing: ['(warm-up failed)'], error: err.message, bytes: 0 }),
  ));
});
