// Notices (通报): inbox and outbox, one notice with its recipients' loop
// (acknowledge → feedback → close) and the regulator's issue form.
import { call, callAll, enterpriseId, principal, role } from '../api';
import { download } from '../csv';
import { $, errorBox, escape } from '../dom';
import { field, lines, showViolations } from '../forms';
import { t } from '../i18n';
import { onLeave } from '../main';
import { countdown, cst, fromCstInput } from '../time';
import {
  levels,
  named,
  nameOf,
  options,
  origins,
  outcomes,
  provinceCell,
  provinceCodes,
  provinceName,
  roles,
  severities,
  severityBadge,
  targetStates,
  tlps,
} from '../words';

function requestOf(p: URLSearchParams): Record<string, unknown> {
  const r: Record<string, unknown> = { box: p.get('box') === 'out' ? 'BOX_OUTBOX' : 'BOX_INBOX' };
  if (p.get('state')) r.states = [p.get('state')];
  if (p.get('overdue')) r.overdueOnly = true;
  if (p.get('prio')) r.minPriority = p.get('prio');
  return r;
}

function targetName(x: any): string {
  if (x.national) return `${escape(nameOf(roles, 'ROLE_NATIONAL'))}（${escape(provinceName(x.province))}）`;
  if (Number(x.enterpriseId ?? 0)) return `<span title="enterprise ${escape(x.enterpriseId)}">${t('enterprise')} ${escape(x.enterpriseId)}</span>`;
  return provinceCell(x.province);
}

function anyOverdue(n: any): boolean {
  return (n.targets ?? []).some((x: any) => x.overdue);
}

function countdownCell(n: any): string {
  const open = (n.targets ?? []).some((x: any) => x.state !== 'TARGET_STATE_CLOSED' && x.state !== 'TARGET_STATE_FEEDBACK_SUBMITTED');
  if (!open) return '<span class="muted">-</span>';
  return `<span class="countdown" data-deadline="${escape(n.responseDeadline ?? '')}"></span>`;
}

function tickCountdowns(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>('.countdown')) {
    const c = countdown(el.dataset.deadline);
    el.textContent = c.text;
    el.classList.toggle('overdue', c.past);
  }
}

