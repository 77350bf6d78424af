import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

/**
 * A local Bot Connector: the `serviceUrl` of test activities. It records what the bot sends and
 * answers as the real connector does ({ id } for posts and updates).
 */
export class LocalConnector {
  readonly calls: ConnectorCall[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private nextId = 1;
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Activities the bot sent into a conversation (replies and new posts), oldest first. */
  activities(conversationId?: string): Record<string, unknown>[] {
    return this.calls
      .filter((call) => call.method === 'POST' && call.path.includes('/activities'))
      .filter((call) => conversationId === undefined || call.path.includes(encodeURIComponent(conversationId)))
      .map((call) => call.body);
  }

  clear(): void {
    this.calls.length = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      this.calls.push({ method: req.method ?? '', path: req.url ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${this.nextId++}` }));
    });
  }
}
