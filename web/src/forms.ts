// Server field violations shown beside the fields they name. The server is the one home of the
// validation rules; the console only places its answer: "incident.indicators[2].value" goes to
// the element marked data-field="indicators" (the longest marked prefix wins).
import { ApiError } from './api';
import { $$, escape } from './dom';

export function clearViolations(form: HTMLElement): void {
  for (const el of $$('.violation', form)) el.textContent = '';
  for (const el of $$('.invalid', form)) el.classList.remove('invalid');
}

function fieldKeys(path: string, prefix: string): string[] {
  const bare = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  const parts = bare.replace(/\[\d+\]/g, '').split('.');
  const keys: string[] = [];
  for (let i = parts.length; i > 0; --i) keys.push(parts.slice(0, i).join('.'));
  return keys;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// Puts every violation next to its field; those naming no field on the form go to the form's
// general slot. Answers whether anything was placed.
export function showViolations(form: HTMLElement, error: unknown, prefix: string): void {
  clearViolations(form);
  const general = form.querySelector('[data-violation="_"]') as HTMLElement | null;
  const e = error as ApiError;
  const violations = e.violations ?? [];
  const unplaced: string[] = [];
  for (const v of violations) {
    const keys = fieldKeys(snake(v.field), prefix);
    const slot = keys.map((k) => form.querySelector(`[data-violation="${k}"]`) as HTMLElement | null).find(Boolean);
    if (slot) {
      slot.textContent = `${slot.textContent ? slot.textContent + ' ' : ''}${v.description}`;
      slot.dataset.field = v.field;
      const input = form.querySelector(`[name="${slot.dataset.violation}"]`);
      input?.classList.add('invalid');
    } else {
      unplaced.push(`${v.field}: ${v.description}`);
    }
  }
  if (general) {
    general.innerHTML =
      (violations.length === 0 || unplaced.length ? `<b>${escape(e.code ?? '')}</b> ${escape(e.message ?? String(error))}` : '') +
      unplaced.map((u) => `<div>${escape(u)}</div>`).join('');
  }
}

// A labelled input with its violation slot.
export function field(name: string, label: string, input: string): string {
  return `<label class="field">${escape(label)}${input}<span class="violation" data-violation="${name}"></span></label>`;
}

export function lines(text: string): string[] {
  return text
    .split(/[\s,;，；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