export async function renderNotices(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const request = requestOf(params);
  const out = request.box === 'BOX_OUTBOX';
  const regulator = role() === 'ROLE_NATIONAL' || role() === 'ROLE_PROVINCIAL';
  const q = (changes: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) (v ? p.set(k, v) : p.delete(k));
    p.delete('pt');
    return `#/notices?${p}`;
  };
  root.innerHTML = `
  <div class="tabs no-print"><a href="${q({ box: '' })}" class="${out ? '' : 'active'}" data-testid="inbox-tab">${t('inbox')}</a>
    <a href="${q({ box: 'out' })}" class="${out ? 'active' : ''}" data-testid="outbox-tab">${t('outbox')}</a>
    ${regulator ? `<a href="#/issue" class="button" data-testid="issue-link">${t('issue')}</a>` : ''}</div>
  <form id="filters" class="filters no-print">
    <label>${t('state')}<select name="state">${options(targetStates, params.get('state') ?? '', true, t('any'))}</select></label>
    <label>${t('priority')}<select name="prio">${options(severities, params.get('prio') ?? '', true, t('any'))}</select></label>
    <label class="check"><input type="checkbox" name="overdue" value="1"${params.get('overdue') ? ' checked' : ''}> ${t('overdueOnly')}</label>
    <div class="buttons"><button type="submit">${t('apply')}</button><button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div>
  </form>
  <div id="list">${t('loading')}</div>
  <div class="pager no-print"><button type="button" id="next">${t('next')}</button></div>`;

  const form = $('#filters', root) as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    location.hash = q({
      state: String(data.get('state') ?? ''),
      prio: String(data.get('prio') ?? ''),
      overdue: data.get('overdue') ? '1' : '',
    });
  });
  $('#csv', root).addEventListener('click', async () => {
    const rows = await callAll('NotificationService', 'ListNotifications', request, (a) => a.notifications ?? []);
    download(
      out ? 'notices-outbox.csv' : 'notices-inbox.csv',
      ['id', '优先级', '标题', '层级', '发文省份', '下发时间(CST)', '反馈时限(CST)', '接收方状态', '超期'],
      rows.map((n: any) => [
        n.id, nameOf(severities, n.priority), n.title, nameOf(levels, n.level), provinceName(n.issuerProvince),
        cst(n.createTime), cst(n.responseDeadline),
        (n.targets ?? []).map((x: any) => `${x.province ?? x.enterpriseId}:${nameOf(targetStates, x.state)}`).join(' '),
        anyOverdue(n) ? 'yes' : '',
      ]),
    );
  });
  try {
    const answer = await call('NotificationService', 'ListNotifications', { ...request, pageSize: 100, pageToken: params.get('pt') ?? '' });
    const list: any[] = answer.notifications ?? [];
    $('#list', root).innerHTML = `<table class="grid list" data-testid="notice-list"><thead><tr><th>${t('id')}</th><th>${t('priority')}</th><th>${t('title')}</th><th>${t('issuer')}</th><th>${t('created')}</th><th>${t('deadline')}</th><th>${t('countdown')}</th><th>${t('targets')}</th></tr></thead><tbody>${
      list
        .map(
          (n) => `<tr data-testid="notice-row" data-id="${escape(n.id)}" class="${anyOverdue(n) ? 'overdue-row' : ''}">
        <td><a href="#/notice/${escape(n.id)}">${escape(n.id)}</a></td><td>${severityBadge(n.priority)}</td>
        <td><a href="#/notice/${escape(n.id)}">${escape(n.title)}</a></td><td>${provinceCell(n.issuerProvince)}</td>
        <td>${cst(n.createTime)}</td><td>${cst(n.responseDeadline)}${anyOverdue(n) ? ` <span class="overdue">${t('overdue')}</span>` : ''}</td>
        <td>${countdownCell(n)}</td>
        <td>${(n.targets ?? []).map((x: any) => `${targetName(x)} ${named(targetStates, x.state)}`).join('<br>')}</td></tr>`,
        )
        .join('') || `<tr><td colspan="8" class="muted">${t('empty')}</td></tr>`
    }</tbody></table>`;
    const next = $('#next', root) as HTMLButtonElement;
    next.disabled = !answer.nextPageToken;
    next.addEventListener('click', () => (location.hash = `${q({})}&pt=${encodeURIComponent(answer.nextPageToken)}`));
  } catch (e) {
    $('#list', root).innerHTML = errorBox(e);
  }
  tickCountdowns(root);
  const timer = window.setInterval(() => tickCountdowns(root), 1000);
  onLeave(root, () => window.clearInterval(timer));
}

// The caller's own target of a notice, if it is a recipient.
function myTarget(n: any): any | undefined {
  const p = principal();
  const targets: any[] = n.targets ?? [];
  switch (role()) {
    case 'ROLE_NATIONAL':
      return targets.find((x) => x.national);
    case 'ROLE_PROVINCIAL':
      return targets.find((x) => !x.national && Number(x.province ?? 0) === Number(p?.province ?? -1) && !Number(x.enterpriseId ?? 0));
    case 'ROLE_ENTERPRISE':
      return targets.find((x) => String(x.enterpriseId ?? '') === enterpriseId());
    default:
      return undefined;
  }
}

function issuedByMe(n: any): boolean {
  const p = principal();
  if (role() === 'ROLE_NATIONAL') return n.level === 'NOTIFICATION_LEVEL_NATIONAL';
  if (role() === 'ROLE_PROVINCIAL') return n.level === 'NOTIFICATION_LEVEL_PROVINCIAL' && Number(n.issuerProvince ?? 0) === Number(p?.province ?? -1);
  return false;
}

