// The situation page (landing for NATIONAL and PROVINCIAL): every number is GetSituation's
// answer for the signed-in principal; nothing is counted in the browser beyond summing the
// server's cells. Prints as a one-page briefing (态势简报).
import { call, role } from '../api';
import { download } from '../csv';
import { $, errorBox, escape, number } from '../dom';
import { t } from '../i18n';
import { onLeave } from '../main';
import { cst, cstDay } from '../time';
import { tileGrid } from '../tiles';
import {
  categories,
  nameOf,
  named,
  provinceCell,
  provinceName,
  sectorCell,
  sectorName,
  severities,
  severityBadge,
  severityColours,
  severityOrder,
} from '../words';

interface Count {
  bucketStart?: string;
  province?: number;
  sector?: string;
  severity?: string;
  category?: string;
  count?: string | number;
}

const n = (v: unknown) => Number(v ?? 0);

function trend(now: number, before: number): string {
  if (!before) return now ? '<span class="up">▲ new</span>' : '<span class="flat">—</span>';
  const pct = Math.round(((now - before) / before) * 100);
  const cls = pct > 0 ? 'up' : pct < 0 ? 'down' : 'flat';
  return `<span class="${cls}" title="${before}">${pct > 0 ? '▲' : pct < 0 ? '▼' : '—'} ${Math.abs(pct)}%</span>`;
}

// Sums cells by a key; only cells of the one dimension `has` picks are counted.
function sum(rows: Count[], has: (r: Count) => boolean, key: (r: Count) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (has(r)) out.set(key(r), (out.get(key(r)) ?? 0) + n(r.count));
  return out;
}

function crossTable(rows: Count[], dim: 'sector' | 'category', label: (k: string) => string, testid: string): string {
  const cells = rows.filter((r) => r[dim]);
  const keys = [...new Set(cells.map((r) => String(r[dim])))];
  const count = new Map<string, number>();
  for (const r of cells) count.set(`${r[dim]}|${r.severity}`, (count.get(`${r[dim]}|${r.severity}`) ?? 0) + n(r.count));
  const total = (k: string) => severityOrder.reduce((s, sev) => s + (count.get(`${k}|${sev}`) ?? 0), 0);
  keys.sort((a, b) => total(b) - total(a));
  const body = keys
    .map(
      (k) =>
        `<tr><th>${label(k)}</th>${severityOrder.map((sev) => `<td>${number(count.get(`${k}|${sev}`) ?? 0)}</td>`).join('')}<td><b>${number(total(k))}</b></td></tr>`,
    )
    .join('');
  return `<table class="grid" data-testid="${testid}"><thead><tr><th></th>${severityOrder
    .map((s) => `<th>${severityBadge(s)}</th>`)
    .join('')}<th>Σ</th></tr></thead><tbody>${body || `<tr><td colspan="6" class="muted">${t('empty')}</td></tr>`}</tbody></table>`;
}

function hours(seconds: unknown): string {
  const s = n(seconds);
  return s ? `${(s / 3600).toFixed(1)} h` : '-';
}

let mapConfig: Promise<any> | null = null;
function loadConfig(): Promise<any> {
  mapConfig ??= fetch('config.json')
    .then((r) => (r.ok ? r.json() : {}))
    .catch(() => ({}));
  return mapConfig;
}

