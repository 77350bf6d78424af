import { createHash } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface LocationLock {
  release(): Promise<void>;
}

export class LocationInUseError extends Error {
  constructor(location: string, holder: string) {
    super(
      `Another Maturity Pulse bot (${holder}) is already using the embedded store in ${location}. Two bots on one data folder would overwrite each other's answers: stop the other one, or give this one its own AZURITE_LOCATION (and AZURITE_PORT).`,
    );
    this.name = 'LocationInUseError';
  }
}

/**
 * A lock that dies with its process: a local socket (a named pipe on Windows) named after the data folder. The
 * operating system closes it however the process ends, so a crash never leaves a lock behind; a leftover socket
 * file that nobody answers on is taken over.
 */
function socketPath(location: string): string {
  const id = createHash('sha256').update(location).digest('hex').slice(0, 16);
  return process.platform === 'win32' ? `\\\\.\\pipe\\maturity-pulse-${id}` : path.join(os.tmpdir(), `maturity-pulse-${id}.sock`);
}

/** Who holds the lock, as its holder says; undefined when nobody answers (a stale socket file). */
function askHolder(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let said = '';
    const socket = net.connect(file);
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on('data', (chunk) => (said += chunk.toString()));
    socket.on('end', () => resolve(said || 'a process that did not say who it is'));
    socket.on('error', () => resolve(undefined));
    socket.on('close', () => resolve(said || undefined));
  });
}

function listen(server: net.Server, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function acquireLocationLock(location: string, port: number): Promise<LocationLock> {
  const file = socketPath(location);
  const server = net.createServer((socket) => socket.end(`process ${process.pid}, its Azurite on port ${port}`));
  try {
    await listen(server, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const holder = await askHolder(file);
    if (holder !== undefined) throw new LocationInUseError(location, holder);
    if (process.platform !== 'win32') await unlink(file);
    await listen(server, file);
  }
  server.unref();
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
