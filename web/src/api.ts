// The console's only way to the server: the JSON form of the gRPC API under the signed-in
// principal's session cookie. The CSRF token lives in memory only (never localStorage); after a
// reload GET /session hands it out again for the same cookie.

export interface FieldViolation {
  field: string;
  reason?: string;
  description: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly violations: FieldViolation[],
  ) {
    super(message);
  }
}

export interface Principal {
  id?: string;
  name?: string;
  role?: string;
  province?: number;
  enterpriseId?: string;
  enterprise_id?: string;
}

interface SessionAnswer {
  principal: Principal;
  csrf_token?: string;
  csrfToken?: string;
  expires_at?: string;
  expiresAt?: string;
}

let csrfToken = '';
let current: Principal | null = null;
let onSignedOut: () => void = () => {};

export function principal(): Principal | null {
  return current;
}

export function role(): string {
  return current?.role ?? '';
}

export function enterpriseId(): string {
  return String(current?.enterpriseId ?? current?.enterprise_id ?? '0');
}

export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML error page or an empty body: the status alone must do.
  }
  const raw = (body.field_violations ?? body.fieldViolations ?? body.details ?? []) as unknown;
  const violations = Array.isArray(raw)
    ? (raw as FieldViolation[]).filter((v) => v && typeof v.field === 'string')
    : [];
  return new ApiError(
    response.status,
    String(body.code ?? response.status),
    String(body.message ?? response.statusText),
    violations,
  );
}

function adopt(answer: SessionAnswer): Principal {
  csrfToken = answer.csrf_token ?? answer.csrfToken ?? '';
  current = answer.principal ?? {};
  return current;
}

export async function signIn(token: string): Promise<Principal> {
  const response = await fetch('/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw await errorOf(response);
  return adopt(await response.json());
}

export async function restoreSession(): Promise<Principal | null> {
  const response = await fetch('/session', { credentials: 'same-origin' });
  if (!response.ok) return null;
  return adopt(await response.json());
}

export async function signOut(): Promise<void> {
  try {
    await fetch('/session/end', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' },
      body: '{}',
    });
  } finally {
    csrfToken = '';
    current = null;
  }
}

// POST /sitrep.v1.{service}/{method} with a proto3-JSON request; answers the proto3-JSON
// response or throws ApiError with the server's code, message and field violations.
export async function call<T = any>(service: string, method: string, request: object = {}): Promise<T> {
  const response = await fetch(`/sitrep.v1.${service}/${method}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(request),
  });
  if (response.status === 401) {
    current = null;
    onSignedOut();
  }
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

// Every page of a list call, up to `limit` rows: what CSV export uses so that the file holds the
// whole filtered list, not only the page on screen.
export async function callAll<T>(
  service: string,
  method: string,
  request: Record<string, unknown>,
  rowsOf: (answer: any) => T[],
  limit = 20000,
): Promise<T[]> {
  const rows: T[] = [];
  let token = '';
  for (;;) {
    const answer = await call(service, method, { ...request, pageSize: 1000, pageToken: token });
    const page = rowsOf(answer);
    rows.push(...page);
    const next = answer.nextPageToken ?? '';
    if (page.length === 0 || !next || next === token || rows.length >= limit) break;
    token = next;
  }
  return rows.slice(0, limit);
}

// The live form of a Watch call: Server-Sent Events under the session cookie; the browser
// resumes with Last-Event-ID (the cursor) after a dropped connection.
export function watch(
  service: string,
  method: string,
  request: object,
  onMessage: (message: any) => void,
  onState: (open: boolean) => void = () => {},
): () => void {
  const url = `/sitrep.v1.${service}/${method}?message=${encodeURIComponent(JSON.stringify(request))}`;
  const source = new EventSource(url, { withCredentials: true });
  source.onopen = () => onState(true);
  source.onerror = () => onState(false);
  const handle = (event: MessageEvent) => {
    try {
      onMessage(JSON.parse(event.data));
    } catch {
      // A heartbeat comment or a partial line: nothing to show.
    }
  };
  // sitrepd names each event after what it carries (incidents, assets, notifications; heartbeat
  // for an empty message; error for the call's final status).
  source.onmessage = handle;
  for (const kind of ['incidents', 'assets', 'notifications']) {
    source.addEventListener(kind, handle as EventListener);
  }
  return () => source.close();
}