export async function renderSituation(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const days = Math.min(366, Math.max(1, Number(params.get('days') ?? 30) || 30));
  const colourBy = params.get('by') === 'overdue' ? 'overdue' : 'incidents';
  const request: Record<string, unknown> = { bucket: 'BUCKET_DAY' };
  if (days !== 30) {
    request.timeRange = { startTime: new Date(Date.now() - days * 86400_000).toISOString() };
  }
  let s: any;
  try {
    s = await call('FeedService', 'GetSituation', request);
  } catch (e) {
    root.innerHTML = errorBox(e);
    return;
  }
  const totals: Count[] = s.totals ?? [];
  const bySeverity = sum(totals, (r) => !!r.province, (r) => r.severity ?? '');
  const prevBySeverity = sum(s.previousPeriodBySeverity ?? [], () => true, (r) => r.severity ?? '');
  const backlog: any[] = s.noticeBacklog ?? [];
  const open = backlog.reduce((a, b) => a + n(b.open), 0);
  const overdue = backlog.reduce((a, b) => a + n(b.overdue), 0);
  const byProvince = new Map<number, number>();
  for (const [k, v] of sum(totals, (r) => !!r.province, (r) => String(r.province))) byProvince.set(Number(k), v);
  const overdueByProvince = new Map<number, number>(backlog.map((b) => [n(b.province), n(b.overdue)]));
  const range = s.timeRange ?? {};
  const exposures: any[] = [...(s.exposures ?? [])].sort(
    (a, b) => n(b.assetsWithKnownExploitedCves) - n(a.assetsWithKnownExploitedCves) || n(b.assets) - n(a.assets),
  );
  const regulator = role() === 'ROLE_NATIONAL' || role() === 'ROLE_PROVINCIAL' || role() === 'ROLE_ADMIN';

  root.innerHTML = `
  <div class="toolbar no-print">
    <label>${t('period')} <select id="days">${[7, 30, 90, 180, 366]
      .map((d) => `<option value="${d}"${d === days ? ' selected' : ''}>${d} ${t('days')}</option>`)
      .join('')}</select></label>
    <label>${t('colourBy')} <select id="by">
      <option value="incidents"${colourBy === 'incidents' ? ' selected' : ''}>${t('byIncidents')}</option>
      <option value="overdue"${colourBy === 'overdue' ? ' selected' : ''}>${t('byOverdue')}</option></select></label>
    <button id="csv" type="button">${t('exportCsv')}</button>
    <button id="print" type="button">${t('printBrief')}</button>
  </div>
  <h1 class="brief-title">${t('briefTitle')}</h1>
  <p class="muted" data-testid="range">${t('period')}：${cst(range.startTime)} — ${cst(range.endTime)}（${t('cst')}）</p>
  <section class="headline">
    <div class="kpi"><div class="kpi-label">${t('total')}</div><div class="kpi-n" data-testid="total">${number(s.totalIncidents)}</div>
      <div class="kpi-sub">${t('previous')} <span data-testid="previous">${number(s.previousPeriodTotalIncidents)}</span> ${trend(n(s.totalIncidents), n(s.previousPeriodTotalIncidents))}</div></div>
    ${severityOrder
      .map(
        (sev) => `<div class="kpi sev-kpi" style="--sev:${severityColours[sev]}"><div class="kpi-label" title="${sev}">${escape(nameOf(severities, sev))}</div>
        <div class="kpi-n" data-testid="sev-${sev}">${number(bySeverity.get(sev) ?? 0)}</div>
        <div class="kpi-sub">${t('previous')} ${number(prevBySeverity.get(sev) ?? 0)} ${trend(bySeverity.get(sev) ?? 0, prevBySeverity.get(sev) ?? 0)}</div></div>`,
      )
      .join('')}
    <div class="kpi"><div class="kpi-label">${t('exposed')}</div><div class="kpi-n" data-testid="exposed">${number(s.exposedAssets)}</div>
      <div class="kpi-sub">${t('kevExposed')} <b data-testid="kev">${number(s.exposedAssetsWithKnownExploitedCves)}</b>${s.knownExploitedListLoaded ? '' : ` <span class="muted">(${t('kevNotLoaded')})</span>`}</div></div>
    <div class="kpi"><div class="kpi-label">${t('openNotices')}</div><div class="kpi-n" data-testid="open-notices">${number(open)}</div>
      <div class="kpi-sub">${t('overdueNotices')} <b class="${overdue ? 'overdue' : ''}" data-testid="overdue-notices">${number(overdue)}</b></div></div>
  </section>
  <div class="cols">
    <section class="panel"><h2>${t('map')} · ${t(colourBy === 'overdue' ? 'byOverdue' : 'byIncidents')}</h2><div id="map"></div>
      <p class="muted small no-print">${t('mapNote')}</p></section>
    <section class="panel wide"><h2>${t('trend')}</h2><div id="trend" class="chart"></div></section>
  </div>
  <div class="cols">
    <section class="panel"><h2>${t('bySector')}</h2>${crossTable(totals, 'sector', (k) => sectorCell(k), 'by-sector')}</section>
    <section class="panel"><h2>${t('byCategory')}</h2>${crossTable(totals, 'category', (k) => named(categories, k), 'by-category')}</section>
  </div>
  <div class="cols">
    <section class="panel"><h2>${t('backlog')}</h2>
      <table class="grid" data-testid="backlog"><thead><tr><th>${t('province')}</th><th>${t('openNotices')}</th><th>${t('overdueNotices')}</th><th>签收中位时长</th><th>反馈中位时长</th></tr></thead><tbody>
      ${[...backlog]
        .sort((a, b) => n(b.overdue) - n(a.overdue) || n(b.open) - n(a.open))
        .map(
          (b) =>
            `<tr class="${n(b.overdue) ? 'overdue-row' : ''}"><th>${provinceCell(b.province)}</th><td>${number(b.open)}</td><td>${number(b.overdue)}</td><td>${hours(b.medianSecondsToAcknowledge)}</td><td>${hours(b.medianSecondsToFeedback)}</td></tr>`,
        )
        .join('') || `<tr><td colspan="5" class="muted">${t('empty')}</td></tr>`}</tbody></table></section>
    <section class="panel"><h2>${t('exposure')}</h2>
      <table class="grid" data-testid="exposures"><thead><tr><th>${t('protocol')}</th><th>${t('vendor')}</th><th>${t('assetsCount')}</th><th>${t('kevCount')}</th></tr></thead><tbody>
      ${exposures
        .slice(0, 12)
        .map(
          (e) =>
            `<tr class="${n(e.assetsWithKnownExploitedCves) ? 'kev-row' : ''}"><td>${escape(e.protocol)}</td><td>${escape(e.vendor)}</td><td>${number(e.assets)}</td><td>${number(e.assetsWithKnownExploitedCves)}</td></tr>`,
        )
        .join('') || `<tr><td colspan="4" class="muted">${t('empty')}</td></tr>`}</tbody></table></section>
    ${regulator || (s.topEnterprises ?? []).length
      ? `<section class="panel"><h2>${t('topEnterprises')}</h2><table class="grid"><tbody>${(s.topEnterprises ?? [])
          .map((e: any) => `<tr><td title="${escape(e.enterpriseId)}">${escape(e.name)}</td><td>${number(e.openIncidents)}</td></tr>`)
          .join('') || `<tr><td class="muted">${t('empty')}</td></tr>`}</tbody></table></section>`
      : ''}
  </div>`;

  const config = await loadConfig();
  const values = colourBy === 'overdue' ? overdueByProvince : byProvince;
  if (config?.standard_map?.url) {
    const { drawStandardMap } = await import('../standard_map');
    await drawStandardMap($('#map', root), config.standard_map, values).catch((e) => {
      $('#map', root).innerHTML = errorBox(e) + tileGrid(values, t(colourBy === 'overdue' ? 'byOverdue' : 'byIncidents'), [200, 16, 46]);
    });
  } else {
    $('#map', root).innerHTML = tileGrid(
      values,
      t(colourBy === 'overdue' ? 'byOverdue' : 'byIncidents'),
      colourBy === 'overdue' ? [238, 125, 0] : [200, 16, 46],
    );
  }

  const go = (days2: number, by: string) => (location.hash = `#/situation?days=${days2}&by=${by}`);
  $('#days', root).addEventListener('change', (e) => go(Number((e.target as HTMLSelectElement).value), colourBy));
  $('#by', root).addEventListener('change', (e) => go(days, (e.target as HTMLSelectElement).value));
  $('#print', root).addEventListener('click', () => window.print());
  $('#csv', root).addEventListener('click', () => {
    const rows: unknown[][] = [];
    for (const r of totals) {
      const [dim, code, name] = r.province
        ? ['province', r.province, provinceName(r.province)]
        : r.sector
          ? ['sector', r.sector, sectorName(r.sector)]
          : ['category', r.category, nameOf(categories, r.category)];
      rows.push([dim, code, name, r.severity, nameOf(severities, r.severity), n(r.count)]);
    }
    download(`situation-${days}d.csv`, ['dimension', 'code', 'name', 'severity', 'severity_name', 'count'], rows);
  });

  // The trend chart: per day, the province cells summed by severity (each incident once).
  const buckets = [...new Set((s.incidents ?? []).map((r: Count) => r.bucketStart as string))].sort() as string[];
  const perDay = new Map<string, number>();
  for (const r of (s.incidents ?? []) as Count[]) {
    if (!r.province) continue;
    const k = `${r.bucketStart}|${r.severity}`;
    perDay.set(k, (perDay.get(k) ?? 0) + n(r.count));
  }
  const { echarts } = await import('../charts');
  const host = $('#trend', root);
  const chart = echarts.init(host, undefined, { renderer: 'canvas' });
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 10, top: 30, bottom: 25 },
    xAxis: { type: 'category', data: buckets.map((b) => cstDay(b)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: severityOrder.map((sev) => ({
      name: nameOf(severities, sev),
      type: 'bar',
      stack: 'all',
      itemStyle: { color: severityColours[sev] },
      data: buckets.map((b) => perDay.get(`${b}|${sev}`) ?? 0),
    })),
  });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  onLeave(root, () => {
    window.removeEventListener('resize', resize);
    window.removeEventListener('beforeprint', resize);
    chart.dispose();
  });
}
