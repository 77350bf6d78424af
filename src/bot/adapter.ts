import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { BotCredentials } from '../config.js';

/**
 * The Bot Framework adapter. Without credentials it runs in local mode (no token checks, for the
 * Agents Playground and tests); with them it authenticates every request as Bot Framework requires.
 */
export function createAdapter(credentials: BotCredentials | undefined, logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(
    credentials
      ? {
          MicrosoftAppId: credentials.appId,
          MicrosoftAppPassword: credentials.appPassword ?? '',
          MicrosoftAppType: credentials.appType,
          MicrosoftAppTenantId: credentials.tenantId ?? '',
        }
      : {},
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, activityType: context.activity.type, activityId: context.activity.id }, 'turn failed');
    // Invokes get their error as the HTTP status; a message gets a reply so the member is not left in silence.
    if (context.activity.type === 'message') {
      await context.sendActivity('Something went wrong on my side, so that last step was not saved. Everything you answered before is safe — please try again.');
    }
  };
  return adapter;
}
