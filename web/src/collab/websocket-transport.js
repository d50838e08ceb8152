// Transport to other people: y-websocket's client to the collaboration server that
// `./huabu serve` runs at /collab/<room> (tools/collab-server.mjs). The provider reconnects
// with back-off by itself, and on reconnect the sync protocol exchanges what each side
// missed, so edits made offline merge.

import { WebsocketProvider } from 'y-websocket';
import { refreshAwareness } from './sync-messages.js';

/** ws(s)://<this page's host>/collab, for the page served by `./huabu serve`. */
export function defaultServerUrl(location = globalThis.location) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}

export function createWebsocketTransport(doc, awareness, roomId, { serverUrl, WebSocketImpl, onStatus = () => {}, onError = () => {} } = {}) {
  const provider = new WebsocketProvider(serverUrl ?? defaultServerUrl(), roomId, doc, {
    awareness,
    connect: false,
    disableBc: true, // tabs use broadcast-transport.js, one mechanism for one job
    maxBackoffTime: 5000,
    ...(WebSocketImpl ? { WebSocketPolyfill: WebSocketImpl } : {}),
  });
  provider.on('status', ({ status }) => {
    if (status === 'connected') refreshAwareness(awareness);
    onStatus(status);
  });
  provider.on('connection-error', () => onError(new Error('The collaboration server could not be reached.')));
  return {
    kind: 'websocket',
    provider,
    get connected() {
      return provider.wsconnected;
    },
    /** True once the first full exchange with the server is done. */
    get synced() {
      return provider.synced;
    },
    connect: () => provider.connect(),
    disconnect: () => provider.disconnect(),
    destroy: () => provider.destroy(),
  };
}
