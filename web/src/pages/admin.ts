// ADMIN: enterprises, principals, tokens and the audit log — exactly what RegistryService offers.
import { call, callAll } from '../api';
import { download } from '../csv';
import { $, errorBox, escape } from '../dom';
import { field, showViolations } from '../forms';
import { t } from '../i18n';
import { cst, fromCstInput } from '../time';
import {
  enterpriseSizes,
  enterpriseTypes,
  named,
  nameOf,
  options,
  provinceCell,
  provinceName,
  provinceOptions,
  roles,
  sectorCell,
  sectorOptions,
} from '../words';

type Tab = 'enterprises' | 'principals' | 'tokens' | 'audit';

export async function renderAdmin(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const tab = (['enterprises', 'principals', 'tokens', 'audit'].includes(params.get('tab') ?? '') ? params.get('tab') : 'enterprises') as Tab;
  root.innerHTML = `<div class="tabs no-print">${(['enterprises', 'principals', 'tokens', 'audit'] as Tab[])
    .map((k) => `<a href="#/admin?tab=${k}" class="${k === tab ? 'active' : ''}">${t(k)}</a>`)
    .join('')}</div><div id="tab">${t('loading')}</div>`;
  const host = $('#tab', root);
  try {
    await { enterprises, principals, tokens, audit }[tab](host, params);
  } catch (e) {
    host.innerHTML = errorBox(e);
  }
}

function table(testid: string, header: string[], rows: string[]): string {
  return `<table class="grid list" data-testid="${testid}"><thead><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.join('') || `<tr><td colspan="${header.length}" class="muted">${t('empty')}</td></tr>`
  }</tbody></table>`;
}

async function enterprises(host: HTMLElement, params: URLSearchParams): Promise<void> {
  const request = { province: Number(params.get('province') ?? 0), sector: params.get('sector') ?? '' };
  const list = await callAll('RegistryService', 'ListEnterprises', request, (a) => a.enterprises ?? [], 5000);
  host.innerHTML = `
  <form id="filters" class="filters no-print">
    <label>${t('province')}<select name="province">${provinceOptions(params.get('province') ?? '', true, t('any'))}</select></label>
    <label>${t('sector')}<select name="sector">${sectorOptions(params.get('sector') ?? '', true, t('any'))}</select></label>
    <div class="buttons"><button type="submit">${t('apply')}</button><button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div></form>
  ${table('enterprise-list', [t('id'), t('name'), t('creditCode'), t('province'), t('sector'), t('type'), t('size'), t('grade'), t('keyEnterprise'), t('cii')],
    list.map((e: any) => `<tr><td>${escape(e.id)}</td><td>${escape(e.name)}</td><td><code>${escape(e.creditCode)}</code></td><td>${provinceCell(e.province)}</td><td>${sectorCell(e.sector)}</td><td>${named(enterpriseTypes, e.type)}</td><td>${named(enterpriseSizes, e.size)}</td><td>${escape(e.grade ?? 0)}</td><td>${e.keyEnterprise ? '✓' : ''}</td><td>${e.ciiOperator ? '✓' : ''}</td></tr>`))}
  <h2>${t('create')} · ${t('enterprise')}</h2>
  <form id="create" class="card stack">
    <div class="row">${field('name', t('name'), '<input name="name">')}${field('credit_code', t('creditCode'), '<input name="credit_code" maxlength="18">')}</div>
    <div class="row">${field('province', t('province'), `<select name="province">${provinceOptions('', false)}</select>`)}
    ${field('sector', t('sector'), `<select name="sector">${sectorOptions('', false)}</select>`)}
    ${field('type', t('type'), `<select name="type">${options(enterpriseTypes, '', false)}</select>`)}
    ${field('size', t('size'), `<select name="size">${options(enterpriseSizes, '', false)}</select>`)}
    ${field('grade', t('grade'), '<input name="grade" type="number" min="0" max="3" value="0">')}</div>
    <label class="check"><input type="checkbox" name="key_enterprise"> ${t('keyEnterprise')}</label>
    <label class="check"><input type="checkbox" name="cii_operator"> ${t('cii')}</label>
    <div class="violation" data-violation="_"></div><button type="submit">${t('create')}</button></form>`;
  const filters = $('#filters', host) as HTMLFormElement;
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = new FormData(filters);
    location.hash = `#/admin?tab=enterprises&province=${d.get('province') ?? ''}&sector=${d.get('sector') ?? ''}`;
  });
  $('#csv', host).addEventListener('click', () =>
    download('enterprises.csv', ['id', '名称', 'credit_code', 'province', '省份', 'sector', 'type', 'size', 'grade', 'key', 'cii'],
      list.map((e: any) => [e.id, e.name, e.creditCode, e.province, provinceName(e.province), e.sector, nameOf(enterpriseTypes, e.type), nameOf(enterpriseSizes, e.size), e.grade ?? 0, e.keyEnterprise ? 'yes' : '', e.ciiOperator ? 'yes' : ''])),
  );
  const form = $('#create', host) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    try {
      await call('RegistryService', 'CreateEnterprise', {
        enterprise: {
          name: String(d.get('name') ?? ''), creditCode: String(d.get('credit_code') ?? ''), province: Number(d.get('province')),
          sector: String(d.get('sector')), type: String(d.get('type')), size: String(d.get('size')), grade: Number(d.get('grade') ?? 0),
          keyEnterprise: !!d.get('key_enterprise'), ciiOperator: !!d.get('cii_operator'),
        },
      });
      location.reload();
    } catch (err) {
      showViolations(form, err, 'enterprise.');
    }
  });
}

