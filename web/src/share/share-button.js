// The header's Share button: packs what is on the canvas (share/room-creation.js) into a
// share link within the size budget and shows it, saying how it was made to fit. The safety
// check looks at the picture first (share/safety-gate.js). Each image
// in the chat gets a "Share link" button too, sharing that image and its recipe.

import { registerImageAction } from '../chat/image-actions.js';
import { t } from '../i18n/i18n.js';
import { showLinkDialog } from './link-dialog.js';
import { reencodeImage } from './reencode-image.js';
import { creationFromAsset, creationFromRoom } from './room-creation.js';
import { passesSafetyCheck } from './safety-gate.js';
import { uploadToStore } from './share-envelope.js';
import { createShareLink } from './share-link.js';

/**
 * @param {{button: HTMLButtonElement, doc: import('yjs').Doc, canvas: {exportBlob(type: string, quality: number): Promise<Blob>},
 *   notify: Function, inference: {checkImage: Function}, onShared?: (url: string) => void}} deps
 */
export function setUpShareButton({ button, doc, canvas, notify, inference, onShared = () => {} }) {
  const share = async (makeCreation) => {
    try {
      const creation = await makeCreation();
      if (!(await passesSafetyCheck(inference, creation.image, 'share'))) {
        notify(t('safety.notShared'));
        return;
      }
      const link = await createShareLink(creation, { baseUrl: location.href, reencode: reencodeImage, upload: (sealed, id) => uploadToStore(sealed, id) });
      onShared(link.url);
      const note = t(`share.degraded.${link.degraded}`, { length: link.length, width: link.image?.width, height: link.image?.height });
      await showLinkDialog({ title: t('share.title'), link: link.url, linkLabel: t('share.linkLabel'), note });
    } catch (err) {
      notify(t('share.failed', { message: err.message }), { error: true });
    }
  };
  button.addEventListener('click', async () => {
    button.disabled = true;
    await share(() => creationFromRoom(doc, { exportWebp: () => canvas.exportBlob('image/webp', 0.9) }));
    button.disabled = false;
  });
  registerImageAction({
    id: 'share-link',
    label: () => t('share.imageAction'),
    run: (assetId) => share(async () => {
      const creation = creationFromAsset(doc, assetId);
      if (!creation) throw new Error(t('share.notShareable'));
      return creation;
    }),
  });
}
