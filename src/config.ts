import { Cron } from 'croner';
import { z } from 'zod';

function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Signing keys must come over https; plain http is for a key set served on this machine (tests). */
function isKeySetUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/** A storage account's table endpoint: https only (a bearer token must not travel in the clear), no query (no SAS), no blob/queue/file endpoint. */
function tableEndpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a URL such as https://<account>.table.core.windows.net';
  }
  if (url.protocol !== 'https:')
    return 'must be an https URL (tokens are only sent over https), e.g. https://<account>.table.core.windows.net';
  if (url.search || url.username || url.password)
    return 'must be the bare table endpoint, with no query string or credentials: the bot signs in with its identity (to use a SAS or a key, set STORAGE_CONNECTION_STRING instead)';
  const otherService = /\.(blob|queue|file|dfs|web)\.core\./i.exec(url.hostname)?.[1];
  if (otherService) return `is the account's ${otherService} endpoint; use its table endpoint, https://<account>.table.core.windows.net`;
  return undefined;
}

/** A connection string names an account or a table endpoint, or the local emulator; a bare URL belongs in STORAGE_ACCOUNT_URL. */
function isConnectionString(value: string): boolean {
  return /(^|;)\s*(AccountName|TableEndpoint)\s*=/i.test(value) || /(^|;)\s*UseDevelopmentStorage\s*=\s*true/i.test(value);
}

/**
 * The one place that reads the environment. Every setting is validated here; the rest of the code
 * receives a typed Config and never looks at process.env.
 */
const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(emptyAsUndefined, z.string().trim().optional());
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The Agents Playground's mock user and tenant ids have 13 digits in their last group (its user Alex Wilber is
 * 00000000-0000-0000-0000-0000000000020): accepted, so the README's way to make that user a CoE admin works.
 */
const PLAYGROUND_ID = /^0{8}-0{4}-0{4}-0{4}-0{11}[0-9]{2}$/;
/** A list of GUIDs separated by commas (or spaces or semicolons), lower-cased; empty when unset. */
const guidList = (message: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map((id) => id.toLowerCase()),
      )
      .pipe(z.array(z.string().refine((id) => GUID.test(id) || PLAYGROUND_ID.test(id), message))),
  );