async function principals(host: HTMLElement, params: URLSearchParams): Promise<void> {
  const roleFilter = params.get('role') ?? '';
  const list = await callAll('RegistryService', 'ListPrincipals', roleFilter ? { role: roleFilter } : {}, (a) => a.principals ?? [], 5000);
  host.innerHTML = `
  <form id="filters" class="filters no-print"><label>${t('role')}<select name="role">${options(roles, roleFilter, true, t('any'))}</select></label>
    <div class="buttons"><button type="submit">${t('apply')}</button><button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div></form>
  ${table('principal-list', [t('id'), t('name'), t('role'), t('province'), t('enterprise'), t('description'), t('created')],
    list.map((p: any) => `<tr><td>${escape(p.id)}</td><td>${escape(p.name)}</td><td>${named(roles, p.role)}</td><td>${Number(p.province ?? 0) ? provinceCell(p.province) : '-'}</td><td>${escape(p.enterpriseId ?? '')}</td><td>${escape(p.description ?? '')}</td><td>${cst(p.createTime)}</td></tr>`))}
  <h2>${t('create')} · ${t('principals')}</h2>
  <form id="create" class="card stack"><div class="row">
    ${field('name', t('name'), '<input name="name">')}
    ${field('role', t('role'), `<select name="role">${options(roles, 'ROLE_PROVINCIAL', false)}</select>`)}
    ${field('province', t('province'), `<select name="province">${provinceOptions('', true, '-')}</select>`)}
    ${field('enterprise_id', t('enterprise'), '<input name="enterprise_id" type="number" min="0">')}</div>
    ${field('description', t('description'), '<input name="description">')}
    <div class="violation" data-violation="_"></div><button type="submit">${t('create')}</button></form>`;
  const filters = $('#filters', host) as HTMLFormElement;
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/admin?tab=principals&role=${new FormData(filters).get('role') ?? ''}`;
  });
  $('#csv', host).addEventListener('click', () =>
    download('principals.csv', ['id', 'name', 'role', '角色', 'province', 'enterprise_id', 'description', '创建时间(CST)'],
      list.map((p: any) => [p.id, p.name, p.role, nameOf(roles, p.role), p.province ?? 0, p.enterpriseId ?? '', p.description ?? '', cst(p.createTime)])),
  );
  const form = $('#create', host) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    try {
      await call('RegistryService', 'CreatePrincipal', {
        principal: {
          name: String(d.get('name') ?? ''), role: String(d.get('role')), province: Number(d.get('province') || 0),
          enterpriseId: String(d.get('enterprise_id') || '0'), description: String(d.get('description') ?? ''),
        },
      });
      location.reload();
    } catch (err) {
      showViolations(form, err, 'principal.');
    }
  });
}

async function tokens(host: HTMLElement, params: URLSearchParams): Promise<void> {
  const principalId = params.get('principal') ?? '';
  const list = await callAll('RegistryService', 'ListTokens', principalId ? { principalId } : {}, (a) => a.tokens ?? [], 5000);
  host.innerHTML = `
  <form id="filters" class="filters no-print"><label>${t('principalId')}<input name="principal" value="${escape(principalId)}"></label>
    <div class="buttons"><button type="submit">${t('apply')}</button><button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div></form>
  ${table('token-list', [t('id'), t('principalId'), t('description'), t('created'), t('expires'), t('revoked'), ''],
    list.map((k: any) => `<tr><td>${escape(k.id)}</td><td>${escape(k.principalId)}</td><td>${escape(k.description ?? '')}</td><td>${cst(k.createTime)}</td><td>${cst(k.expireTime)}</td><td>${cst(k.revokeTime)}</td><td>${k.revokeTime ? '' : `<button type="button" class="secondary revoke" data-id="${escape(k.id)}">${t('revoke')}</button>`}</td></tr>`))}
  <h2>${t('create')} · ${t('tokens')}</h2>
  <form id="create" class="card stack"><div class="row">
    ${field('principal_id', t('principalId'), '<input name="principal_id" type="number" min="1">')}
    ${field('description', t('description'), '<input name="description">')}
    ${field('expire_time', `${t('expires')}（${t('cst')}）`, '<input name="expire_time" type="datetime-local">')}</div>
    <div class="violation" data-violation="_"></div><button type="submit">${t('create')}</button></form><div id="secret"></div>`;
  const filters = $('#filters', host) as HTMLFormElement;
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/admin?tab=tokens&principal=${encodeURIComponent(String(new FormData(filters).get('principal') ?? ''))}`;
  });
  $('#csv', host).addEventListener('click', () =>
    download('tokens.csv', ['id', 'principal_id', 'description', '创建(CST)', '过期(CST)', '吊销(CST)'],
      list.map((k: any) => [k.id, k.principalId, k.description ?? '', cst(k.createTime), cst(k.expireTime), cst(k.revokeTime)])),
  );
  for (const b of host.querySelectorAll<HTMLButtonElement>('.revoke')) {
    b.addEventListener('click', async () => {
      try {
        await call('RegistryService', 'RevokeToken', { tokenId: b.dataset.id });
        location.reload();
      } catch (e) {
        $('#secret', host).innerHTML = errorBox(e);
      }
    });
  }
  const form = $('#create', host) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    const request: Record<string, unknown> = { principalId: String(d.get('principal_id') ?? ''), description: String(d.get('description') ?? '') };
    const expire = fromCstInput(String(d.get('expire_time') ?? ''));
    if (expire) request.expireTime = expire;
    try {
      const answer = await call('RegistryService', 'IssueToken', request);
      // Shown once, never stored.
      $('#secret', host).innerHTML = `<div class="ok">${t('secretOnce')} <code class="secret">${escape(answer.secret)}</code></div>`;
    } catch (err) {
      showViolations(form, err, '');
    }
  });
}

