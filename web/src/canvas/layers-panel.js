// The layers panel: one row per layer, top layer first (as painters expect), with the
// controls to draw on it, show or hide it, rename it, set its opacity, move it up or down
// and delete it (undoable). Rows follow the document, so a peer's changes show up too:
// while the layer order is the same, rows are updated in place (a slider being dragged or
// a name being typed is left alone); otherwise they are rebuilt and focus is kept.

import { onLocaleChange, t } from '../i18n/i18n.js';

/** @param {import('./scene-canvas.js').SceneCanvas} canvas */
export function setUpLayersPanel(canvas, panel) {
  const list = panel.querySelector('.layers-list');
  panel.querySelector('.add-layer').addEventListener('click', () => canvas.addLayer());

  function row(layerId) {
    const li = document.createElement('li');
    li.className = 'layer-row';
    li.dataset.layerId = layerId;
    const active = control('input', 'active', { type: 'radio', name: 'active-layer' });
    active.addEventListener('change', () => { canvas.activeLayerId = layerId; });
    const visible = control('input', 'visible', { type: 'checkbox' });
    visible.addEventListener('change', () => canvas.updateLayer(layerId, { visible: visible.checked }));
    const name = control('input', 'name', { type: 'text', maxLength: 60, className: 'layer-name' });
    name.addEventListener('change', () => canvas.updateLayer(layerId, { name: name.value }));
    name.addEventListener('keydown', (e) => { if (e.key === 'Enter') name.blur(); });
    const opacity = control('input', 'opacity', { type: 'range', min: 0, max: 100, className: 'layer-opacity' });
    // One drag of the slider is one undo step: its first move opens the step, the rest merge.
    let dragging = false;
    opacity.addEventListener('input', () => {
      canvas.updateLayer(layerId, { opacity: Number(opacity.value) / 100 }, { merge: dragging });
      dragging = true;
    });
    opacity.addEventListener('change', () => { dragging = false; });
    const up = button('up', '↑', () => canvas.moveLayer(layerId, +1));
    const down = button('down', '↓', () => canvas.moveLayer(layerId, -1));
    const remove = button('delete', '✕', () => canvas.removeLayer(layerId));
    li.append(active, visible, name, opacity, up, down, remove);
    return li;
  }

  function update(li, layer, index, count) {
    const c = (name) => li.querySelector(`[data-control="${name}"]`);
    const isActive = layer.id === canvas.activeLayerId;
    li.classList.toggle('layer-row--active', isActive);
    li.classList.toggle('layer-row--hidden', !layer.visible);
    c('active').checked = isActive;
    c('visible').checked = layer.visible;
    const name = c('name');
    if (document.activeElement !== name) name.value = layer.name;
    const opacity = c('opacity');
    const percent = Math.round(layer.opacity * 100);
    if (document.activeElement !== opacity) opacity.value = String(percent);
    opacity.setAttribute('aria-valuetext', t('canvas.layerOpacityValue', { percent }));
    const labels = {
      active: 'canvas.layerActive', visible: 'canvas.layerShow', name: 'canvas.layerName', opacity: 'canvas.layerOpacity',
      up: 'canvas.layerUp', down: 'canvas.layerDown', delete: 'canvas.layerDelete',
    };
    for (const [control, key] of Object.entries(labels)) c(control).setAttribute('aria-label', t(key, { name: layer.name }));
    c('up').disabled = index === count - 1;
    c('down').disabled = index === 0;
    c('delete').disabled = count === 1;
  }

  function render() {
    const layers = canvas.layers.slice().reverse(); // top first
    const rows = [...list.children];
    const sameOrder = rows.length === layers.length && rows.every((li, i) => li.dataset.layerId === layers[i].id);
    if (!sameOrder) {
      const focused = document.activeElement?.closest('.layer-row') ? document.activeElement : null;
      const restore = focused && { id: focused.closest('.layer-row').dataset.layerId, control: focused.dataset.control };
      const existing = new Map(rows.map((li) => [li.dataset.layerId, li]));
      list.replaceChildren(...layers.map((layer) => existing.get(layer.id) ?? row(layer.id)));
      if (restore && document.activeElement !== focused) {
        const again = list.querySelector(`[data-layer-id="${restore.id}"] [data-control="${restore.control}"]`);
        list.querySelector('[data-control="active"]:checked')?.focus();
        again?.focus();
      }
    }
    [...list.children].forEach((li, i) => update(li, layers[i], layers.length - 1 - i, layers.length));
  }
  canvas.addEventListener('layers', render);
  onLocaleChange(render);
  render();
}

function control(tag, name, props) {
  const el = Object.assign(document.createElement(tag), props);
  el.dataset.control = name;
  return el;
}

function button(name, text, onClick) {
  const el = control('button', name, { type: 'button', textContent: text, className: 'button button--icon' });
  el.addEventListener('click', onClick);
  return el;
}