export async function renderNotice(root: HTMLElement, _params: URLSearchParams, id: string): Promise<void> {
  let n: any;
  try {
    n = await call('NotificationService', 'GetNotification', { id });
  } catch (e) {
    root.innerHTML = errorBox(e);
    return;
  }
  const mine = myTarget(n);
  const state = mine?.state ?? '';
  const canClose = issuedByMe(n) && (n.targets ?? []).some((x: any) => x.state !== 'TARGET_STATE_CLOSED');
  root.innerHTML = `
  <p class="no-print"><a href="#/notices">← ${t('notices')}</a></p>
  <h1 data-testid="notice-title">#${escape(n.id)} ${escape(n.title)} ${severityBadge(n.priority)}</h1>
  <div class="cols"><section class="panel"><table class="facts">
    <tr><th>${t('level')}</th><td>${named(levels, n.level)}</td></tr>
    <tr><th>${t('origin')}</th><td>${named(origins, n.origin)}</td></tr>
    <tr><th>${t('issuer')}</th><td>${provinceCell(n.issuerProvince)}</td></tr>
    <tr><th>${t('created')}</th><td>${cst(n.createTime)}</td></tr>
    <tr><th>${t('deadline')}</th><td>${cst(n.responseDeadline)} · ${t('countdown')} ${countdownCell(n)}</td></tr>
    <tr><th>TLP</th><td>${escape(nameOf(tlps, n.tlp))}</td></tr>
    <tr><th>${t('incidentIds')}</th><td>${(n.incidentIds ?? []).map((i: string) => `<a href="#/incident/${escape(i)}">#${escape(i)}</a>`).join(' ')}</td></tr>
    <tr><th>${t('cveIds')}</th><td>${escape((n.cveIds ?? []).join(', '))}</td></tr>
  </table><h3>${t('body')}</h3><p class="description">${escape(n.body ?? '')}</p>
  <h3>${t('requiredAction')}</h3><p class="description">${escape(n.requiredAction ?? '')}</p></section>
  <section class="panel" id="actions">
    ${mine ? `<p>${t('state')}: <b data-testid="my-state" data-state="${escape(state)}">${escape(nameOf(targetStates, state))}</b>${mine.overdue ? ` <span class="overdue">${t('overdue')}</span>` : ''}</p>` : ''}
    ${mine && state === 'TARGET_STATE_DELIVERED' ? `<button type="button" id="ack" data-testid="ack">${t('acknowledge')}</button>` : ''}
    ${mine && state === 'TARGET_STATE_ACKNOWLEDGED'
      ? `<form id="feedback" class="stack">
        ${field('text', t('feedback'), '<textarea name="text" rows="4"></textarea>')}
        ${field('outcome', t('outcome'), `<select name="outcome">${options(outcomes, '', false)}</select>`)}
        ${field('incident_ids', t('incidentIds'), '<input name="incident_ids" placeholder="123 456">')}
        <div class="violation" data-violation="_"></div>
        <button type="submit" data-testid="feedback-submit">${t('submit')}</button></form>`
      : ''}
    ${canClose
      ? `<form id="close" class="stack">${field('remark', t('remark'), '<input name="remark">')}
        <div class="violation" data-violation="_"></div>
        <button type="submit" data-testid="close">${t('close')}</button></form>`
      : ''}
    <div id="action-error"></div>
  </section></div>
  <section class="panel"><h2>${t('targets')}</h2><table class="grid" data-testid="targets"><thead><tr><th>${t('targets')}</th><th>${t('state')}</th><th>${t('outcome')}</th><th>${t('feedback')}</th><th>${t('history')}</th></tr></thead><tbody>
  ${(n.targets ?? [])
    .map(
      (x: any) => `<tr class="${x.overdue ? 'overdue-row' : ''}" data-testid="target-row" data-state="${escape(x.state)}"><td>${targetName(x)}</td>
      <td>${named(targetStates, x.state)}${x.overdue ? ` <span class="overdue">${t('overdue')}</span>` : ''}</td>
      <td>${named(outcomes, x.outcome)}</td><td class="clip">${escape(x.feedback ?? '')}</td>
      <td>${(x.history ?? []).map((h: any) => `${cst(h.time)} ${escape(nameOf(targetStates, h.state))}${h.text ? ` — ${escape(h.text)}` : ''}`).join('<br>')}</td></tr>`,
    )
    .join('')}</tbody></table></section>`;

  tickCountdowns(root);
  const timer = window.setInterval(() => tickCountdowns(root), 1000);
  onLeave(root, () => window.clearInterval(timer));
  const again = () => renderNotice(root, _params, id);

  root.querySelector('#ack')?.addEventListener('click', async () => {
    try {
      await call('NotificationService', 'Acknowledge', { notificationId: id });
      await again();
    } catch (e) {
      $('#action-error', root).innerHTML = errorBox(e);
    }
  });
  const feedback = root.querySelector('#feedback') as HTMLFormElement | null;
  feedback?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(feedback);
    try {
      await call('NotificationService', 'SubmitFeedback', {
        notificationId: id,
        text: String(data.get('text') ?? ''),
        outcome: String(data.get('outcome') ?? ''),
        incidentIds: lines(String(data.get('incident_ids') ?? '')),
      });
      await again();
    } catch (err) {
      showViolations(feedback, err, '');
    }
  });
  const close = root.querySelector('#close') as HTMLFormElement | null;
  close?.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await call('NotificationService', 'CloseNotification', { notificationId: id, remark: String(new FormData(close).get('remark') ?? '') });
      await again();
    } catch (err) {
      showViolations(close, err, '');
    }
  });
}

export async function renderIssueForm(root: HTMLElement): Promise<void> {
  const national = role() === 'ROLE_NATIONAL';
  let enterprises: any[] = [];
  if (!national) {
    enterprises = await callAll('RegistryService', 'ListEnterprises', {}, (a) => a.enterprises ?? [], 5000).catch(() => []);
  }
  const recipients = national
    ? `<div class="checks">${provinceCodes()
        .map((c) => `<label class="check" title="${c}"><input type="checkbox" name="provinces" value="${c}"> ${escape(provinceName(c))}</label>`)
        .join('')}</div>`
    : `<select name="enterprises" multiple size="8">${enterprises
        .map((e) => `<option value="${escape(e.id)}" title="${escape(e.creditCode)}">${escape(e.name)}</option>`)
        .join('')}</select>`;
  root.innerHTML = `<h1>${t('issue')}</h1>
  <form id="issue" class="card stack">
    ${field('title', t('title'), '<input name="title">')}
    ${field('body', t('body'), '<textarea name="body" rows="5"></textarea>')}
    ${field('required_action', t('requiredAction'), '<textarea name="required_action" rows="2"></textarea>')}
    <div class="row">${field('priority', t('priority'), `<select name="priority">${options(severities, 'SEVERITY_III', false)}</select>`)}
    ${field('tlp', 'TLP', `<select name="tlp">${options(tlps, 'TLP_AMBER', false)}</select>`)}
    ${field('response_deadline', `${t('deadline')}（${t('cst')}）`, '<input type="datetime-local" name="response_deadline">')}</div>
    ${field('targets', national ? t('recipientsProvinces') : t('recipientsEnterprises'), recipients)}
    ${field('incident_ids', t('incidentIds'), '<input name="incident_ids" placeholder="123 456">')}
    ${field('cve_ids', t('cveIds'), '<input name="cve_ids" placeholder="CVE-2024-12345">')}
    <div class="violation" data-violation="_"></div>
    <button type="submit" data-testid="issue-submit">${t('submit')}</button>
  </form>`;
  const form = $('#issue', root) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const targets = national
      ? data.getAll('provinces').map((p) => ({ province: Number(p) }))
      : data.getAll('enterprises').map((id) => ({ enterpriseId: String(id) }));
    const notification: Record<string, unknown> = {
      title: String(data.get('title') ?? ''),
      body: String(data.get('body') ?? ''),
      requiredAction: String(data.get('required_action') ?? ''),
      priority: String(data.get('priority')),
      tlp: String(data.get('tlp')),
      targets,
      incidentIds: lines(String(data.get('incident_ids') ?? '')),
      cveIds: lines(String(data.get('cve_ids') ?? '')),
    };
    const deadline = fromCstInput(String(data.get('response_deadline') ?? ''));
    if (deadline) notification.responseDeadline = deadline;
    try {
      const issued = await call('NotificationService', 'IssueNotification', { notification });
      location.hash = `#/notice/${issued.id}`;
    } catch (err) {
      showViolations(form, err, 'notification.');
    }
  });
}
