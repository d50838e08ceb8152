// The chat input: Enter sends, Shift+Enter adds a line, IME composition is left alone.

/** @param {(text: string) => void} onSend */
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
}
