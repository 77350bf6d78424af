import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from 'pino';
import type restify from 'restify';
import { z } from 'zod';
import type { BotCredentials, TabConfig } from '../config.js';
import { MODEL_IDS, type ModelId } from '../model/content.js';
import type { DashboardService, TeamRef } from './dashboardService.js';
import { DEMO_TEAM, DEMO_VIEWER, PLAYGROUND_USER } from './demoData.js';
import type { DemoOrganisation } from './demoOrganisation.js';
import type { OrganisationService } from './organisationService.js';
import { organisationView } from './organisationView.js';
import { isRound } from '../model/round.js';
import { isLevel } from '../model/content.js';
import { createTokenVerifier, TabAuthError, type TokenVerifier } from './tokenVerifier.js';
import { messageOf } from '../errors.js';
import { readJsonBody } from '../requestBody.js';

export interface TabDeps {
  /** Undefined is local mode: no sign-in; the demo team, and a local user's own assessment (the Playground's, by default). */
  bot: BotCredentials | undefined;
  tab: TabConfig;
  /** ALLOWED_TENANTS: the organisations that may use the bot, and so its tab; empty allows every tenant. */
  allowedTenants: readonly string[];
  service: DashboardService;
  /** Whether the signed-in person belongs to the channel or chat they ask about (asked of the Bot Connector). */
  isMember: (team: TeamRef, objectId: string) => Promise<boolean>;
  /** The signed-in person's personal chat with the bot (its conversation id), for the personal tab. */
  personalChat: (tenantId: string, objectId: string) => Promise<string | undefined>;
  logger: Logger;
  /** The folder with the tab's static front-end (index.html, config.html, …). */
  tabDir: string;
  /** The Organisation view, for CoE admins only. */
  organisation: {
    service: OrganisationService;
    /** COE_ADMINS or a member of the CoE team: the same roster the perception gap uses. */
    isAdmin: (tenantId: string, objectId: string) => Promise<boolean>;
    /** Local mode's made-up organisation. */
    demo: DemoOrganisation;
  };
}

type Mode = 'local' | 'teams';

/** The scope the personal tab asks for: the signed-in member's own chat with the bot. */
const PERSONAL_SCOPE = 'personal';

/** A request the API cannot serve as asked; the message tells the caller what to change. */
class RequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Teams and the other Microsoft 365 hosts must be allowed to frame the tab (Teams "tab requirements"). */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
];
/** teams-js may fetch its list of valid host origins from this CDN. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const STATIC_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

const organisationQuerySchema = z.object({
  model: z.enum(MODEL_IDS, { message: `model must be one of ${MODEL_IDS.join(', ')}` }).default('adoption'),
  round: z.string().refine(isRound, 'round is a month such as 2026-11').optional(),
});
/** An organisation target is a few dozen bytes of JSON. */
const MAX_TARGET_BODY_BYTES = 4 * 1024;
const targetBodySchema = z.object({
  model: z.enum(MODEL_IDS, { message: `model must be one of ${MODEL_IDS.join(', ')}` }),
  capability: z.string().min(1).max(100),
  level: z.number().refine(isLevel, 'level must be 100, 200, 300, 400 or 500'),
});

const querySchema = z.object({
  model: z.enum(MODEL_IDS, { message: `model must be one of ${MODEL_IDS.join(', ')}` }).default('adoption'),
  scope: z.string().trim().min(1).max(512, 'scope is a Teams channel or chat id (at most 512 characters)').optional(),
  /** Local mode only: whose personal view (a Microsoft Entra object id and tenant id); the Playground's user by default. */
  user: z.string().trim().toLowerCase().max(64, 'user is a Microsoft Entra object id').optional(),
  tenant: z.string().trim().toLowerCase().max(64, 'tenant is a Microsoft Entra tenant id').optional(),
});

/** Browser bundles, by explicit path: nothing else under node_modules is reachable. */
function vendorFiles(): Map<string, string> {
  const require = createRequire(import.meta.url);
  return new Map([
    // teams-js's package "main" is its UMD bundle.
    ['/tab/vendor/teams-js.min.js', require.resolve('@microsoft/teams-js')],
    // chart.js exports only its module builds; the UMD bundle sits beside the CommonJS one in dist/.
    ['/tab/vendor/chart.umd.min.js', path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js')],
  ]);
}

/** Reads the front-end once at start-up: a missing file stops start-up rather than 404-ing in Teams. */
function staticFiles(tabDir: string): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const add = (route: string, file: string) => {
    const type = CONTENT_TYPES[path.extname(file)];
    if (!type) return;
    try {
      files.set(route, { body: readFileSync(file), type });
    } catch (error) {
      throw new Error(
        `The dashboard tab cannot start: ${file} is unreadable (${messageOf(error)}). Run npm install, and keep tab/ next to src/.`,
        { cause: error },
      );
    }
  };
  for (const name of readdirSync(tabDir)) add(`/tab/${name}`, path.join(tabDir, name));
  for (const [route, file] of vendorFiles()) add(route, file);
  for (const required of ['/tab/index.html', '/tab/config.html']) {
    if (!files.has(required)) throw new Error(`The dashboard tab cannot start: ${required.slice(5)} is missing from ${tabDir}`);
  }
  return files;
}

