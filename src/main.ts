import { ConfigError, loadConfig } from './config.js';
import { ContentError } from './content/loadContent.js';
import { startApp } from './app.js';

/** Entry point: configuration from the environment, then the app; clear messages when either is wrong. */
try {
  const app = await startApp(loadConfig());
  const stop = async (signal: string) => {
    console.log(`${signal} received, stopping`);
    try {
      await app.close();
      process.exit(0);
    } catch (error) {
      console.error('Stopping failed:', error);
      process.exit(1);
    }
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
} catch (error) {
  if (error instanceof ConfigError || error instanceof ContentError) console.error(error.message);
  else console.error(error);
  process.exit(1);
}
