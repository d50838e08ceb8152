// Before a picture leaves this browser (a share link) or reaches other people (an import into
// a room shared with them), the safety classifier looks at it (ml/image-safety.js). A flagged
// picture goes only if the person confirms, told what the classifier saw; when the check
// itself cannot run (e.g. offline before the model was ever downloaded), the person is told
// and asked too. Nothing is ever deleted: the picture stays in the room either way.

import { t } from '../i18n/i18n.js';
import { askConfirm } from './confirm-dialog.js';

const percent = (x) => Math.round(100 * x);

/**
 * @param {{checkImage: (image: {bytes: Uint8Array, mime: string}) => Promise<{flagged: boolean, explicit: number}>}} inference
 * @param {{bytes: Uint8Array, mime: string}} image
 * @param {'share'|'room'} where
 * @returns {Promise<boolean>} whether to go on
 */
export async function passesSafetyCheck(inference, image, where) {
  let verdict;
  try {
    verdict = await inference.checkImage(image);
  } catch (err) {
    return askConfirm({
      title: t('safety.title'),
      message: t('safety.checkFailed', { message: err.message }),
      yes: t(`safety.yes.${where}`),
      no: t('safety.no'),
    });
  }
  if (!verdict.flagged) return true;
  return askConfirm({
    title: t('safety.title'),
    message: t(`safety.flagged.${where}`, { percent: percent(verdict.explicit) }),
    yes: t(`safety.yes.${where}`),
    no: t('safety.no'),
  });
}
