// Importing restify prints Node's DEP0111 (its spdy dependency's http-deceiver calls process.binding('http_parser')
// as it loads, for HTTP/2 this bot never uses): npm start and the tests pass --disable-warning=DEP0111 for that code alone.
import restify from 'restify';
import type { Logger } from 'pino';
import type { BotAdapter, Reply } from './bot/adapter.js';
import type { MaturityPulseBot } from './bot/teamsBot.js';
import { readJsonBody } from './requestBody.js';
import { SITE_PAGES } from './sitePages.js';

/** Teams activities are small; anything larger is refused before the bot sees it. */
const MAX_BODY_BYTES = 256 * 1024;

const SERVER_FAULT = 'Something went wrong on our side. The error is logged; please try again.';

/** What /healthz reports: storage is checked with one cheap call on every request. */
export type HealthCheck = () => Promise<{ healthy: true } | { healthy: false; problem: string }>;

function sendReply(res: restify.Response, reply: Reply): void {
  if (typeof reply.body === 'string') {
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(reply.body);
  } else if (reply.body === undefined) {
    res.send(reply.status);
  } else {
    res.send(reply.status, reply.body);
  }
}

export function createServer(adapter: BotAdapter, bot: MaturityPulseBot, logger: Logger, health: HealthCheck): restify.Server {
  const server = restify.createServer({ name: 'maturity-pulse', handleUncaughtExceptions: false });

  // The one place errors that escaped a handler end up: logged, and answered without their internal text.
  server.on(
    'restifyError',
    (req: restify.Request, res: restify.Response, error: Error & { statusCode?: unknown }, callback: () => void) => {
      const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
      if (status >= 500) {
        logger.error({ err: error, method: req.method, path: req.path(), requestId: req.getId() }, 'request failed');
        if (!res.headersSent) sendReply(res, { status: 500, body: SERVER_FAULT });
      }
      callback();
    },
  );

  server.get('/healthz', async (_req, res) => {
    const state = await health();
    if (state.healthy) res.send(200, { status: 'ok', storage: 'ok' });
    else res.send(503, { status: 'unavailable', storage: 'down', problem: state.problem });
  });

  for (const [route, html] of Object.entries(SITE_PAGES)) {
    server.get(route, async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      res.end(html);
    });
  }

  server.post('/api/messages', async (req, res) => {
    const started = performance.now();
    const reply = await adapter.receive(
      { authorization: req.headers.authorization, requestId: req.getId(), readBody: () => readJsonBody(req, MAX_BODY_BYTES) },
      (context) => bot.run(context),
    );
    if (reply.status === 415) res.header('accept-encoding', 'identity');
    // The body was not read (or not to its end): the connection cannot carry another request.
    if (!req.complete) res.header('connection', 'close');
    sendReply(res, reply);
    // Only these fields are logged: never the activity's text or card values, nor the request's headers (the token).
    const field = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : undefined);
    logger.info(
      {
        // The activity id ties this line to Teams' own records; restify's request id stands in when there is none.
        correlationId: field(reply.activity?.id) ?? req.getId(),
        activityType: field(reply.activity?.type),
        name: field(reply.activity?.name),
        status: reply.status,
        ms: Math.round(performance.now() - started),
      },
      'activity',
    );
  });
  return server;
}
