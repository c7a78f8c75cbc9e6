// Every time on screen is China Standard Time (UTC+8), whatever the browser's own zone.

const format = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

const dayFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: '2-digit',
  day: '2-digit',
});

function parts(date: Date, f: Intl.DateTimeFormat): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(date)) out[p.type] = p.value;
  return out;
}

// "2026-12-07 16:05:09" in CST; "-" for an unset timestamp.
export function cst(timestamp: string | undefined | null): string {
  if (!timestamp) return '-';
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return '-';
  const p = parts(date, format);
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}:${p.second}`;
}

export function cstDay(timestamp: string | undefined): string {
  if (!timestamp) return '-';
  const p = parts(new Date(timestamp), dayFormat);
  return `${p.month}-${p.day}`;
}

// A datetime-local input's value read as CST → RFC 3339 UTC for the API; '' stays ''.
export function fromCstInput(local: string): string {
  if (!local) return '';
  const withSeconds = local.length === 16 ? `${local}:00` : local;
  const date = new Date(`${withSeconds}+08:00`);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

// RFC 3339 → a datetime-local input's value in CST.
export function toCstInput(timestamp: string | undefined): string {
  if (!timestamp) return '';
  return cst(timestamp).replace(' ', 'T').slice(0, 16);
}

// "3 小时 12 分" until the deadline, or "-2 小时 5 分" past it.
export function countdown(deadline: string | undefined, now = Date.now()): { text: string; past: boolean } {
  if (!deadline) return { text: '-', past: false };
  let seconds = Math.round((new Date(deadline).getTime() - now) / 1000);
  const past = seconds < 0;
  seconds = Math.abs(seconds);
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = (d ? `${d}d ` : '') + `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return { text: past ? `-${text}` : text, past };
}
