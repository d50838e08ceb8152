// Extra per-image buttons other parts of the app add to chat images (e.g. image-ops'
// "Restyle" menu): registered once, shown under every image in the chat, generated or not.
// A part registers only what it can do, so there is never a button that does nothing.

const registered = [];

/**
 * @param {{id: string, label: () => string, run: (assetId: string, recipe?: object) => void}} action
 *   label is called at render time, so it follows the UI language (use i18n's t).
 */
export function registerImageAction(action) {
  if (registered.some((a) => a.id === action.id)) throw new Error(`image action ${action.id} is registered twice`);
  registered.push(action);
}

export function imageActions() {
  return registered;
}
