import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Bot Connector that enforces Teams' documented bot limits: per conversation 7 messages a second,
 * per app per tenant 50 requests a second. Over a limit it answers 429 with Retry-After, as Teams does.
 */
export class LimitingConnector {
  url = '';
  readonly postsByConversation = new Map<string, number>();
  throttled = 0;
  /** 429s answered at random (injectedRate), on top of the limits. */
  injected = 0;
  firstPostAt = 0;
  lastPostAt = 0;
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly tenantWindow = new Map<string, number[]>();
  private readonly conversationWindow = new Map<string, number[]>();
  private nextId = 1;

  constructor(private readonly limits: { perTenantPerSecond: number; perConversationPerSecond: number; injected429Rate?: number }) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** True when one more request would exceed `limit` in the last second; records it otherwise. */
  private over(windows: Map<string, number[]>, key: string, limit: number, now: number): boolean {
    const recent = (windows.get(key) ?? []).filter((at) => now - at < 1000);
    if (recent.length >= limit) {
      windows.set(key, recent);
      return true;
    }
    recent.push(now);
    windows.set(key, recent);
    return false;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { channelData?: { tenant?: { id?: string } } };
      const conversation = decodeURIComponent((req.url ?? '').split('/')[3] ?? '');
      const tenant = body.channelData?.tenant?.id ?? 'unknown';
      const now = Date.now();
      const injected = Math.random() < (this.limits.injected429Rate ?? 0);
      if (injected) this.injected += 1;
      if (
        injected ||
        this.over(this.tenantWindow, tenant, this.limits.perTenantPerSecond, now) ||
        this.over(this.conversationWindow, conversation, this.limits.perConversationPerSecond, now)
      ) {
        this.throttled += 1;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'Throttled' } }));
        return;
      }
      const isNewPost = req.method === 'POST' && /\/activities$/.test(req.url ?? '');
      if (isNewPost) {
        this.firstPostAt ||= performance.now();
        this.lastPostAt = performance.now();
      }
      if (isNewPost) this.postsByConversation.set(conversation, (this.postsByConversation.get(conversation) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `bench-${this.nextId++}` }));
    });
  }
}
