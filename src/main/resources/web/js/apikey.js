// The API key for POST endpoints: asked for in an accessible dialog, kept in sessionStorage for this tab only.

const STORAGE_KEY = 'e2e3d.apiKey';

export function storedKey() {
  return sessionStorage.getItem(STORAGE_KEY) || '';
}

export function forgetKey() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Opens the key dialog; resolves with the key entered (and stored), or null when the user cancels.
 * `refused` says the previous key was not accepted, so the dialog tells why it asks again.
 */
export function askForKey({ refused = false } = {}) {
  const dialog = document.getElementById('key-dialog');
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  const error = document.getElementById('key-error');
  const cancel = document.getElementById('key-cancel');
  input.value = '';
  error.textContent = refused ? 'The service refused that key. Check it and try again.' : '';
  input.setAttribute('aria-invalid', String(refused));

  return new Promise((resolve) => {
    const close = (key) => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      resolve(key);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) {
        error.textContent = 'Enter the API key.';
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      sessionStorage.setItem(STORAGE_KEY, key);
      close(key);
    };
    const onCancel = (event) => {
      event.preventDefault();
      close(null);
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel); // Escape
    dialog.showModal();
    input.focus();
  });
}