const envSchema = z
  .object({
    PORT: integer(3978, 1, 65535).describe('HTTP port of the bot'),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.preprocess(emptyAsUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
    MicrosoftAppTenantId: optionalText,
    STORAGE_CONNECTION_STRING: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .trim()
        .refine(
          isConnectionString,
          'must be a connection string such as DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net (for a bare https://… endpoint, set STORAGE_ACCOUNT_URL instead)',
        )
        .optional(),
    ),
    // Storage by identity: the account's table endpoint, and the client id of the user-assigned managed identity that signs in to it.
    STORAGE_ACCOUNT_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .trim()
        .superRefine((value, context) => {
          const problem = tableEndpointProblem(value);
          if (problem) context.addIssue({ code: 'custom', message: problem });
        })
        .transform((value) => value.replace(/\/+$/, ''))
        .optional(),
    ),
    AZURE_CLIENT_ID: z.preprocess(
      emptyAsUndefined,
      z.string().trim().regex(GUID, 'must be the client id (a GUID) of the user-assigned managed identity').optional(),
    ),
    AZURITE_LOCATION: z.preprocess(emptyAsUndefined, z.string().default('.data/azurite')),
    AZURITE_PORT: integer(10002, 1, 65535),
    TABLE_PREFIX: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, 'must be letters and digits, starting with a letter, at most 20 characters')
        .default('pulse'),
    ),
    MIN_RESPONDENTS: integer(3, 1, 1000),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    COE_ADMINS: guidList('must be Microsoft Entra object ids (GUIDs), separated by commas'),
    COE_TEAM_ID: optionalText,
    // Organisations (Microsoft Entra tenant ids) allowed to use the bot; empty allows every tenant.
    ALLOWED_TENANTS: guidList('must be Microsoft Entra tenant ids (GUIDs), separated by commas'),
    // Where inbound Bot Framework tokens are checked. Unset keeps Bot Framework's own endpoints; tests point them at a local key set.
    BOT_OPENID_METADATA_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(
          isKeySetUrl,
          'must be an https URL (http only on localhost) of an OpenID configuration, e.g. https://login.botframework.com/v1/.well-known/openidconfiguration',
        )
        .optional(),
    ),
    BOT_TOKEN_ISSUER: optionalText,
    PULSE_SCHEDULE: z.preprocess(
      emptyAsUndefined,
      z.string().refine(isCronPattern, 'must be a cron pattern such as "0 9 * * 1#1" (09:00 on the first Monday)').default('0 9 * * 1#1'),
    ),
    PULSE_TIMEZONE: z.preprocess(
      emptyAsUndefined,
      z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Oslo"').default('UTC'),
    ),
    PULSE_WINDOW_DAYS: integer(7, 1, 27),
    PULSE_TICK_SECONDS: integer(60, 5, 3600),
    TEAMS_APP_RATE_PER_SECOND: integer(50, 1, 1000),
    PULSE_LEASE_SECONDS: integer(60, 2, 3600),
    // Keep the text of help-desk questions the bot couldn't answer, for CoE admins (support stats). Off by default.
    SUPPORT_KEEP_UNANSWERED: z.preprocess(
      (value) => (typeof value === 'string' ? emptyAsUndefined(value.trim().toLowerCase()) : value),
      z
        .enum(['true', 'false'], { message: 'must be true or false' })
        .default('false')
        .transform((value) => value === 'true'),
    ),
    // The dashboard tab's SSO: accepted token audiences (comma-separated) and Entra's signing keys.
    TAB_SSO_AUDIENCE: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .default('')
        .transform((list) => list.split(/[\s,]+/).filter(Boolean)),
    ),
    TAB_SSO_JWKS_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(
          isKeySetUrl,
          'must be an https URL (http only on localhost), e.g. https://login.microsoftonline.com/common/discovery/v2.0/keys',
        )
        .default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
    ),
  })
  .superRefine((env, context) => {
    if (env.STORAGE_CONNECTION_STRING && env.STORAGE_ACCOUNT_URL) {
      context.addIssue({
        code: 'custom',
        path: ['STORAGE_ACCOUNT_URL'],
        message:
          'and STORAGE_CONNECTION_STRING are both set: set one. STORAGE_ACCOUNT_URL signs in with a Microsoft Entra identity (no key); STORAGE_CONNECTION_STRING uses a key or SAS (or Azurite)',
      });
    }
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      context.addIssue({
        code: 'custom',
        path: ['MicrosoftAppPassword'],
        message: 'is required when MicrosoftAppId is set (unless MicrosoftAppType is UserAssignedMSI)',
      });
    }
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
      context.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `is required when MicrosoftAppType is ${env.MicrosoftAppType}`,
      });
    }
  });

/** Every environment variable the bot reads: deployment templates must set exactly these. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface PulseConfig {
  schedule: string;
  timeZone: string;
  windowDays: number;
  tickSeconds: number;
  /** Teams' documented limit per app per tenant, kept as a setting. */
  appRatePerSecond: number;
  /** How long an instance holds a tenant's fan-out (renewed while it works) or a round's step before another may take over. */
  leaseSeconds: number;
}

export interface AdminConfig {
  /** Microsoft Entra object ids of CoE admins. */
  objectIds: readonly string[];
  /** Members of this team (its Teams id, 19:…@thread.tacv2) are CoE admins too. */
  teamId: string | undefined;
}

export interface TabConfig {
  /** Accepted "aud" values of the tab's SSO tokens; empty means the dashboard API refuses with 503 outside local mode. */
  ssoAudiences: readonly string[];
  /** Where Microsoft Entra publishes its token-signing keys. */
  jwksUrl: string;
}

/**
 * Where inbound Bot Framework tokens are checked. Both undefined (the default) keeps botbuilder's own
 * public-cloud endpoints; tests set them to a local OpenID configuration and issuer.
 */
