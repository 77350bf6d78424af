import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/loadContent.js';
import { startApp } from './app.js';
import { StoreStartError } from './store/azurite.js';
import { LocationInUseError } from './store/locationLock.js';
import { createLogger } from './logging.js';

/** Entry point: configuration from the environment, then the app; clear messages when either is wrong. */
try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // An error no handler caught (a socket's, a stream's) is logged; it ends neither the other requests nor the process.
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught error; the bot keeps serving'));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled promise rejection; the bot keeps serving'));
  const app = await startApp(config, { logger });
  let stopping = false;
  const stop = async (signal: string) => {
    // A terminal's Ctrl-C reaches every process of the group, sometimes twice: the first one stops, the rest wait.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight, then saving and stopping the store');
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
} catch (error) {
  if (
    error instanceof ConfigError ||
    error instanceof ContentError ||
    error instanceof LocationInUseError ||
    error instanceof StoreStartError
  )
    console.error(error.message);
  else console.error(error);
  process.exit(1);
}
