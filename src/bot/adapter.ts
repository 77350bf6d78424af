import {
  ActivityTypes,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { BotCredentials, ChannelAuthConfig } from '../config.js';
import { parseInboundActivity } from './inboundActivity.js';
import { invokeText } from './invokeResponses.js';
import { messageOf } from '../errors.js';

/** What a member reads when a step failed on our side (a storage outage, say): nothing half-done, and what to do. */
export const TRY_AGAIN =
  'Something went wrong on my side, so that last step was not saved. Everything you answered before is safe — please try again in a minute.';

/** The key under which the HTTP layer leaves each turn's correlation id, so errors log with the same id as the request. */
export const CORRELATION_ID = Symbol('correlationId');

export function correlationIdOf(context: TurnContext): string | undefined {
  const id: unknown = context.turnState.get(CORRELATION_ID);
  return typeof id === 'string' ? id : undefined;
}

/**
 * Settings for ConfigurationBotFrameworkAuthentication. With no endpoint overrides botbuilder picks the public
 * cloud itself. Once any endpoint is given, botbuilder treats every endpoint as given (see
 * BotFrameworkAuthenticationFactory.create), so the rest are filled in with the public cloud's values.
 */
export function authenticationSettings(
  credentials: BotCredentials | undefined,
  channelAuth: ChannelAuthConfig,
): Record<string, string | boolean> {
  if (!credentials) return {};
  const settings: Record<string, string | boolean> = {
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword ?? '',
    MicrosoftAppType: credentials.appType,
    MicrosoftAppTenantId: credentials.tenantId ?? '',
  };
  if (channelAuth.openIdMetadataUrl === undefined && channelAuth.tokenIssuer === undefined) return settings;
  return {
    ...settings,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: channelAuth.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: channelAuth.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** jsonwebtoken's errors for a bad signature, a malformed token or one not yet valid. */
const isTokenError = (error: unknown) => error instanceof Error && (error.name === 'JsonWebTokenError' || error.name === 'NotBeforeError');

/** The issuer a token claims, read without trusting it; undefined when it is not a JWT at all. */
function claimedIssuer(authHeader: string): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authHeader.trim())?.[1];
  try {
    return token ? decodeJwt(token).iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * botbuilder lets jsonwebtoken's own errors (a forged signature, a malformed token) escape as plain errors,
 * which CloudAdapter answers with 500. They are authentication failures: answer 401 like the others.
 * Only the Bot Connector's tokens are accepted: botbuilder would check an emulator's or a skill's token against
 * key sets on the internet, so a token merely claiming to be one could turn an outage there into our 5xx.
 */
class BotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    settings: Record<string, string | boolean>,
    private readonly channelIssuer: string | undefined,
  ) {
    super(settings);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      if (this.channelIssuer !== undefined && claimedIssuer(authHeader) !== this.channelIssuer)
        throw new AuthenticationError('Unauthorized. The request carries no Bot Connector token.', 401);
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      throw isTokenError(error) ? new AuthenticationError(`Unauthorized. The token was refused: ${messageOf(error)}`, 401) : error;
    }
  }
}

/** What /api/messages answers: a status and, for invokes and refusals, a body. */
export interface Reply {
  status: number;
  /** An invoke's JSON answer, or a short plain sentence saying why the request was refused. */
  body?: unknown;
  /** Set once the activity was accepted, for the request's log line. */
  activity?: Activity;
}

/** The request body as the HTTP layer read it: JSON, or why it could not be read (a transport problem or not JSON). */
export type RequestBody = { json: unknown } | { status: 400 | 413 | 415; problem: string };

export interface InboundRequest {
  authorization: string | undefined;
  readBody(): Promise<RequestBody>;
  /** Identifies the request in logs when the activity carries no id. */
  requestId: string;
}

const UNAUTHORIZED = 'Unauthorized: this endpoint needs a valid Bot Framework token.';

