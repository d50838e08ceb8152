// Huabu as a Matrix widget (matrix-widget-api, the library Matrix clients such as Element
// speak): the room's sync messages travel as custom room events of type org.huabu.sync in
// the Matrix room (content {m: base64}; over 48 KiB in numbered parts, matrix-chunks.js), so
// the Matrix room carries the Huabu room and no Huabu server is needed (the host transport
// of collab/host-transport.js). A separate bundle (/app/matrix-widget.js), loaded only when
// the page is opened as a widget.

import * as buffer from 'lib0/buffer';
import { WidgetApi, WidgetApiToWidgetAction } from 'matrix-widget-api';

import { createReassembler, splitMessage } from './matrix-chunks.js';

export const syncEventType = 'org.huabu.sync';

/**
 * Connects to the Matrix client (replies only to `clientOrigin`, never '*'), asks to send
 * and receive org.huabu.sync events, and resolves once the client is ready with
 * {hostRelay} for joinRoom's 'host' transport.
 */
export async function startMatrixWidget({ widgetId, clientOrigin }) {
  const api = new WidgetApi(widgetId, clientOrigin);
  api.requestCapabilityToSendEvent(syncEventType);
  api.requestCapabilityToReceiveEvent(syncEventType);
  let deliver = null;
  const reassembler = createReassembler();
  api.on(`action:${WidgetApiToWidgetAction.SendEvent}`, (ev) => {
    ev.preventDefault();
    api.transport.reply(ev.detail, {});
    const event = ev.detail.data;
    if (event?.type !== syncEventType) return;
    const whole = reassembler.accept(String(event.sender), event.content);
    if (whole === null) return;
    try {
      deliver?.(buffer.fromBase64(whole));
    } catch {
      // not base64: another client's malformed event; the room is unaffected
    }
  });
  const ready = new Promise((resolve) => api.once('ready', resolve));
  api.start();
  // Huabu loads after the iframe's load event, so it asks to be started when it is listening
  // (the widget's "waitForIframeLoad": false); a client that went by the load event refuses this.
  api.sendContentLoaded().catch(() => {});
  await ready;
  let sending = Promise.resolve();
  return {
    hostRelay: {
      open(onMessage) {
        deliver = onMessage;
        return {
          // parts one after another, in order: the room's timeline keeps them in order
          post: (bytes) => {
            sending = sending.then(async () => {
              for (const content of splitMessage(buffer.toBase64(bytes))) await api.sendRoomEvent(syncEventType, content);
            }).catch(() => {}); // a refused part: the others catch up at the next sync (reconnect)
          },
          close: () => { deliver = null; },
        };
      },
    },
  };
}
