import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * Paths pino blanks before a line is written. Answer text and tokens must never reach the logs: the bot's own
 * lines carry no activity text or card values, and these catch credentials that ride along on objects we log,
 * such as the request a failed storage or connector call carries inside its error.
 */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
  'appPassword',
  '*.appPassword',
  'connectionString',
  '*.connectionString',
  // Errors from @azure/data-tables and the Bot Connector client keep the whole request (headers included).
  'err.request',
  'err.response.request',
  'err.response.headers',
  'err.config',
  // Activities, should one ever be logged whole: what a member typed or chose on a card.
  'text',
  'value',
  '*.text',
  '*.value',
] as const;

/** The app's logger: JSON lines with credentials and answer text redacted. Tests pass a destination to read the lines. */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
