// The chat input: Enter sends, Shift+Enter adds a line, IME composition is left alone,
// Ctrl+/ (or Cmd+/) jumps to it from anywhere.

/**
 * @param {(text: string) => void} onSend
 * @returns {{setText: (text: string) => void}} puts text up for editing (remix)
 */
export function setUpComposer(onSend) {
  const form = document.getElementById('composer');
  const input = document.getElementById('composer-input');

  const send = () => {
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    onSend(text);
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send();
    input.focus();
  });
  input.addEventListener('keydown', (e) => {
    // isComposing: Enter confirms a Chinese/Japanese IME candidate, it must not send.
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    send();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      input.focus();
    }
  });

  return {
    setText(text) {
      input.value = text;
      input.focus();
      input.setSelectionRange(text.length, text.length);
    },
  };
}
