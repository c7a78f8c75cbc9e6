// ENTERPRISE: report an incident through a form whose rules are the server's (its field
// violations come back beside the fields), amend one (续报 / 终报 / status / regrade), and list
// the enterprise's own incidents.
import { call, callAll, enterpriseId, principal } from '../api';
import { download } from '../csv';
import { $, errorBox, escape } from '../dom';
import { field, lines, showViolations } from '../forms';
import { t } from '../i18n';
import { cst, fromCstInput, toCstInput } from '../time';
import { incidentCsvHeader, incidentCsvRow, incidentHeader, incidentRow } from './feed';
import {
  amendmentKinds,
  categories,
  indicatorTypes,
  nameOf,
  options,
  provinceName,
  scopes,
  sectorOptions,
  severities,
  statuses,
  tlps,
} from '../words';

// "ipv4 10.0.0.1" / "domain evil.example" per line → Indicator messages.
function indicatorsOf(text: string): { type: string; value: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [word, ...rest] = l.split(/\s+/);
      return { type: `INDICATOR_TYPE_${word.toUpperCase()}`, value: rest.join(' ') };
    });
}

export async function renderReport(root: HTMLElement): Promise<void> {
  let sector = '';
  try {
    sector = (await call('RegistryService', 'GetEnterprise', { id: enterpriseId() })).sector ?? '';
  } catch {
    // The enterprise record is only a default for the sector field.
  }
  const now = toCstInput(new Date().toISOString());
  const typeWords = Object.keys(indicatorTypes).map((k) => k.replace('INDICATOR_TYPE_', '').toLowerCase()).join(' / ');
  root.innerHTML = `<h1>${t('report')}</h1>
  <form id="report" class="card stack" novalidate>
    <p class="muted">${t('province')}: ${escape(provinceName(principal()?.province))} · ${t('enterprise')} ${escape(enterpriseId())}</p>
    <div class="row">${field('external_id', t('externalId'), `<input name="external_id" value="web-${Date.now()}">`)}
    ${field('sector', t('sector'), `<select name="sector">${sectorOptions(sector, false)}</select>`)}</div>
    ${field('title', t('title'), '<input name="title" maxlength="400">')}
    <div class="row">${field('severity', t('severity'), `<select name="severity">${options(severities, 'SEVERITY_IV', false)}</select>`)}
    ${field('category', t('category'), `<select name="category">${options(categories, 'CATEGORY_NETWORK_ATTACK', false)}</select>`)}
    ${field('subcategory', t('subcategory'), '<input name="subcategory">')}</div>
    <div class="row">${field('tlp', 'TLP', `<select name="tlp">${options(tlps, 'TLP_AMBER', false)}</select>`)}
    ${field('sharing_scope', t('scope'), `<select name="sharing_scope">${options(scopes, 'SHARING_SCOPE_PROVINCE', false)}</select>`)}</div>
    <div class="row">${field('occur_time', `${t('occurTime')}（${t('cst')}）`, `<input type="datetime-local" name="occur_time" value="${now}">`)}
    ${field('detect_time', `${t('detectTime')}（${t('cst')}）`, `<input type="datetime-local" name="detect_time" value="${now}">`)}</div>
    ${field('description', t('description'), '<textarea name="description" rows="5"></textarea>')}
    ${field('cve_ids', t('cves'), '<input name="cve_ids" placeholder="CVE-2024-12345">')}
    ${field('attack_technique_ids', t('techniques'), '<input name="attack_technique_ids" placeholder="T0831">')}
    ${field('indicators', `${t('indicators')}（${typeWords}）`, '<textarea name="indicators" rows="3" placeholder="ipv4 203.0.113.7"></textarea>')}
    <div class="violation" data-violation="_"></div>
    <button type="submit" data-testid="report-submit">${t('submit')}</button>
  </form><div id="result"></div>`;
  const form = $('#report', root) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    const s = (k: string) => String(d.get(k) ?? '').trim();
    const incident: Record<string, unknown> = {
      externalId: s('external_id'),
      province: Number(principal()?.province ?? 0),
      enterpriseId: enterpriseId(),
      sector: s('sector'),
      title: s('title'),
      severity: s('severity'),
      category: s('category'),
      subcategory: s('subcategory'),
      tlp: s('tlp'),
      sharingScope: s('sharing_scope'),
      description: s('description'),
      cveIds: lines(s('cve_ids')),
      attackTechniqueIds: lines(s('attack_technique_ids')),
      indicators: indicatorsOf(String(d.get('indicators') ?? '')),
    };
    const occur = fromCstInput(s('occur_time'));
    const detect = fromCstInput(s('detect_time'));
    if (occur) incident.occurTime = occur;
    if (detect) incident.detectTime = detect;
    try {
      const answer = await call('ReportService', 'ReportIncident', { incident });
      const i = answer.incident ?? {};
      $('#result', root).innerHTML = `<div class="ok" data-testid="report-ok" data-id="${escape(i.id)}">${t('reportSent')}：
        <a href="#/incident/${escape(i.id)}">#${escape(i.id)} ${escape(i.title)}</a>${answer.duplicate ? ` — ${t('duplicate')}` : ''}</div>`;
      form.reset();
      (form.querySelector('[name=external_id]') as HTMLInputElement).value = `web-${Date.now()}`;
    } catch (err) {
      showViolations(form, err, 'incident.');
    }
  });
}

