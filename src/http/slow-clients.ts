import type { FastifyInstance } from 'fastify';

/**
 * How long a client may take to send a request (issue 21 item 7: a request that sent fewer bytes than its
 * Content-Length was held over 30 s). Node checks its own header and request time-outs only every
 * `connectionsCheckingInterval` (30 s by default) — the probe's 30 s — so the interval is set to a second.
 */
export type ClientTimeouts = {
  /** All headers must arrive within this (Node `headersTimeout`). */
  headersMs: number;
  /** A request body that stops arriving for this long is dropped: the socket is destroyed, no answer. */
  bodyIdleMs: number;
  /** The whole request (headers and body) within this (Node `requestTimeout`): a trickle of a byte a second still ends. */
  requestMs: number;
};

export const CLIENT_TIMEOUT_DEFAULTS: ClientTimeouts = { headersMs: 10_000, bodyIdleMs: 10_000, requestMs: 60_000 };

/** The `http.createServer` options Fastify passes on: Node's own checks, run often enough to matter. */
export function nodeServerOptions(t: ClientTimeouts): { connectionsCheckingInterval: number; headersTimeout: number; requestTimeout: number } {
  return {
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(Math.min(t.headersMs, t.requestMs) / 2))),
    headersTimeout: t.headersMs,
    requestTimeout: t.requestMs,
  };
}

/**
 * A body that stalls is dropped after `bodyIdleMs` without a byte. Only while the body is being read: a
 * socket time-out for the whole connection would also cut a slow report or an open live-update stream,
 * which send nothing for a while on purpose.
 */
export function dropStalledBodies(app: FastifyInstance, bodyIdleMs: number): void {
  app.addHook('onRequest', async (req) => {
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (!hasBody || req.raw.complete) return;
    const socket = req.raw.socket;
    // app.inject() has no real socket (and no client to wait for).
    if (typeof socket?.setTimeout !== 'function') return;
    // setTimeout counts idle time, so every chunk that arrives restarts it.
    const drop = () => socket.destroy();
    socket.setTimeout(bodyIdleMs, drop);
    // The listener goes with the timer: a keep-alive connection carries many requests, and listeners left
    // behind piled up (Node warned of a leak after ten requests under intake load) and would all fire later.
    const clear = () => {
      socket.setTimeout(0);
      socket.removeListener('timeout', drop);
    };
    req.raw.once('end', clear);
    req.raw.once('close', clear);
  });
}
