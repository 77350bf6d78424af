import {
  ActivityTypes,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { Logger } from 'pino';
import type { BotCredentials, ChannelAuthConfig } from '../config.js';
import { invokeText } from './invokeResponses.js';

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

/**
 * botbuilder lets jsonwebtoken's own errors (a forged signature, a malformed token) escape as plain errors,
 * which CloudAdapter answers with 500. They are authentication failures: answer 401 like the others.
 */
class BotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    settings: Record<string, string | boolean>,
    private readonly logger: Logger,
  ) {
    super(settings);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      const refused = isTokenError(error)
        ? new AuthenticationError(`Unauthorized. The token was refused: ${(error as Error).message}`, 401)
        : error;
      // The reason, never the token: botbuilder's messages name the claim that failed, not the token's content.
      if (refused instanceof AuthenticationError)
        this.logger.warn({ correlationId: activity.id, reason: refused.message }, 'request refused: no valid Bot Framework token');
      throw refused;
    }
  }
}

type Logic = (context: TurnContext) => Promise<void>;

/**
 * CloudAdapter, except that a refused token is answered 401 here instead of thrown: CloudAdapter.process prints every
 * error it catches to stderr, stack and all, and a request without a valid token is routine traffic that
 * BotFrameworkAuthentication has already logged once, as a warning. Every other error still throws as before.
 */
class BotAdapter extends CloudAdapter {
  protected override processActivity(authHeader: string, activity: Activity, logic: Logic): Promise<InvokeResponse | undefined>;
  protected override processActivity(
    result: AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined>;
  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined> {
    if (typeof auth !== 'string') return super.processActivity(auth, activity, logic);
    let result: AuthenticateRequestResult;
    try {
      result = await this.botFrameworkAuthentication.authenticateRequest(activity, auth);
    } catch (error) {
      if (error instanceof AuthenticationError) return { status: 401, body: error.message };
      throw error;
    }
    return super.processActivity(result, activity, logic);
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
): CloudAdapter {
  const adapter = new BotAdapter(new BotFrameworkAuthentication(authenticationSettings(credentials, channelAuth), logger));
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
