// The ingestion benchmark's baseline: a botbuilder CloudAdapter bot on restify, configured as Maturity Pulse is
// in local mode, that stores nothing and answers every dialog open and submit with the same fixed question card.
// Run as its own process: `node --import tsx scripts/bench/bareBot.ts` with PORT set.
import {
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  TeamsActivityHandler,
  type TaskModuleResponse,
} from 'botbuilder';
import restify from 'restify';

const card = CardFactory.adaptiveCard({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Question 2 of 9 · Adoption · Strategy and vision', wrap: true, weight: 'Bolder' },
    {
      type: 'Input.ChoiceSet',
      id: 'level',
      style: 'expanded',
      choices: [100, 200, 300, 400, 500].map((level) => ({ title: `${level} statement`, value: String(level) })),
    },
  ],
  actions: [{ type: 'Action.Submit', title: 'Next', data: { verb: 'answer' } }],
});
const dialog: TaskModuleResponse = { task: { type: 'continue', value: { title: 'Adoption maturity', card } } };

class BareBot extends TeamsActivityHandler {
  protected override async handleTeamsTaskModuleFetch(): Promise<TaskModuleResponse> {
    return dialog;
  }

  protected override async handleTeamsTaskModuleSubmit(): Promise<TaskModuleResponse> {
    return dialog;
  }
}

const bot = new BareBot();
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const server = restify.createServer({ name: 'bare-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
server.get('/healthz', async (_req, res) => {
  res.send(200, { status: 'ok' });
});
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGINT', () => {
  server.close(() => process.exit(0));
});
