// Huabu as an embed: when the page runs in an iframe and the server allows the parent's
// origin (`./huabu serve --embed-origin ORIGIN`, served as /embed-config.json), the host page
// drives Huabu through the commands of embed-protocol.js and hears its events.

import { setPresence } from '../collab/presence.js';
import { roomLink } from '../collab/room-link.js';
import { checkRoomName } from '../collab/room-name.js';
import { roomParts } from '../room/room-doc.js';
import { startEmbedBridge } from './embed-bridge.js';

// A style name as one chat word: the host's text never becomes options or more words.
const styleWord = (style = '') => style.toLowerCase().replace(/[^a-z0-9-]/g, '');

async function allowedOrigins() {
  const response = await fetch('/embed-config.json', { cache: 'no-cache' });
  if (!response.ok) return [];
  const config = await response.json();
  return Array.isArray(config?.allowedOrigins) ? config.allowedOrigins : [];
}

/**
 * @param {{doc: import('yjs').Doc, canvas: {importFile(f: File): Promise<object>,
 *   exportBlob(type: string, quality: number): Promise<Blob>}, bot: {handle(text: string): unknown},
 *   session: {awareness: object, addTransport: Function}, me: {id: string}, viaHost?: boolean}} app
 *   viaHost: the room's sync messages travel through the host page ('relay' both ways)
 * @returns {Promise<{emit(type: string, payload: object): void} | null>}
 */
export async function startEmbedding({ doc, canvas, bot, session, me, viaHost = false }) {
  if (window.parent === window) return null;
  let deliver = null; // the host transport's receiver, once connected
  const bridge = startEmbedBridge({
    allowedOrigins: await allowedOrigins(),
    handlers: {
      generate: ({ prompt, seed, style }) => {
        // The prompt is text, not options: '--' would let a host smuggle in settings.
        const options = [seed !== undefined && `--seed ${seed}`, style && `--style ${style.replace(/\s+/g, '-')}`].filter(Boolean);
        bot.handle(`/draw ${prompt.replace(/--/g, '—')} ${options.join(' ')}`.trim());
        return {};
      },
      'insert-image': async ({ bytes, mime, name = 'image' }) => {
        const placed = await canvas.importFile(new File([bytes], name, { type: mime }));
        return { width: placed.width, height: placed.height };
      },
      export: async ({ mime }) => {
        const blob = await canvas.exportBlob(mime, 0.92);
        return { mime: blob.type, bytes: new Uint8Array(await blob.arrayBuffer()) };
      },
      'join-room': ({ roomId }) => {
        checkRoomName(roomId);
        // Opening the room is a fresh start of the page (as the room picker does).
        setTimeout(() => {
          location.href = roomLink(location.href, roomId);
          location.reload();
        }, 0);
        return {};
      },
      // Edits of the canvas (or its selection); each result arrives as `image-created`.
      upscale: ({ scale }) => {
        bot.handle(`/upscale ${scale}`);
        return {};
      },
      sketch: ({ style }) => {
        bot.handle(`/render ${styleWord(style)}`.trim());
        return {};
      },
      restyle: ({ style }) => {
        bot.handle(`/restyle ${styleWord(style)}`.trim());
        return {};
      },
      // A sync message from another member, carried by the host's chat (viaHost rooms).
      relay: ({ message }) => {
        if (!deliver) throw new Error('this room is not carried by the host page (open it with #room=<id>&via=host)');
        deliver(message);
        return {};
      },
      'set-user': ({ name }) => {
        setPresence(session.awareness, { id: me.id, name });
        return {};
      },
    },
  });
  if (!bridge) return null;
  if (viaHost) {
    session.addTransport('host', {
      hostRelay: {
        open(onMessage) {
          deliver = onMessage;
          return { post: (message) => bridge.emit('relay', { message }), close: () => { deliver = null; } };
        },
      },
    });
  }
  roomParts(doc).assetInfo.observe((event) => {
    for (const [assetId, change] of event.changes.keys) {
      const info = roomParts(doc).assetInfo.get(assetId);
      if (change.action !== 'add' || !info) continue;
      try {
        bridge.emit('image-created', { assetId, mime: info.mime, width: info.width, height: info.height, ...(info.recipe ? { recipe: info.recipe } : {}) });
      } catch {
        // An asset whose description does not fit the schema (another peer's version): not announced.
      }
    }
  });
  return bridge;
}
