// Huabu opened as a Matrix widget: the widget URL a Matrix client (Element) loads carries
// the widget id, the Matrix room, the person's display name and the client's origin:
//   https://huabu.example.com/?widgetId=$matrix_widget_id&matrixRoom=$matrix_room_id
//       &userName=$matrix_display_name&parentUrl=<the client's URL>
// (Element adds parentUrl itself). Each Matrix room gets its own Huabu room, whose id is
// derived from the Matrix room id, so everyone in that Matrix room opens the same one.

import { toHex } from '../digest.js';

/** The widget's parameters, or null when the page is not opened as a widget. */
export function matrixWidgetParams(location = globalThis.location) {
  const params = new URLSearchParams(location.search);
  const widgetId = params.get('widgetId');
  if (!widgetId) return null;
  const matrixRoom = params.get('matrixRoom') ?? '';
  let clientOrigin;
  try {
    clientOrigin = new URL(params.get('parentUrl') ?? '').origin;
  } catch {
    throw new RangeError('Huabu was opened as a Matrix widget without a valid parentUrl (the Matrix client’s address).');
  }
  if (!/^![^:]+:.+$/.test(matrixRoom) || matrixRoom.length > 255) throw new RangeError('Huabu was opened as a Matrix widget without a valid matrixRoom (a Matrix room id such as !abc:example.org).');
  return { widgetId: widgetId.slice(0, 255), matrixRoom, clientOrigin, userName: (params.get('userName') ?? '').slice(0, 60) };
}

/** The Huabu room of a Matrix room: the first 16 bytes of SHA-256("huabu:" + room id), in hex. */
export async function huabuRoomForMatrix(matrixRoom) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`huabu:${matrixRoom}`)));
  return toHex(digest.subarray(0, 16));
}
