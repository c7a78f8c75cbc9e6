// Sign-in: the token is exchanged for a session cookie and forgotten; nothing is stored.
import { ApiError, signIn } from '../api';
import { escape } from '../dom';
import { t } from '../i18n';

export function renderSignIn(root: HTMLElement, done: () => Promise<void>): void {
  root.dataset.page = 'signin';
  root.innerHTML = `
    <form id="signin" class="card narrow" autocomplete="off">
      <h1>${escape(t('brand'))}</h1>
      <p class="muted">${escape(t('signinHint'))}</p>
      <label>${escape(t('token'))}
        <input id="token" name="token" type="password" autocomplete="off" required spellcheck="false" />
      </label>
      <div class="violation" id="signin-error" role="alert"></div>
      <button type="submit">${escape(t('signin'))}</button>
    </form>`;
  const form = root.querySelector('#signin') as HTMLFormElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = form.querySelector('#token') as HTMLInputElement;
    const error = form.querySelector('#signin-error') as HTMLElement;
    error.textContent = '';
    try {
      await signIn(input.value.trim());
      input.value = '';
      await done();
    } catch (e) {
      const err = e as ApiError;
      error.textContent = `${err.code ?? ''} ${err.message ?? String(e)}`;
    }
  });
}
