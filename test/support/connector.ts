import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
  /** The Authorization header the bot sent, if any. */
  authorization?: string;
  /** The status the connector answered with. */
  status: number;
}

/** Decides how the connector answers a call; undefined means 200 with a new activity id, status 0 never answers (a hung peer). */
export type Responder = (
  call: Omit<ConnectorCall, 'status'>,
) => { status: number; headers?: Record<string, string>; /** Instead of the usual answer. */ body?: unknown } | undefined;

/**
 * A local Bot Connector: the `serviceUrl` of test activities. It records what the bot sends and
 * answers as the real connector does ({ id } for posts and updates).
 */
export class LocalConnector {
  readonly calls: ConnectorCall[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private nextId = 1;
  url = '';
  responder: Responder = () => undefined;
  private readonly held: http.ServerResponse[] = [];

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.held.splice(0)) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Activities the connector accepted into a conversation (replies and new posts), oldest first. */
  activities(conversationId?: string): Record<string, unknown>[] {
    return this.delivered('POST', conversationId).map((call) => call.body);
  }

  /** Calls the connector accepted (2xx), optionally only those into one conversation. */
  delivered(method: 'POST' | 'PUT', conversationId?: string): ConnectorCall[] {
    return this.calls
      .filter((call) => call.method === method && call.status >= 200 && call.status < 300 && call.path.includes('/activities'))
      .filter((call) => conversationId === undefined || call.path.includes(`/conversations/${encodeURIComponent(conversationId)}/`));
  }

  clear(): void {
    this.calls.length = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const call = { method: req.method ?? '', path: req.url ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
      const answer = this.responder(call);
      const status = answer?.status ?? 200;
      this.calls.push({ ...call, status, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      if (status === 0) return void this.held.push(res);
      res.writeHead(status, { 'content-type': 'application/json', ...answer?.headers });
      res.end(
        answer?.body !== undefined
          ? JSON.stringify(answer.body)
          : status < 300
            ? JSON.stringify({ id: `reply-${this.nextId++}` })
            : JSON.stringify({ error: { code: 'Throttled', message: `status ${status}` } }),
      );
    });
  }
}
