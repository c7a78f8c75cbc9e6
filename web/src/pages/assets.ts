// Assets and exposure: the exposure summary of GetSituation (known-exploited first) above the
// asset list with the CLI's filters.
import { call, callAll } from '../api';
import { download } from '../csv';
import { $, errorBox, escape, number } from '../dom';
import { t } from '../i18n';
import { cst } from '../time';
import { provinceCell, provinceName, provinceOptions, sectorCell, sectorName, sectorOptions } from '../words';

function filterOf(p: URLSearchParams): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (p.get('province')) f.provinces = [Number(p.get('province'))];
  if (p.get('sector')) f.sectors = [p.get('sector')];
  if (p.get('protocol')) f.protocols = [p.get('protocol')];
  if (p.get('vendor')) f.vendor = p.get('vendor');
  if (p.get('exposed')) f.internetExposedOnly = true;
  if (p.get('cve')) f.cveId = p.get('cve');
  return f;
}

export async function renderAssets(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const filter = filterOf(params);
  const any = t('any');
  const v = (k: string) => escape(params.get(k) ?? '');
  root.innerHTML = `
  <section class="panel"><h2>${t('exposure')}</h2><div id="exposure">${t('loading')}</div></section>
  <form id="filters" class="filters no-print">
    <label>${t('province')}<select name="province">${provinceOptions(params.get('province') ?? '', true, any)}</select></label>
    <label>${t('sector')}<select name="sector">${sectorOptions(params.get('sector') ?? '', true, any)}</select></label>
    <label>${t('protocol')}<input name="protocol" value="${v('protocol')}" placeholder="modbus"></label>
    <label>${t('vendor')}<input name="vendor" value="${v('vendor')}"></label>
    <label>${t('cve')}<input name="cve" value="${v('cve')}"></label>
    <label class="check"><input type="checkbox" name="exposed" value="1"${params.get('exposed') ? ' checked' : ''}> ${t('exposedOnly')}</label>
    <div class="buttons"><button type="submit">${t('apply')}</button><button type="button" id="csv" class="secondary">${t('exportCsv')}</button></div>
  </form>
  <section class="panel"><h2>${t('assets')}</h2><div id="list">${t('loading')}</div>
  <div class="pager no-print"><button type="button" id="next">${t('next')}</button></div></section>`;
  const form = $('#filters', root) as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, val] of new FormData(form)) if (String(val).trim()) q.set(k, String(val).trim());
    location.hash = `#/assets?${q}`;
  });
  const header = ['id', 'province', '省份', 'sector', '行业', 'ip', 'port', 'protocol', 'vendor', 'product', 'version', 'exposed', 'cve_ids', '最近发现(CST)'];
  const csvRow = (a: any) => [
    a.id, a.province, provinceName(a.province), a.sector, sectorName(a.sector), a.ip, a.port ?? '', a.protocol, a.vendor,
    a.product, a.version, a.internetExposed ? 'yes' : '', (a.cveIds ?? []).join(' '), cst(a.lastSeenTime),
  ];
  $('#csv', root).addEventListener('click', async () => {
    const rows = await callAll('FeedService', 'ListAssets', { filter }, (a) => a.assets ?? []);
    download('assets.csv', header, rows.map(csvRow));
  });

  call('FeedService', 'GetSituation', {})
    .then((s) => {
      const rows = [...(s.exposures ?? [])].sort(
        (a: any, b: any) =>
          Number(b.assetsWithKnownExploitedCves ?? 0) - Number(a.assetsWithKnownExploitedCves ?? 0) ||
          Number(b.assets ?? 0) - Number(a.assets ?? 0),
      );
      $('#exposure', root).innerHTML = `<p>${t('exposed')} <b>${number(s.exposedAssets)}</b> · ${t('kevExposed')} <b>${number(
        s.exposedAssetsWithKnownExploitedCves,
      )}</b>${s.knownExploitedListLoaded ? '' : ` <span class="muted">(${t('kevNotLoaded')})</span>`}</p>
      <table class="grid" data-testid="exposure-table"><thead><tr><th>${t('protocol')}</th><th>${t('vendor')}</th><th>${t('assetsCount')}</th><th>${t('kevCount')}</th></tr></thead><tbody>${rows
        .map(
          (e: any) =>
            `<tr class="${Number(e.assetsWithKnownExploitedCves ?? 0) ? 'kev-row' : ''}"><td><a href="#/assets?exposed=1&protocol=${encodeURIComponent(e.protocol ?? '')}&vendor=${encodeURIComponent(e.vendor ?? '')}">${escape(e.protocol)}</a></td><td>${escape(e.vendor)}</td><td>${number(e.assets)}</td><td>${number(e.assetsWithKnownExploitedCves)}</td></tr>`,
        )
        .join('')}</tbody></table>`;
    })
    .catch((e) => ($('#exposure', root).innerHTML = errorBox(e)));

  try {
    const answer = await call('FeedService', 'ListAssets', { filter, pageSize: 100, pageToken: params.get('pt') ?? '' });
    // Within the page, assets with CVEs first (the API carries no per-asset KEV flag).
    const assets = [...(answer.assets ?? [])].sort((a: any, b: any) => (b.cveIds?.length ?? 0) - (a.cveIds?.length ?? 0));
    $('#list', root).innerHTML = `<table class="grid list" data-testid="asset-list"><thead><tr><th>${t('id')}</th><th>${t('province')}</th><th>${t('sector')}</th><th>${t('ip')}</th><th>${t('protocol')}</th><th>${t('vendor')}</th><th>${t('product')}</th><th>${t('cves')}</th><th>${t('lastSeen')}</th></tr></thead><tbody>${
      assets
        .map(
          (a: any) =>
            `<tr data-testid="asset-row" data-province="${escape(a.province ?? 0)}"><td>${escape(a.id)}</td><td>${provinceCell(a.province)}</td><td>${sectorCell(a.sector)}</td><td><code>${escape(a.ip)}${a.port ? `:${escape(a.port)}` : ''}</code>${a.internetExposed ? ' <span class="badge warn">exposed</span>' : ''}</td><td>${escape(a.protocol)}</td><td>${escape(a.vendor)}</td><td>${escape(a.product)} ${escape(a.version ?? '')}</td><td>${escape((a.cveIds ?? []).join(', '))}</td><td>${cst(a.lastSeenTime)}</td></tr>`,
        )
        .join('') || `<tr><td colspan="9" class="muted">${t('empty')}</td></tr>`
    }</tbody></table>`;
    const next = $('#next', root) as HTMLButtonElement;
    next.disabled = !(answer.assets ?? []).length;
    next.addEventListener('click', () => {
      const q = new URLSearchParams(params);
      q.set('pt', answer.nextPageToken ?? '');
      location.hash = `#/assets?${q}`;
    });
  } catch (e) {
    $('#list', root).innerHTML = errorBox(e);
  }
}
