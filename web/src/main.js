// Entry point: opens the current room (its document persists in IndexedDB), builds the chat
// and the canvas on it, starts the inference client and the offline cache, and connects them.

import { showBackend, showBackendError } from './backend-status.js';
import { setUpCanvas } from './canvas/canvas-app.js';
import { AssetUrls } from './chat/asset-urls.js';
import { botAuthor, createBot } from './chat/bot.js';
import { ChatView } from './chat/chat-view.js';
import { registerImageAction } from './chat/image-actions.js';
import { startCollaboration } from './collab/collaboration.js';
import { takeLinkFromLocation } from './collab/link-routing.js';
import { huabuRoomForMatrix, matrixWidgetParams } from './collab/matrix-params.js';
import { isSharedRoom } from './collab/shared-rooms.js';
import { startEmbedding } from './embed/embed-app.js';
import { setUpComposer } from './chat/composer.js';
import { setUpRoomBar } from './chat/room-bar.js';
import { initLocale, onLocaleChange, setLocale, t } from './i18n/i18n.js';
import { setUpLanguageSwitch } from './i18n/language-switch.js';
import { addMessage, roomParts } from './room/room-doc.js';
import { remixIntoNewRoom } from './share/remix-room.js';
import { passesSafetyCheck } from './share/safety-gate.js';
import { setUpShareButton } from './share/share-button.js';
import { showSharedCreation } from './share/shared-view.js';
import { setUpOffline, translateOfflineStatus } from './storage/offline.js';
import { localPerson } from './storage/person.js';
import { openCurrentRoom } from './storage/rooms.js';
import { watchStorageErrors } from './storage/storage-errors.js';
import { InferenceClient } from './workers/worker-client.js';

initLocale();
setUpLanguageSwitch();
const inference = new InferenceClient();
const backendKnown = inference.capabilities();
backendKnown.then(showBackend, (err) => showBackendError(err.message));
setUpOffline(backendKnown);

const link = takeLinkFromLocation(); // an invitation (#room=) or a share link (#share=)
// Opened as a Matrix widget: the Matrix room carries the Huabu room (embed/matrix-widget.js).
let widget = null;
try {
  widget = matrixWidgetParams();
} catch (err) {
  link.error = err.message;
}
const me = { ...localPerson(t('chat.you')), ...(widget?.userName ? { name: widget.userName } : {}) };
const joinId = widget ? await huabuRoomForMatrix(widget.matrixRoom) : link.joinId;
const viaHost = Boolean(widget || link.viaHost); // the room travels through the host, not Huabu's server
const room = await openCurrentRoom({ defaultTitle: (n) => t('room.defaultTitle', { n }), joinId });
const { doc } = room;
setUpRoomBar(room, (message) => chat.addLocalNotice(message, { error: true }));

let chat;
let bot;
// Import notices are part of the room's story; errors are about a moment and stay local.
const notify = (text, { error = false } = {}) => {
  if (error) chat.addLocalNotice(text, { error: true });
  else addMessage(doc, { kind: 'system', author: me, text });
};
// In a room shared with other people (invited, or carried by an IM page or a Matrix room),
// an imported picture passes the safety check first.
const sharedWithOthers = () => isSharedRoom(room.id) || viaHost;
const mayImport = async (file) => {
  if (!sharedWithOthers()) return true;
  const ok = await passesSafetyCheck(inference, { bytes: new Uint8Array(await file.arrayBuffer()), mime: file.type }, 'room');
  if (!ok) chat.addLocalNotice(t('safety.notImported'));
  return ok;
};
const canvas = setUpCanvas({ notify, onUpscale: () => bot.upscaleCanvas(2), onSketch: () => bot.sketchCanvas('any'), mayImport, inference });
canvas.setDocument(doc);
// Before the chat renders, so chat images get the per-image "Share link" button.
let embed = null; // the host page's bridge, when Huabu is embedded (docs/embedding.md)
setUpShareButton({ button: document.getElementById('share-link'), doc, canvas, notify, inference, onShared: (url) => embed?.emit('shared', { url }) });

const assets = new AssetUrls(doc);
const composer = setUpComposer((text) => bot.handle(text));
bot = createBot({
  doc, me, inference, canvas, assets, onBackend: showBackend,
  setComposerText: composer.setText,
  switchLanguage: setLocale,
  onGenerationProgress: (id, fraction) => embed?.emit('progress', { id, fraction }),
  // Results of jobs (generations, upscales, sketches, restyles) likewise, before they reach the others.
  mayPost: async (image) => !sharedWithOthers() || passesSafetyCheck(inference, image, 'room'),
});
registerImageAction({ id: 'put-on-canvas', label: () => t('image.putOnCanvas'), run: (assetId) => bot.actions.putOnCanvas(assetId) });
registerImageAction({ id: 'restyle', label: () => t('restyle.button'), run: (assetId) => bot.actions.restyle(assetId) });
chat = new ChatView(document.getElementById('message-list'), {
  doc, me, botId: botAuthor.id, assets, actions: bot.actions, live: bot.live,
});
bot.attach(chat);
onLocaleChange(() => {
  chat.rerender();
  translateOfflineStatus();
});

if (!room.joined && roomParts(doc).messages.length === 0) addMessage(doc, { kind: 'text', author: botAuthor, text: t('chat.welcome') });

watchStorageErrors(room.persistence, {
  onFull: () => chat.addLocalNotice(t('room.storageFull'), { error: true }),
  onError: (message) => chat.addLocalNotice(t('room.storageError', { message }), { error: true }),
});
navigator.storage?.persist?.(); // ask the browser not to evict rooms under storage pressure

// Sharing: the room with other tabs and people (Invite, presence), a picture by link (Share).
const session = startCollaboration({
  doc, roomId: room.id, me, joinedByLink: room.joined, viaHost, notify,
  inviteButton: document.getElementById('invite-room'),
  presenceList: document.getElementById('presence'),
  canvasElement: document.getElementById('drawing-canvas'),
  stage: document.getElementById('canvas-stage'),
});
if (widget) {
  import('/app/matrix-widget.js')
    .then(({ startMatrixWidget }) => startMatrixWidget(widget))
    .then(({ hostRelay }) => session.addTransport('host', { hostRelay }))
    .catch((err) => chat.addLocalNotice(t('matrix.failed', { message: err.message }), { error: true }));
}
startEmbedding({ doc, canvas, bot, session, me, viaHost: Boolean(link.viaHost) }).then((bridge) => { embed = bridge; }, (err) => chat.addLocalNotice(err.message, { error: true }));
if (link.error) chat.addLocalNotice(link.error, { error: true });
if (link.shareFragment) {
  showSharedCreation(link.shareFragment, {
    onRemix: async (shared) => {
      try {
        await remixIntoNewRoom(shared);
        location.reload();
      } catch (err) {
        chat.addLocalNotice(err.message, { error: true });
      }
    },
  });
}

// Esc cancels the newest running job, unless the canvas uses it (a stroke, a selection).
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape' || e.defaultPrevented || e.target.closest?.('.studio')) return;
  if (bot.cancelNewest()) e.preventDefault();
});