export interface ChannelAuthConfig {
  openIdMetadataUrl: string | undefined;
  tokenIssuer: string | undefined;
}

/**
 * Azure Storage by connection string (a key or SAS), by table endpoint and Microsoft Entra identity (no key: a
 * user-assigned managed identity when its client id is given, else whatever the developer is signed in with),
 * or the embedded Azurite.
 */
export type StorageConfig =
  | { kind: 'azure'; connectionString: string }
  | { kind: 'azure'; accountUrl: string; managedIdentityClientId: string | undefined }
  | { kind: 'azurite'; location: string; port: number };

export interface BotCredentials {
  appId: string;
  appPassword: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string | undefined;
}

export interface Config {
  port: number;
  /** Undefined means local mode: no Bot Framework authentication, for the Agents Playground and tests. */
  bot: BotCredentials | undefined;
  channelAuth: ChannelAuthConfig;
  /** Lower-case tenant ids allowed to use the bot; empty allows every tenant. */
  allowedTenants: readonly string[];
  storage: StorageConfig;
  tablePrefix: string;
  minRespondents: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  admins: AdminConfig;
  tab: TabConfig;
  pulse: PulseConfig;
  /** Keep the text of unanswered help-desk questions (counts are always kept; texts only when this is on). */
  supportKeepUnanswered: boolean;
}

export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(
      `Configuration is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nSee the Configuration section of README.md.`,
    );
    this.name = 'ConfigError';
  }
}

/** Settings whose values are secrets: an error names them but never repeats their value (it ends up in logs). */
const SECRET_VARIABLES = new Set(['MicrosoftAppPassword', 'STORAGE_CONNECTION_STRING']);

function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'got nothing';
  return SECRET_VARIABLES.has(name) ? `got a value of ${value.length} characters, not shown` : `got ${JSON.stringify(value)}`;
}

/** Reads the process environment by default; tests pass their own. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${issue.path.join('.')} ${issue.message} (${shownValue(name, env[name])})`;
      }),
    );
  }
  const value = parsed.data;
  return {
    port: value.PORT,
    bot: value.MicrosoftAppId
      ? {
          appId: value.MicrosoftAppId,
          appPassword: value.MicrosoftAppPassword,
          appType: value.MicrosoftAppType,
          tenantId: value.MicrosoftAppTenantId,
        }
      : undefined,
    channelAuth: { openIdMetadataUrl: value.BOT_OPENID_METADATA_URL, tokenIssuer: value.BOT_TOKEN_ISSUER },
    allowedTenants: value.ALLOWED_TENANTS,
    storage: value.STORAGE_CONNECTION_STRING
      ? { kind: 'azure', connectionString: value.STORAGE_CONNECTION_STRING }
      : value.STORAGE_ACCOUNT_URL
        ? { kind: 'azure', accountUrl: value.STORAGE_ACCOUNT_URL, managedIdentityClientId: value.AZURE_CLIENT_ID?.toLowerCase() }
        : { kind: 'azurite', location: value.AZURITE_LOCATION, port: value.AZURITE_PORT },
    tablePrefix: value.TABLE_PREFIX,
    minRespondents: value.MIN_RESPONDENTS,
    logLevel: value.LOG_LEVEL,
    admins: { objectIds: value.COE_ADMINS, teamId: value.COE_TEAM_ID },
    pulse: {
      schedule: value.PULSE_SCHEDULE,
      timeZone: value.PULSE_TIMEZONE,
      windowDays: value.PULSE_WINDOW_DAYS,
      tickSeconds: value.PULSE_TICK_SECONDS,
      appRatePerSecond: value.TEAMS_APP_RATE_PER_SECOND,
      leaseSeconds: value.PULSE_LEASE_SECONDS,
    },
    tab: { ssoAudiences: value.TAB_SSO_AUDIENCE, jwksUrl: value.TAB_SSO_JWKS_URL },
    supportKeepUnanswered: value.SUPPORT_KEEP_UNANSWERED,
  };
}