export async function renderAmend(root: HTMLElement, _p: URLSearchParams, id: string): Promise<void> {
  let incident: any;
  try {
    incident = await call('FeedService', 'GetIncident', { id });
  } catch (e) {
    root.innerHTML = errorBox(e);
    return;
  }
  root.innerHTML = `<h1>${t('amend')} · #${escape(id)} ${escape(incident.title)}</h1>
  <form id="amend" class="card stack">
    ${field('kind', t('kind'), `<select name="kind">${options(amendmentKinds, 'AMENDMENT_KIND_FOLLOW_UP', false)}</select>`)}
    <div class="row">${field('severity', t('severity'), `<select name="severity">${options(severities, '', true, `${nameOf(severities, incident.severity)}（不变）`)}</select>`)}
    ${field('status', t('status'), `<select name="status">${options(statuses, '', true, `${nameOf(statuses, incident.status)}（不变）`)}</select>`)}</div>
    ${field('description', t('description'), `<textarea name="description" rows="6">${escape(incident.description ?? '')}</textarea>`)}
    ${field('note', t('note'), '<input name="note">')}
    <div class="violation" data-violation="_"></div>
    <button type="submit" data-testid="amend-submit">${t('submit')}</button>
  </form>`;
  const form = $('#amend', root) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    const s = (k: string) => String(d.get(k) ?? '').trim();
    const changes: Record<string, unknown> = {};
    if (s('severity')) changes.severity = s('severity');
    if (s('status')) changes.status = s('status');
    if (s('description') !== (incident.description ?? '')) changes.description = s('description');
    try {
      await call('ReportService', 'AmendIncident', {
        incidentId: id,
        kind: s('kind'),
        incident: changes,
        // proto3 JSON writes a FieldMask as comma-separated lowerCamelCase paths.
        updateMask: Object.keys(changes).join(','),
        note: s('note'),
      });
      location.hash = `#/incident/${id}`;
    } catch (err) {
      showViolations(form, err, 'incident.');
    }
  });
}

export async function renderMyIncidents(root: HTMLElement, params: URLSearchParams): Promise<void> {
  root.innerHTML = `<div class="toolbar no-print"><a class="button" href="#/report">${t('report')}</a>
    <button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div><div id="list">${t('loading')}</div>
    <div class="pager no-print"><button type="button" id="next">${t('next')}</button></div>`;
  $('#csv', root).addEventListener('click', async () => {
    const rows = await callAll('ReportService', 'ListMyIncidents', {}, (a) => a.incidents ?? []);
    download('my-incidents.csv', incidentCsvHeader, rows.map(incidentCsvRow));
  });
  try {
    const answer = await call('ReportService', 'ListMyIncidents', { pageSize: 100, pageToken: params.get('pt') ?? '' });
    $('#list', root).innerHTML = `<table class="grid list"><thead>${incidentHeader()}</thead><tbody>${
      (answer.incidents ?? []).map((i: any) => incidentRow(i)).join('') || `<tr><td colspan="10" class="muted">${t('empty')}</td></tr>`
    }</tbody></table><p class="muted small">${t('updateTime')}: ${cst(new Date().toISOString())}</p>`;
    const next = $('#next', root) as HTMLButtonElement;
    next.disabled = !answer.nextPageToken;
    next.addEventListener('click', () => (location.hash = `#/mine?pt=${encodeURIComponent(answer.nextPageToken)}`));
  } catch (e) {
    $('#list', root).innerHTML = errorBox(e);
  }
}
