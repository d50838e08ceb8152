// Shows presence: who else is in the room (names in their colours, in the header) and
// their cursors on the canvas. Our own cursor is published in canvas pixels, so it lands on
// the same spot of the picture whatever each person's zoom and pan.

import { onLocaleChange, t } from '../i18n/i18n.js';
import { peers, setCursor } from './presence.js';

/**
 * @param {{awareness: import('y-protocols/awareness').Awareness, list: HTMLElement,
 *   canvasElement: HTMLCanvasElement, stage: HTMLElement}} parts
 */
export function showPresence({ awareness, list, canvasElement, stage }) {
  const cursors = document.createElement('div');
  cursors.className = 'presence-cursors';
  cursors.setAttribute('aria-hidden', 'true'); // the header list says who is here
  stage.append(cursors);

  let shownNames = null;
  const render = () => {
    const others = peers(awareness);
    // The list is a live region: rewrite it only when people come or go, not on every
    // cursor move, or screen readers would repeat it constantly.
    const names = JSON.stringify(others.map((p) => [p.name, p.colour]));
    if (names !== shownNames) {
      shownNames = names;
      list.replaceChildren(...(others.length === 0 ? [t('presence.alone')] : [t('presence.with'), ' ', ...others.flatMap((p, i) => {
        const name = document.createElement('span');
        name.className = 'presence-name';
        name.style.setProperty('--person', p.colour);
        name.textContent = p.name;
        return i === 0 ? [name] : [', ', name];
      })]));
    }
    cursors.replaceChildren(...others.filter((p) => p.cursor).map((p) => {
      const cursor = document.createElement('div');
      cursor.className = 'presence-cursor';
      cursor.style.setProperty('--person', p.colour);
      cursor.style.left = `${p.cursor.x}px`;
      cursor.style.top = `${p.cursor.y}px`;
      cursor.textContent = p.name;
      return cursor;
    }));
  };
  awareness.on('change', render);
  onLocaleChange(() => {
    shownNames = null;
    render();
  });
  render();

  // Listened to on the frame around the canvas: boxes and handles drawn over the canvas
  // receive the pointer there, not the canvas itself.
  const frame = stage.parentElement ?? stage;
  let pending = null;
  let scheduled = false;
  frame.addEventListener('pointermove', (e) => {
    const box = canvasElement.getBoundingClientRect();
    pending = {
      x: Math.round(((e.clientX - box.left) * canvasElement.width) / box.width),
      y: Math.round(((e.clientY - box.top) * canvasElement.height) / box.height),
    };
    // At most one presence update per frame: pointer events come faster than anyone sees.
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        if (pending) setCursor(awareness, pending);
      });
    }
  });
  frame.addEventListener('pointerleave', () => {
    pending = null;
    setCursor(awareness, null);
  });
}