async function audit(host: HTMLElement, params: URLSearchParams): Promise<void> {
  const request: Record<string, unknown> = {};
  if (params.get('principal')) request.principalId = params.get('principal');
  if (params.get('method')) request.method = params.get('method');
  const from = fromCstInput(params.get('from') ?? '');
  const to = fromCstInput(params.get('to') ?? '');
  if (from || to) request.timeRange = { ...(from ? { startTime: from } : {}), ...(to ? { endTime: to } : {}) };
  const answer = await call('RegistryService', 'ListAuditEntries', { ...request, pageSize: 200, pageToken: params.get('pt') ?? '' });
  const entries: any[] = answer.entries ?? [];
  const v = (k: string) => escape(params.get(k) ?? '');
  host.innerHTML = `
  <form id="filters" class="filters no-print">
    <label>${t('principalId')}<input name="principal" value="${v('principal')}"></label>
    <label>${t('method')}<input name="method" value="${v('method')}" placeholder="/sitrep.v1.FeedService/ListIncidents"></label>
    <label>${t('from')}<input type="datetime-local" name="from" value="${v('from')}"></label>
    <label>${t('to')}<input type="datetime-local" name="to" value="${v('to')}"></label>
    <div class="buttons"><button type="submit">${t('apply')}</button><button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div></form>
  ${table('audit-list', [t('time'), t('principalId'), t('method'), t('target'), t('rows'), t('status'), t('peer')],
    entries.map((a) => `<tr class="${a.status && a.status !== 'OK' ? 'warn-row' : ''}"><td>${cst(a.time)}</td><td>${escape(a.principalId ?? 0)}</td><td><code>${escape(a.method)}</code></td><td class="clip">${escape(a.target ?? '')}</td><td>${escape(a.rows ?? 0)}</td><td>${escape(a.status)}</td><td>${escape(a.peer)}</td></tr>`))}
  <div class="pager no-print"><button type="button" id="next"${answer.nextPageToken ? '' : ' disabled'}>${t('next')}</button></div>`;
  const filters = $('#filters', host) as HTMLFormElement;
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ tab: 'audit' });
    for (const [k, val] of new FormData(filters)) if (String(val).trim()) q.set(k, String(val).trim());
    location.hash = `#/admin?${q}`;
  });
  $('#next', host).addEventListener('click', () => {
    const q = new URLSearchParams(params);
    q.set('pt', answer.nextPageToken);
    location.hash = `#/admin?${q}`;
  });
  $('#csv', host).addEventListener('click', async () => {
    const rows = await callAll('RegistryService', 'ListAuditEntries', request, (a) => a.entries ?? []);
    download('audit.csv', ['时间(CST)', 'principal_id', 'method', 'target', 'rows', 'status', 'peer'],
      rows.map((a: any) => [cst(a.time), a.principalId ?? 0, a.method, a.target ?? '', a.rows ?? 0, a.status, a.peer]));
  });
}
