// Small DOM helpers: every text from the API goes through escape() before it meets innerHTML.

export function escape(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

export function $(selector: string, root: ParentNode = document): HTMLElement {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`no element ${selector}`);
  return found as HTMLElement;
}

export function $$(selector: string, root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll(selector)] as HTMLElement[];
}

export function value(selector: string, root: ParentNode = document): string {
  return ($(selector, root) as HTMLInputElement).value.trim();
}

export function errorBox(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `<div class="error" role="alert"><b>${escape(e.code ?? 'error')}</b> ${escape(e.message ?? String(error))}</div>`;
}

export function number(n: unknown): string {
  return Number(n ?? 0).toLocaleString('zh-CN');
}
