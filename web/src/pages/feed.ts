// The incident feed: the CLI's filters, pages in commit order, and live arrivals from the
// WatchIncidents SSE stream with the same filter, without a reload.
import { call, callAll, watch } from '../api';
import { download } from '../csv';
import { $, errorBox, escape } from '../dom';
import { t } from '../i18n';
import { onLeave } from '../main';
import { cst, fromCstInput, toCstInput } from '../time';
import {
  categories,
  named,
  nameOf,
  options,
  provinceCell,
  provinceName,
  provinceOptions,
  scopes,
  sectorCell,
  sectorName,
  sectorOptions,
  severities,
  severityBadge,
  statuses,
  tlpBadge,
} from '../words';

// The hash query → IncidentFilter (proto3 JSON); empty values do not filter.
export function filterOf(p: URLSearchParams): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (p.get('province')) f.provinces = [Number(p.get('province'))];
  if (p.get('sector')) f.sectors = [p.get('sector')];
  if (p.get('sev')) f.minSeverity = p.get('sev');
  if (p.get('category')) f.categories = [p.get('category')];
  if (p.get('status')) f.statuses = [p.get('status')];
  const from = fromCstInput(p.get('from') ?? '');
  const to = fromCstInput(p.get('to') ?? '');
  if (from || to) f.occurTime = { ...(from ? { startTime: from } : {}), ...(to ? { endTime: to } : {}) };
  if (p.get('cve')) f.cveId = p.get('cve');
  if (p.get('ind')) f.indicatorValue = p.get('ind');
  if (p.get('q')) f.titleContains = p.get('q');
  return f;
}

export function incidentRow(i: any, live = false): string {
  return `<tr data-testid="incident-row" data-id="${escape(i.id)}" data-province="${escape(i.province ?? 0)}"
      data-tlp="${escape(i.tlp ?? '')}" data-redacted="${i.redacted ? 'true' : 'false'}"${live ? ' class="live-row"' : ''}>
    <td><a href="#/incident/${escape(i.id)}">${escape(i.id)}</a></td>
    <td>${severityBadge(i.severity)}</td>
    <td class="title-cell"><a href="#/incident/${escape(i.id)}">${escape(i.title)}</a>${i.redacted ? ` <span class="badge" data-testid="redacted">${t('redacted')}</span>` : ''}</td>
    <td>${provinceCell(i.province)}</td>
    <td>${sectorCell(i.sector)}</td>
    <td>${named(categories, i.category)}</td>
    <td>${named(statuses, i.status)}</td>
    <td>${tlpBadge(i.tlp)}</td>
    <td>${cst(i.occurTime)}</td>
    <td>${cst(i.receiveTime)}</td></tr>`;
}

export const incidentHeader = () =>
  `<tr><th>${t('id')}</th><th>${t('severity')}</th><th>${t('title')}</th><th>${t('province')}</th><th>${t('sector')}</th><th>${t('category')}</th><th>${t('status')}</th><th>TLP</th><th>${t('occurTime')}</th><th>${t('receiveTime')}</th></tr>`;

export function incidentCsvRow(i: any): unknown[] {
  return [
    i.id, i.revision, nameOf(severities, i.severity), i.severity, i.title, i.province, provinceName(i.province),
    i.sector, sectorName(i.sector), nameOf(categories, i.category), nameOf(statuses, i.status), i.tlp,
    nameOf(scopes, i.sharingScope), cst(i.occurTime), cst(i.receiveTime), (i.cveIds ?? []).join(' '), i.redacted ? 'yes' : '',
  ];
}
export const incidentCsvHeader = [
  'id', 'revision', '级别', 'severity', '标题', 'province', '省份', 'sector', '行业', '类别', '状态', 'tlp', '共享范围',
  '发生时间(CST)', '接收时间(CST)', 'cve_ids', 'redacted',
];

