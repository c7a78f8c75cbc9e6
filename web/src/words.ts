// Names of the codes the API speaks: enum values (proto3 JSON gives their names) and the seeded
// provinces and sectors (from ListReferenceCodes). Every name carries its code on hover.
import { call } from './api';
import { currentLang } from './i18n';
import { escape } from './dom';

type Names = Record<string, [string, string]>;

export const severities: Names = {
  SEVERITY_I: ['特别重大', 'I Extraordinary'],
  SEVERITY_II: ['重大', 'II Major'],
  SEVERITY_III: ['较大', 'III Larger'],
  SEVERITY_IV: ['一般', 'IV General'],
};
export const severityOrder = ['SEVERITY_I', 'SEVERITY_II', 'SEVERITY_III', 'SEVERITY_IV'];
// The warning colours of the emergency plan: red, orange, yellow, blue.
export const severityColours: Record<string, string> = {
  SEVERITY_I: '#c8102e',
  SEVERITY_II: '#ee7d00',
  SEVERITY_III: '#e6b800',
  SEVERITY_IV: '#1d63c1',
};

export const categories: Names = {
  CATEGORY_MALWARE: ['有害程序事件', 'Malware'],
  CATEGORY_NETWORK_ATTACK: ['网络攻击事件', 'Network attack'],
  CATEGORY_INFORMATION_DESTRUCTION: ['信息破坏事件', 'Information destruction'],
  CATEGORY_INFORMATION_CONTENT: ['信息内容安全事件', 'Information content'],
  CATEGORY_FACILITY_FAULT: ['设备设施故障', 'Facility fault'],
  CATEGORY_DISASTER: ['灾害性事件', 'Disaster'],
  CATEGORY_OTHER: ['其他事件', 'Other'],
};

export const statuses: Names = {
  INCIDENT_STATUS_REPORTED: ['已报告', 'Reported'],
  INCIDENT_STATUS_CONFIRMED: ['已确认', 'Confirmed'],
  INCIDENT_STATUS_HANDLING: ['处置中', 'Handling'],
  INCIDENT_STATUS_RESOLVED: ['已处置', 'Resolved'],
  INCIDENT_STATUS_CLOSED: ['已关闭', 'Closed'],
  INCIDENT_STATUS_FALSE_POSITIVE: ['误报', 'False positive'],
};

export const tlps: Names = {
  TLP_CLEAR: ['TLP:CLEAR', 'TLP:CLEAR'],
  TLP_GREEN: ['TLP:GREEN', 'TLP:GREEN'],
  TLP_AMBER: ['TLP:AMBER', 'TLP:AMBER'],
  TLP_AMBER_STRICT: ['TLP:AMBER+STRICT', 'TLP:AMBER+STRICT'],
  TLP_RED: ['TLP:RED', 'TLP:RED'],
};

export const scopes: Names = {
  SHARING_SCOPE_PROVINCE: ['本省', 'Province'],
  SHARING_SCOPE_ALL_REGULATORS: ['全部监管部门', 'All regulators'],
  SHARING_SCOPE_SECTOR: ['同行业企业', 'Sector'],
  SHARING_SCOPE_PUBLIC: ['全部企业', 'Public'],
};

export const targetStates: Names = {
  TARGET_STATE_DELIVERED: ['已送达', 'Delivered'],
  TARGET_STATE_ACKNOWLEDGED: ['已签收', 'Acknowledged'],
  TARGET_STATE_FEEDBACK_SUBMITTED: ['已反馈', 'Feedback submitted'],
  TARGET_STATE_CLOSED: ['已办结', 'Closed'],
};

export const outcomes: Names = {
  FEEDBACK_OUTCOME_FIXED: ['已修复', 'Fixed'],
  FEEDBACK_OUTCOME_MITIGATED: ['已缓解', 'Mitigated'],
  FEEDBACK_OUTCOME_RISK_ACCEPTED: ['接受风险', 'Risk accepted'],
  FEEDBACK_OUTCOME_NOT_APPLICABLE: ['不适用', 'Not applicable'],
};

export const levels: Names = {
  NOTIFICATION_LEVEL_NATIONAL: ['国家级', 'National'],
  NOTIFICATION_LEVEL_PROVINCIAL: ['省级', 'Provincial'],
};

export const origins: Names = {
  NOTIFICATION_ORIGIN_MANUAL: ['人工', 'Manual'],
  NOTIFICATION_ORIGIN_INCIDENT_RULE: ['事件规则', 'Incident rule'],
  NOTIFICATION_ORIGIN_KEV_RULE: ['已知被利用漏洞规则', 'KEV rule'],
};

export const roles: Names = {
  ROLE_ADMIN: ['系统管理员', 'Admin'],
  ROLE_NATIONAL: ['国家中心', 'National centre'],
  ROLE_PROVINCIAL: ['省级监管', 'Provincial regulator'],
  ROLE_ENTERPRISE: ['企业', 'Enterprise'],
  ROLE_COLLECTOR: ['采集器', 'Collector'],
};

export const amendmentKinds: Names = {
  AMENDMENT_KIND_FOLLOW_UP: ['续报', 'Follow-up'],
  AMENDMENT_KIND_FINAL: ['终报', 'Final report'],
  AMENDMENT_KIND_STATUS: ['状态变更', 'Status change'],
  AMENDMENT_KIND_REGRADE: ['调整级别', 'Regrade'],
};

