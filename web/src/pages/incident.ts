// One incident: the current revision, every earlier revision (where the API offers them to the
// caller's role) and the notices that name it.
import { call, callAll, role } from '../api';
import { errorBox, escape } from '../dom';
import { t } from '../i18n';
import { cst } from '../time';
import {
  categories,
  indicatorTypes,
  named,
  nameOf,
  provinceCell,
  scopes,
  sectorCell,
  statuses,
  severityBadge,
  targetStates,
  tlpBadge,
} from '../words';

function facts(i: any): string {
  const row = (k: string, v: string) => `<tr><th>${escape(t(k))}</th><td>${v}</td></tr>`;
  return `<table class="facts">
    ${row('severity', severityBadge(i.severity))}
    ${row('status', named(statuses, i.status))}
    ${row('province', provinceCell(i.province))}
    ${row('sector', sectorCell(i.sector))}
    ${row('category', named(categories, i.category))}
    ${row('subcategory', escape(i.subcategory ?? ''))}
    ${row('tlp', tlpBadge(i.tlp))}
    ${row('scope', named(scopes, i.sharingScope))}
    ${row('enterprise', i.redacted ? `<span class="badge">${t('redacted')}</span>` : escape(i.enterpriseId ?? '0'))}
    ${row('externalId', escape(i.externalId ?? ''))}
    ${row('occurTime', cst(i.occurTime))}
    ${row('detectTime', cst(i.detectTime))}
    ${row('receiveTime', cst(i.receiveTime))}
    ${row('updateTime', cst(i.updateTime))}
    ${row('cves', escape((i.cveIds ?? []).join(', ')))}
    ${row('techniques', escape((i.attackTechniqueIds ?? []).join(', ')))}
    ${row('indicators', (i.indicators ?? []).map((x: any) => `${escape(nameOf(indicatorTypes, x.type))} <code>${escape(x.value)}</code>`).join('<br>'))}
  </table>
  <h3>${t('description')}</h3><p class="description">${escape(i.description ?? '')}</p>`;
}

export async function renderIncident(root: HTMLElement, _params: URLSearchParams, id: string): Promise<void> {
  let incident: any;
  try {
    incident = await call('FeedService', 'GetIncident', { id });
  } catch (e) {
    root.innerHTML = errorBox(e);
    return;
  }
  root.innerHTML = `
    <p class="no-print"><a href="javascript:history.back()">←</a></p>
    <h1 data-testid="incident-title" data-province="${escape(incident.province ?? 0)}" data-tlp="${escape(incident.tlp ?? '')}"
      data-redacted="${incident.redacted ? 'true' : 'false'}">#${escape(incident.id)} ${escape(incident.title)}
      ${incident.redacted ? `<span class="badge" data-testid="redacted">${t('redacted')}</span>` : ''}
      <small>${t('revision')} ${escape(incident.revision ?? 1)}</small></h1>
    ${role() === 'ROLE_ENTERPRISE' && !incident.redacted ? `<p><a class="button" href="#/amend/${escape(incident.id)}">${t('amend')}</a></p>` : ''}
    <div class="cols"><section class="panel">${facts(incident)}</section>
    <section class="panel"><h2>${t('relatedNotices')}</h2><div id="notices">${t('loading')}</div></section></div>
    <section class="panel"><h2>${t('revisions')}</h2><div id="revisions">${t('loading')}</div></section>`;

  const revisionsHost = root.querySelector('#revisions') as HTMLElement;
  call('ReportService', 'ListIncidentRevisions', { incidentId: id })
    .then((answer) => {
      const revisions: any[] = answer.revisions ?? [];
      revisionsHost.innerHTML = `<table class="grid"><thead><tr><th>${t('revision')}</th><th>${t('updateTime')}</th><th>${t('severity')}</th><th>${t('status')}</th><th>${t('title')}</th><th>${t('description')}</th></tr></thead><tbody>${revisions
        .map(
          (r) =>
            `<tr data-testid="revision-row"><td>${escape(r.revision)}</td><td>${cst(r.updateTime)}</td><td>${severityBadge(r.severity)}</td><td>${named(statuses, r.status)}</td><td>${escape(r.title)}</td><td class="clip">${escape(r.description ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`;
    })
    .catch((e) => {
      // PROVINCIAL may not list revisions (ReportService); the current one is shown above.
      revisionsHost.innerHTML = `<p class="muted">${escape(e.code)}: ${escape(e.message)}</p>`;
    });

  const noticesHost = root.querySelector('#notices') as HTMLElement;
  Promise.all(
    ['BOX_INBOX', 'BOX_OUTBOX'].map((box) =>
      callAll('NotificationService', 'ListNotifications', { box }, (a) => a.notifications ?? [], 2000).catch(() => []),
    ),
  ).then(([inbox, outbox]) => {
    const seen = new Set<string>();
    const related = [...inbox, ...outbox].filter(
      (n: any) => (n.incidentIds ?? []).map(String).includes(String(id)) && !seen.has(n.id) && seen.add(n.id),
    );
    noticesHost.innerHTML = related.length
      ? `<ul>${related
          .map(
            (n: any) =>
              `<li><a href="#/notice/${escape(n.id)}">#${escape(n.id)} ${escape(n.title)}</a> ${severityBadge(n.priority)} ${(n.targets ?? [])
                .map((x: any) => escape(nameOf(targetStates, x.state)))
                .join(' ')}</li>`,
          )
          .join('')}</ul>`
      : `<p class="muted">${t('none')}</p>`;
  });
}