export async function renderFeed(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const filter = filterOf(params);
  const token = params.get('pt') ?? '';
  const any = t('any');
  root.innerHTML = `
  <form id="filters" class="filters no-print">
    <label>${t('province')}<select name="province">${provinceOptions(params.get('province') ?? '', true, any)}</select></label>
    <label>${t('sector')}<select name="sector">${sectorOptions(params.get('sector') ?? '', true, any)}</select></label>
    <label>${t('minSeverity')}<select name="sev">${options(severities, params.get('sev') ?? '', true, any)}</select></label>
    <label>${t('category')}<select name="category">${options(categories, params.get('category') ?? '', true, any)}</select></label>
    <label>${t('status')}<select name="status">${options(statuses, params.get('status') ?? '', true, any)}</select></label>
    <label>${t('occurTime')} ${t('from')}<input type="datetime-local" name="from" value="${escape(params.get('from') ?? '')}"></label>
    <label>${t('to')}<input type="datetime-local" name="to" value="${escape(params.get('to') ?? '')}"></label>
    <label>${t('cve')}<input name="cve" placeholder="CVE-2024-12345" value="${escape(params.get('cve') ?? '')}"></label>
    <label>${t('indicator')}<input name="ind" value="${escape(params.get('ind') ?? '')}"></label>
    <label>${t('text')}<input name="q" value="${escape(params.get('q') ?? '')}"></label>
    <div class="buttons"><button type="submit">${t('apply')}</button><a href="#/feed" class="button secondary">${t('reset')}</a>
      <button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div>
  </form>
  <div class="violation" id="filter-error"></div>
  <section class="panel">
    <h2>${t('liveNew')} <span id="live-state" class="live-dot" data-testid="live-state">${t('live')}</span></h2>
    <table class="grid list"><thead>${incidentHeader()}</thead><tbody id="live"></tbody></table>
  </section>
  <section class="panel"><h2>${t('feed')}</h2><div id="page">${t('loading')}</div>
    <div class="pager no-print"><a href="#/feed?${escape(strip(params, 'pt'))}" class="button secondary">${t('first')}</a>
      <button type="button" id="prev" class="secondary">${t('prev')}</button>
      <button type="button" id="next">${t('next')}</button></div></section>`;

  const form = $('#filters', root) as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) q.set(k, String(v).trim());
    location.hash = `#/feed?${q}`;
  });
  $('#prev', root).addEventListener('click', () => history.back());
  $('#csv', root).addEventListener('click', async () => {
    const rows = await callAll('FeedService', 'ListIncidents', { filter }, (a) => a.incidents ?? []);
    download('incidents.csv', incidentCsvHeader, rows.map(incidentCsvRow));
  });

  try {
    const answer = await call('FeedService', 'ListIncidents', { filter, pageSize: 100, pageToken: token });
    const incidents: any[] = answer.incidents ?? [];
    $('#page', root).innerHTML = `<table class="grid list" data-testid="feed-page"><thead>${incidentHeader()}</thead><tbody>${
      incidents.map((i) => incidentRow(i)).join('') || `<tr><td colspan="10" class="muted">${t('empty')}</td></tr>`
    }</tbody></table>`;
    const next = $('#next', root) as HTMLButtonElement;
    next.disabled = incidents.length === 0;
    next.addEventListener('click', () => {
      const q = new URLSearchParams(params);
      q.set('pt', answer.nextPageToken ?? '');
      location.hash = `#/feed?${q}`;
    });
  } catch (e) {
    $('#page', root).innerHTML = '';
    $('#filter-error', root).innerHTML = errorBox(e);
  }

  const live = $('#live', root);
  const state = $('#live-state', root);
  const seen = new Set<string>();
  const stop = watch(
    'FeedService',
    'WatchIncidents',
    { filter },
    (message) => {
      const incidents: any[] = message.incidents ?? (message.id ? [message] : []);
      for (const i of incidents) {
        const key = `${i.id}/${i.revision}`;
        if (seen.has(key)) continue;
        seen.add(key);
        live.insertAdjacentHTML('afterbegin', incidentRow(i, true));
      }
    },
    (open) => {
      state.classList.toggle('off', !open);
      state.textContent = open ? t('live') : t('liveOff');
      state.dataset.open = String(open);
    },
  );
  onLeave(root, stop);
}

function strip(p: URLSearchParams, key: string): string {
  const q = new URLSearchParams(p);
  q.delete(key);
  return q.toString();
}

export { toCstInput };
