// The console's shell: session, navigation by role, and a hash router (#/page?query) so that a
// reload or a shared link keeps the page and its filter.
import './style.css';
import { principal, restoreSession, role, signOut, whenSignedOut } from './api';
import { $, escape } from './dom';
import { currentLang, setLang, t } from './i18n';
import { loadReferenceCodes, nameOf, provinceName, roles } from './words';
import { renderSignIn } from './pages/signin';

type Page = (root: HTMLElement, params: URLSearchParams, arg: string) => Promise<void> | void;

const loaders: Record<string, () => Promise<Page>> = {
  situation: async () => (await import('./pages/situation')).renderSituation,
  feed: async () => (await import('./pages/feed')).renderFeed,
  incident: async () => (await import('./pages/incident')).renderIncident,
  notices: async () => (await import('./pages/notices')).renderNotices,
  notice: async () => (await import('./pages/notices')).renderNotice,
  issue: async () => (await import('./pages/notices')).renderIssueForm,
  report: async () => (await import('./pages/report')).renderReport,
  mine: async () => (await import('./pages/report')).renderMyIncidents,
  amend: async () => (await import('./pages/report')).renderAmend,
  assets: async () => (await import('./pages/assets')).renderAssets,
  admin: async () => (await import('./pages/admin')).renderAdmin,
};

// Which pages each role sees in the navigation (the server decides what each call answers).
function navFor(r: string): string[] {
  switch (r) {
    case 'ROLE_NATIONAL':
    case 'ROLE_PROVINCIAL':
      return ['situation', 'feed', 'notices', 'assets'];
    case 'ROLE_ENTERPRISE':
      return ['situation', 'feed', 'notices', 'report', 'mine', 'assets'];
    case 'ROLE_ADMIN':
      return ['admin', 'situation', 'feed', 'assets'];
    default:
      return ['feed'];
  }
}

export function landing(): string {
  const r = role();
  if (r === 'ROLE_ADMIN') return 'admin';
  if (r === 'ROLE_ENTERPRISE') return 'feed';
  return 'situation';
}

const navKeys: Record<string, string> = { mine: 'myIncidents' };

let cleanup: Array<() => void> = [];

// What to undo when the user leaves the page rendered into `host` (a live stream, a timer). Each
// navigation renders into a fresh host, so a page whose data arrive after the user has moved on
// writes into a detached element and has its streams closed at once.
export function onLeave(host: HTMLElement, callback: () => void): void {
  if (host.isConnected) cleanup.push(callback);
  else callback();
}

function renderChrome(): void {
  $('#brand').textContent = `sitrep · ${t('brand')}`;
  $('#lang').textContent = currentLang() === 'zh' ? 'English' : '中文';
  const p = principal();
  const signout = $('#signout') as HTMLButtonElement;
  signout.textContent = t('signout');
  signout.hidden = !p;
  const where = p && Number(p.province ?? 0) ? ` · ${provinceName(p.province)}` : '';
  $('#who').innerHTML = p
    ? `<span title="${escape(p.role)}">${escape(nameOf(roles, p.role))}</span> ${escape(p.name ?? '')}${escape(where)}`
    : '';
  const current = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  $('#nav').innerHTML = p
    ? navFor(role())
        .map(
          (key) =>
            `<a href="#/${key}" data-nav="${key}"${key === current ? ' class="active"' : ''}>${escape(t(navKeys[key] ?? key))}</a>`,
        )
        .join('')
    : '';
}

export async function route(): Promise<void> {
  for (const c of cleanup.splice(0)) c();
  const root = $('#app');
  if (!principal()) {
    renderChrome();
    renderSignIn(root, async () => {
      await loadReferenceCodes();
      const target = `#/${landing()}`;
      if (location.hash === target) await route();
      else location.hash = target; // hashchange routes
    });
    return;
  }
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [name, arg = ''] = path.split('/');
  const page = loaders[name] ? name : landing();
  if (page !== name) {
    history.replaceState(null, '', `#/${page}`);
  }
  renderChrome();
  const host = document.createElement('div');
  host.innerHTML = `<p class="muted">${escape(t('loading'))}</p>`;
  root.replaceChildren(host);
  root.dataset.page = page;
  const render = await loaders[page]();
  if (!host.isConnected) return;
  await render(host, new URLSearchParams(query), decodeURIComponent(arg));
}

async function start(): Promise<void> {
  setLang(currentLang());
  whenSignedOut(() => void route());
  $('#lang').addEventListener('click', () => {
    setLang(currentLang() === 'zh' ? 'en' : 'zh');
    void route();
  });
  $('#signout').addEventListener('click', async () => {
    await signOut();
    location.hash = '';
    await route();
  });
  window.addEventListener('hashchange', () => void route());
  if (await restoreSession()) await loadReferenceCodes();
  await route();
}

void start();
