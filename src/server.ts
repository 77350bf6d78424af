import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { MaturityPulseBot } from './bot/teamsBot.js';

/** Teams activities are small; anything larger is refused before the bot sees it. */
const MAX_BODY_BYTES = 256 * 1024;

export function createServer(adapter: CloudAdapter, bot: MaturityPulseBot, logger: Logger): restify.Server {
  const server = restify.createServer({ name: 'maturity-pulse', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.post('/api/messages', async (req, res) => {
    const started = performance.now();
    await adapter.process(req, res, (context) => bot.run(context));
    const body = req.body as { type?: string; name?: string; id?: string } | undefined;
    logger.info({ activityType: body?.type, name: body?.name, activityId: body?.id, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'activity');
  });
  return server;
}