export const indicatorTypes: Names = {
  INDICATOR_TYPE_IPV4: ['IPv4', 'IPv4'],
  INDICATOR_TYPE_IPV6: ['IPv6', 'IPv6'],
  INDICATOR_TYPE_DOMAIN: ['域名', 'Domain'],
  INDICATOR_TYPE_URL: ['URL', 'URL'],
  INDICATOR_TYPE_SHA256: ['SHA-256', 'SHA-256'],
  INDICATOR_TYPE_MD5: ['MD5', 'MD5'],
  INDICATOR_TYPE_EMAIL: ['电子邮件', 'Email'],
};

export const enterpriseTypes: Names = {
  ENTERPRISE_TYPE_NETWORKED_INDUSTRIAL: ['联网工业企业', 'Networked industrial'],
  ENTERPRISE_TYPE_PLATFORM: ['工业互联网平台企业', 'Platform'],
  ENTERPRISE_TYPE_IDENTIFIER_RESOLUTION: ['标识解析企业', 'Identifier resolution'],
};

export const enterpriseSizes: Names = {
  ENTERPRISE_SIZE_LARGE: ['大型', 'Large'],
  ENTERPRISE_SIZE_MEDIUM: ['中型', 'Medium'],
  ENTERPRISE_SIZE_SMALL: ['小型', 'Small'],
  ENTERPRISE_SIZE_MICRO: ['微型', 'Micro'],
};

export function nameOf(table: Names, value: string | undefined): string {
  if (!value) return '-';
  const pair = table[value];
  if (!pair) return value;
  return currentLang() === 'zh' ? pair[0] : pair[1];
}

// A name with its code on hover, as HTML.
export function named(table: Names, value: string | undefined): string {
  return `<span title="${escape(value ?? '')}">${escape(nameOf(table, value))}</span>`;
}

export function severityBadge(value: string | undefined): string {
  const colour = severityColours[value ?? ''] ?? '#777';
  return `<span class="sev" data-severity="${escape(value ?? '')}" style="--sev:${colour}" title="${escape(
    value ?? '',
  )}">${escape(nameOf(severities, value))}</span>`;
}

export function tlpBadge(value: string | undefined): string {
  return `<span class="tlp ${escape((value ?? '').toLowerCase())}">${escape(nameOf(tlps, value))}</span>`;
}

interface Reference {
  code: number | string;
  nameZh?: string;
  nameEn?: string;
}

const provinces = new Map<number, Reference>();
const sectors = new Map<string, Reference>();

export async function loadReferenceCodes(): Promise<void> {
  const answer = await call('RegistryService', 'ListReferenceCodes', {});
  provinces.clear();
  sectors.clear();
  for (const p of answer.provinces ?? []) provinces.set(Number(p.code), p);
  for (const s of answer.sectors ?? []) sectors.set(String(s.code), s);
}

export function provinceCodes(): number[] {
  return [...provinces.keys()].sort((a, b) => a - b);
}

export function sectorCodes(): string[] {
  return [...sectors.keys()];
}

export function provinceName(code: number | string | undefined): string {
  const n = Number(code ?? 0);
  if (!n) return currentLang() === 'zh' ? '全国' : 'National';
  const p = provinces.get(n);
  if (!p) return String(n);
  return (currentLang() === 'zh' ? p.nameZh : p.nameEn) ?? String(n);
}

// Short names for tiles: 广东省 → 广东, 新疆生产建设兵团 → 兵团.
export function provinceShort(code: number): string {
  const name = provinceName(code);
  if (currentLang() !== 'zh') return name.replace(/ \(.*\)$/, '').replace('Xinjiang Production and Construction Corps', 'XPCC');
  if (name.endsWith('生产建设兵团')) return '兵团';
  return name.replace(/(维吾尔自治区|壮族自治区|回族自治区|自治区|省|市)$/, '');
}

export function sectorName(code: string | undefined): string {
  if (!code) return '-';
  const s = sectors.get(code);
  if (!s) return code;
  return (currentLang() === 'zh' ? s.nameZh : s.nameEn) ?? code;
}

export function provinceCell(code: number | string | undefined): string {
  return `<span title="${escape(String(code ?? 0))}" data-province="${escape(String(code ?? 0))}">${escape(
    provinceName(code),
  )}</span>`;
}

export function sectorCell(code: string | undefined): string {
  return `<span title="${escape(code ?? '')}">${escape(sectorName(code))}</span>`;
}

export function options(table: Names, selected = '', withAny = true, anyLabel = '—'): string {
  const rows = Object.keys(table).map(
    (k) => `<option value="${k}"${k === selected ? ' selected' : ''} title="${k}">${escape(nameOf(table, k))}</option>`,
  );
  return (withAny ? `<option value="">${escape(anyLabel)}</option>` : '') + rows.join('');
}

export function provinceOptions(selected = '', withAny = true, anyLabel = '—'): string {
  return (
    (withAny ? `<option value="">${escape(anyLabel)}</option>` : '') +
    provinceCodes()
      .map(
        (c) =>
          `<option value="${c}"${String(c) === selected ? ' selected' : ''} title="${c}">${escape(provinceName(c))}</option>`,
      )
      .join('')
  );
}

export function sectorOptions(selected = '', withAny = true, anyLabel = '—'): string {
  return (
    (withAny ? `<option value="">${escape(anyLabel)}</option>` : '') +
    sectorCodes()
      .map(
        (c) =>
          `<option value="${c}"${c === selected ? ' selected' : ''} title="${c}">${escape(sectorName(c))}</option>`,
      )
      .join('')
  );
}
