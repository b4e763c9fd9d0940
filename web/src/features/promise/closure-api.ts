import { ApiError, client } from '../../lib/api.ts';

// Confirmed closure: the public link (no session: the token is the proof) and the portal (session).

export type ClosureOutcome = 'solved' | 'not_solved';
export type ClosureAnswer = { outcome: ClosureOutcome; rating?: number; comment?: string };
export type ClosureResult = { number: number; status: string; stage: string; outcome: ClosureOutcome; rating: number | null };
export type ClosureLinkView = {
  number: number; subject: string; status: string; language: string;
  answerable: boolean; answered: ClosureOutcome | null; expires_at: string;
};

async function unwrap<T>(p: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  let res: { data?: unknown; error?: unknown; response: Response };
  try {
    res = await p;
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!res.response.ok) {
    const e = (res.error as { error?: { code?: string; message?: string; path?: string } } | undefined)?.error;
    throw new ApiError(res.response.status, e?.code ?? `http_${res.response.status}`, e?.message ?? res.response.statusText, e?.path);
  }
  return res.data as T;
}

export const closureApi = {
  view: (token: string) => unwrap<ClosureLinkView>(client.GET('/api/v1/public/closure/{token}', { params: { path: { token } } })),
  answerByLink: (token: string, body: ClosureAnswer) =>
    unwrap<ClosureResult>(client.POST('/api/v1/public/closure/{token}', { params: { path: { token } }, body })),
  answerInPortal: (ref: string | number, body: ClosureAnswer) =>
    unwrap<ClosureResult>(client.POST('/api/v1/portal/tickets/{ref}/closure', { params: { path: { ref: String(ref) } }, body })),
};
