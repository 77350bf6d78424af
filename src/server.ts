// Importing restify prints Node's DEP0111 (its spdy dependency's http-deceiver calls process.binding('http_parser')
// as it loads, for HTTP/2 this bot never uses): npm start and the tests pass --disable-warning=DEP0111 for that code alone.
import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import { CORRELATION_ID } from './bot/adapter.js';
import type { MaturityPulseBot } from './bot/teamsBot.js';
import { SITE_PAGES } from './sitePages.js';

/** Teams activities are small; anything larger is refused before the bot sees it. */
const MAX_BODY_BYTES = 256 * 1024;

export function createServer(adapter: CloudAdapter, bot: MaturityPulseBot, logger: Logger): restify.Server {
  const server = restify.createServer({ name: 'maturity-pulse', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  for (const [route, html] of Object.entries(SITE_PAGES)) {
    server.get(route, async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      res.end(html);
    });
  }

  server.post('/api/messages', async (req, res) => {
    const started = performance.now();
    // Only these fields are logged: never the activity's text or card values, nor the request's headers (the token).
    const body = req.body as { type?: unknown; name?: unknown; id?: unknown } | undefined;
    const field = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : undefined);
    // The activity id ties this line to Teams' own records; restify's request id stands in when there is none.
    const correlationId = field(body?.id) ?? req.getId();
    await adapter.process(req, res, (context) => {
      context.turnState.set(CORRELATION_ID, correlationId);
      return bot.run(context);
    });
    logger.info(
      {
        correlationId,
        activityType: field(body?.type),
        name: field(body?.name),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      },
      'activity',
    );
  });
  return server;
}