function bearerToken(req: restify.Request): string | undefined {
  const header = req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

function parseQuery(req: restify.Request): z.infer<typeof querySchema> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const parsed = querySchema.safeParse(
    Object.fromEntries(['model', 'scope', 'user', 'tenant'].flatMap((key) => (params.has(key) ? [[key, params.get(key)]] : []))),
  );
  if (!parsed.success) throw new RequestError(400, parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

/** The dashboard and the export for a signed-in member, or the demo team in local mode. */
export function mountTab(server: restify.Server, deps: TabDeps): void {
  const { service, logger } = deps;
  const mode: Mode = deps.bot ? 'teams' : 'local';
  const verifier: TokenVerifier | undefined =
    deps.bot && deps.tab.ssoAudiences.length > 0
      ? createTokenVerifier({
          jwksUrl: deps.tab.jwksUrl,
          audiences: deps.tab.ssoAudiences,
          // A single-tenant (or managed identity) bot belongs to one tenant; so does its tab.
          allowedTenants: deps.bot.appType !== 'MultiTenant' && deps.bot.tenantId ? [deps.bot.tenantId] : deps.allowedTenants,
        })
      : undefined;

  /** Who is signed in, from the Teams SSO token: its signature, audience, expiry and tenant checked. */
  async function signedIn(req: restify.Request): Promise<{ tenantId: string; memberId: string }> {
    if (!verifier) {
      throw new TabAuthError(
        503,
        "The dashboard is not set up: set TAB_SSO_AUDIENCE to the tab's Application ID URI (api://<domain>/<bot app id>) so sign-in tokens can be checked.",
      );
    }
    const token = bearerToken(req);
    if (!token)
      throw new TabAuthError(
        401,
        'Sign-in required: open the dashboard from its tab in Microsoft Teams, which sends an "Authorization: Bearer" token.',
      );
    return verifier.verify(token);
  }

  /** Who asks and for which team: from the verified token and the query, or the demo team in local mode. */
  async function access(req: restify.Request): Promise<{ team: TeamRef; memberId: string; modelId: ModelId }> {
    if (mode === 'local') {
      const query = parseQuery(req);
      // No sign-in here: the personal view is the Agents Playground's user's, or the one the request names.
      if (query.scope === PERSONAL_SCOPE)
        return personal(query.tenant ?? PLAYGROUND_USER.tenantId, query.user ?? PLAYGROUND_USER.objectId, query.model);
      if (query.scope !== undefined && query.scope !== DEMO_TEAM.scopeId) {
        throw new RequestError(
          404,
          `This server runs in local mode (no MicrosoftAppId), so it serves only the demo team (scope=${DEMO_TEAM.scopeId}) and a local user's own assessment (scope=${PERSONAL_SCOPE}). Configure the bot's app registration to see real teams.`,
        );
      }
      await service.ensureDemo(query.model);
      return { team: DEMO_TEAM, memberId: DEMO_VIEWER, modelId: query.model };
    }
    const identity = await signedIn(req);
    const query = parseQuery(req);
    if (!query.scope)
      throw new RequestError(400, 'scope is required: the Teams channel id or chat id whose results to show, or "personal".');
    if (query.scope === PERSONAL_SCOPE) return personal(identity.tenantId, identity.memberId, query.model);
    const team = { tenantId: identity.tenantId, scopeId: query.scope };
    if (!(await deps.isMember(team, identity.memberId))) {
      throw new TabAuthError(
        403,
        "You can see a team's results only for a channel or chat you belong to, where Maturity Pulse is installed.",
      );
    }
    return { team, memberId: identity.memberId, modelId: query.model };
  }

  /** The personal tab: the member's own assessment from their chat with the bot, found by who they are. */
  async function personal(tenantId: string, memberId: string, modelId: ModelId) {
    const chat = await deps.personalChat(tenantId, memberId);
    if (!chat)
      throw new RequestError(
        404,
        mode === 'local'
          ? `No assessment in a personal chat with Maturity Pulse yet for ${memberId} (the Agents Playground's user, unless the address names another with user=). Type "assess" in the Playground's chat; to see another local user's, add user=<object id> and tenant=<tenant id>.`
          : 'You have no assessment in a personal chat with Maturity Pulse yet. Open a chat with the bot and type "assess".',
      );
    return { team: { tenantId, scopeId: chat, personal: true }, memberId, modelId };
  }

  /** Every API answer is JSON with an "error" that says what to do, or the data; never cached (it is personal). */
  function api(name: string, handler: (req: restify.Request, res: restify.Response) => Promise<void>) {
    return async (req: restify.Request, res: restify.Response) => {
      res.header('cache-control', 'no-store');
      try {
        await handler(req, res);
      } catch (error) {
        if (error instanceof TabAuthError || error instanceof RequestError) {
          if (error.status === 401) res.header('www-authenticate', 'Bearer');
          if (error.status === 503) logger.error({ err: error, route: name }, 'tab API unavailable');
          else logger.info({ route: name, status: error.status, reason: error.message }, 'tab API request refused');
          res.send(error.status, { error: error.message });
          return;
        }
        logger.error({ err: error, route: name }, 'tab API failed');
        res.send(500, {
          error:
            'The dashboard could not be loaded because of a problem on the server. Try again; if it keeps happening, the server log has the details.',
        });
      }
    };
  }

  for (const [route, file] of staticFiles(deps.tabDir)) {
    server.get(route, async (_req, res) => {
      res.sendRaw(200, file.body, { ...STATIC_HEADERS, 'content-type': file.type });
    });
  }
  server.get('/tab', async (_req, res) => {
    res.header('location', '/tab/index.html');
    res.send(302);
  });

  server.get(
    '/api/tab/info',
    api('info', async (_req, res) => {
      res.send(200, {
        mode,
        models: MODEL_IDS.map((id) => ({ id, title: service.model(id).title, shortTitle: service.model(id).shortTitle })),
        demoTeam: mode === 'local' ? { scopeId: DEMO_TEAM.scopeId, name: DEMO_TEAM.name } : null,
      });
    }),
  );

  server.get(
    '/api/tab/dashboard',
    api('dashboard', async (req, res) => {
      const { team, memberId, modelId } = await access(req);
      const view = await service.dashboard(team, memberId, modelId);
      res.send(200, { mode, team: { scopeId: team.scopeId, demo: team === DEMO_TEAM }, ...view });
    }),
  );

  server.get(
    '/api/tab/export.csv',
    api('export', async (req, res) => {
      const { team, modelId } = await access(req);
      const csv = await service.csv(team, modelId);
      res.sendRaw(200, csv, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="maturity-${modelId}.csv"`,
        'cache-control': 'no-store',
      });
    }),
  );

  /** A CoE admin of the signed-in organisation (or anyone, on the demo organisation in local mode), and what they ask for. */
  async function organisationAccess(req: restify.Request): Promise<{ tenantId: string; memberId: string }> {
    if (mode === 'local') return { tenantId: DEMO_TEAM.tenantId, memberId: DEMO_VIEWER };
    const identity = await signedIn(req);
    if (!(await deps.organisation.isAdmin(identity.tenantId, identity.memberId)))
      throw new TabAuthError(
        403,
        "The Organisation view is for CoE admins: the people in the bot's COE_ADMINS setting and members of the CoE team. Your own team's results are in the team's tab.",
      );
    return identity;
  }

  function organisationQuery(req: restify.Request): z.infer<typeof organisationQuerySchema> {
    const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const parsed = organisationQuerySchema.safeParse({ model: params.get('model') ?? undefined, round: params.get('round') ?? undefined });
    if (!parsed.success) throw new RequestError(400, parsed.error.issues.map((issue) => issue.message).join('; '));
    return parsed.data;
  }

  const organisation = deps.organisation;
  server.get(
    '/api/tab/organisation/access',
    api('organisation access', async (req, res) => {
      try {
        await organisationAccess(req);
        res.send(200, { admin: true });
      } catch (error) {
        if (error instanceof TabAuthError && error.status === 403) return void res.send(200, { admin: false });
        throw error;
      }
    }),
  );

  server.get(
    '/api/tab/organisation',
    api('organisation', async (req, res) => {
      const { tenantId } = await organisationAccess(req);
      const { model, round } = organisationQuery(req);
      if (mode === 'local') await organisation.demo.ensure(model);
      const view = organisationView(await organisation.service.rollup(tenantId, model, round));
      res.send(200, { mode, demo: mode === 'local', ...view });
    }),
  );

  server.get(
    '/api/tab/organisation.csv',
    api('organisation export', async (req, res) => {
      const { tenantId } = await organisationAccess(req);
      const { model, round } = organisationQuery(req);
      if (mode === 'local') await organisation.demo.ensure(model);
      const csv = await organisation.service.csv(tenantId, model, round);
      res.sendRaw(200, csv, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="organisation-${model}${round ? `-${round}` : ''}.csv"`,
        'cache-control': 'no-store',
      });
    }),
  );

  server.post(
    '/api/tab/organisation/targets',
    api('organisation target', async (req, res) => {
      const { tenantId, memberId } = await organisationAccess(req);
      // The server has no body parser (src/requestBody.ts reads bodies, with its limits and checks).
      const body = await readJsonBody(req, MAX_TARGET_BODY_BYTES);
      if (!('json' in body)) throw new RequestError(body.status, body.problem);
      const parsed = targetBodySchema.safeParse(body.json);
      if (!parsed.success)
        throw new RequestError(
          400,
          `Send JSON like {"model":"adoption","capability":"governance","level":300}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
        );
      const model = organisation.service.model(parsed.data.model);
      const capability = model.capabilities.find((candidate) => candidate.id === parsed.data.capability);
      if (!capability) throw new RequestError(400, `The ${model.id} model has no capability "${parsed.data.capability}".`);
      await organisation.service.setTarget(tenantId, parsed.data.model, capability.id, parsed.data.level, memberId);
      res.send(200, { capability: capability.id, level: parsed.data.level });
    }),
  );
}