/** The two activity fields the token is checked against (its channel's endorsement and its service URL), and nothing else. */
function tokenBinding(body: RequestBody): Partial<Activity> {
  if (!('json' in body) || typeof body.json !== 'object' || body.json === null) return {};
  const { channelId, serviceUrl } = body.json as Record<string, unknown>;
  return {
    ...(typeof channelId === 'string' ? { channelId } : {}),
    ...(typeof serviceUrl === 'string' ? { serviceUrl } : {}),
  };
}

/**
 * CloudAdapter with our own order of checks for an inbound request: the caller is authenticated before anything
 * about the activity is looked at (no token at all is refused before the body is even read); then the activity's
 * shape is checked, and a malformed one gets 400 with a short reason instead of failing inside the SDK.
 */
export class BotAdapter extends CloudAdapter {
  constructor(
    private readonly authentication: BotFrameworkAuthentication,
    private readonly tokenRequired: boolean,
    private readonly logger: Logger,
  ) {
    super(authentication);
  }

  async receive(request: InboundRequest, logic: (context: TurnContext) => Promise<void>): Promise<Reply> {
    const authorization = request.authorization ?? '';
    if (this.tokenRequired && !/^Bearer\s+\S/i.test(authorization))
      return this.unauthorized(request, new AuthenticationError('Unauthorized. The request carries no bearer token.', 401));
    const body = await request.readBody();
    if ('status' in body && body.status !== 400) return { status: body.status, body: body.problem };
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.authentication.authenticateRequest(tokenBinding(body) as Activity, authorization);
    } catch (error) {
      if (error instanceof AuthenticationError) return this.unauthorized(request, error);
      throw error;
    }
    if ('status' in body) return { status: body.status, body: body.problem };
    const inbound = parseInboundActivity(body.json);
    if ('problem' in inbound) {
      this.logger.info({ correlationId: request.requestId, reason: inbound.problem }, 'malformed activity refused');
      return { status: 400, body: inbound.problem };
    }
    const { activity } = inbound;
    const response = await this.processActivity(authenticated, activity, async (context) => {
      context.turnState.set(CORRELATION_ID, activity.id?.slice(0, 200) ?? request.requestId);
      await logic(context);
    });
    return { status: response?.status ?? 200, body: response?.body, activity };
  }

  private unauthorized(request: InboundRequest, error: AuthenticationError): Reply {
    // The reason, never the token: botbuilder's messages name the claim that failed, not the token's content.
    this.logger.warn({ correlationId: request.requestId, reason: error.message }, 'request refused: no valid Bot Framework token');
    return { status: 401, body: UNAUTHORIZED };
  }
}

/**
 * The Bot Framework adapter. Without credentials it runs in local mode (no token checks, for the
 * Agents Playground and tests); with them it authenticates every request as Bot Framework requires.
 */
export function createAdapter(
  credentials: BotCredentials | undefined,
  logger: Logger,
  channelAuth: ChannelAuthConfig = { openIdMetadataUrl: undefined, tokenIssuer: undefined },
): BotAdapter {
  const issuer = credentials ? (channelAuth.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer) : undefined;
  const authentication = new BotFrameworkAuthentication(authenticationSettings(credentials, channelAuth), issuer);
  const adapter = new BotAdapter(authentication, credentials !== undefined, logger);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const { type, name, id } = context.activity;
    const correlationId = correlationIdOf(context) ?? id;
    logger.error({ err: error, correlationId, activityType: type, name, activityId: id }, 'turn failed');
    // The member is never left in silence: a message gets a reply, an invoke an answer in its HTTP body.
    try {
      if (type === ActivityTypes.Message) await context.sendActivity(TRY_AGAIN);
      else if (type === ActivityTypes.Invoke)
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: invokeText(name, TRY_AGAIN, { status: 500, code: 'InternalServerError' }),
        });
    } catch (sendError) {
      logger.error({ err: sendError, correlationId }, 'could not tell the member that the turn failed');
      throw sendError;
    }
  };
  return adapter;
}
