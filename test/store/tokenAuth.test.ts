// Storage by identity, against Azurite's OAuth mode. Azurite accepts bearer tokens only over https, so the test makes
// a self-signed certificate (openssl) and starts Azurite with it and `--oauth basic`, which checks a token's issuer,
// audience and lifetime (not its signature: azurite/dist/src/table/authentication/TableTokenAuthenticator.js). The
// token comes from a stand-in for App Service's managed-identity endpoint (IDENTITY_ENDPOINT/IDENTITY_HEADER), so the
// bot's own credential (ManagedIdentityCredential with AZURE_CLIENT_ID) is what asks for it. The bot runs in a child
// process (test/store/support/tokenProbe.ts) because Node trusts an extra certificate (NODE_EXTRA_CA_CERTS) only
// from start-up.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { uniquePrefix } from '../support/storage.js';

const TENANT = '72f988bf-0000-4000-8000-0000000000aa';
const CLIENT_ID = '5ec0d000-0000-4000-8000-0000000000c1';
/** A second identity, for which the stand-in hands out a token Azurite must refuse (wrong audience). */
const WRONG_AUDIENCE_CLIENT_ID = '5ec0d000-0000-4000-8000-0000000000c2';
const IDENTITY_HEADER = 'identity-header-of-this-test';

interface TokenRequest {
  clientId: string | undefined;
  resource: string | undefined;
  header: string | undefined;
}

let dir: string;
let azurite: ChildProcess | undefined;
let identity: http.Server | undefined;
let accountUrl: string;
let identityEndpoint: string;
const tokenRequests: TokenRequest[] = [];

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`Azurite exited with code ${child.exitCode}`));
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve();
      });
      socket.on('error', () => (Date.now() > deadline ? reject(new Error(`Azurite did not listen on ${port}`)) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}

/** A stand-in for App Service's managed-identity endpoint (api-version 2019-08-01): a signed JWT for the asked resource. */
async function startIdentityEndpoint(): Promise<http.Server> {
  const { privateKey } = await generateKeyPair('RS256');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: TokenRequest = {
      clientId: url.searchParams.get('client_id') ?? undefined,
      resource: url.searchParams.get('resource') ?? undefined,
      header: req.headers['x-identity-header'] as string | undefined,
    };
    tokenRequests.push(request);
    if (request.header !== IDENTITY_HEADER) {
      res.writeHead(401).end();
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const audience = request.clientId === WRONG_AUDIENCE_CLIENT_ID ? 'https://vault.azure.net' : (request.resource ?? '');
    void new SignJWT({ appid: request.clientId, oid: request.clientId, tid: TENANT })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(`https://sts.windows.net/${TENANT}/`)
      .setAudience(audience)
      .setIssuedAt(now)
      .setNotBefore(now - 60)
      .setExpirationTime(now + 3600)
      .sign(privateKey)
      .then((token) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: token,
            expires_on: String(now + 3600),
            resource: request.resource,
            token_type: 'Bearer',
            client_id: request.clientId,
          }),
        );
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'maturity-pulse-oauth-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(`This test makes its certificate with openssl (Debian package openssl): ${(error as Error).message}`, { cause: error });
  }
  const port = await freePort();
  const entry = createRequire(import.meta.url).resolve('azurite/dist/src/table/main.js');
  azurite = spawn(
    process.execPath,
    [
      entry,
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
      '--inMemoryPersistence',
      '--silent',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--oauth',
      'basic',
      '--cert',
      cert,
      '--key',
      key,
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port, azurite, 20_000);
  accountUrl = `https://127.0.0.1:${port}/devstoreaccount1`;
  identity = await startIdentityEndpoint();
  identityEndpoint = `http://127.0.0.1:${(identity.address() as net.AddressInfo).port}/msi/token`;
});

afterAll(async () => {
  azurite?.kill();
  await new Promise<void>((resolve) => (identity ? identity.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the probe as the bot would run in Azure, with the test's certificate trusted; returns what it printed. */
async function runProbe(env: Record<string, string>): Promise<Record<string, unknown>> {
  const probe = path.resolve('test/store/support/tokenProbe.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probe], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'),
      PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      STORAGE_ACCOUNT_URL: accountUrl,
      IDENTITY_ENDPOINT: identityEndpoint,
      IDENTITY_HEADER,
      ...env,
    },
    timeout: 120_000,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as Record<string, unknown>;
}

describe('storage by identity, against Azurite over https with OAuth', () => {
  it('starts the bot on its managed identity, with no key: tables created, answers recorded, ETag-checked writes, transactions and queries', async () => {
    const prefix = uniquePrefix();
    const result = await runProbe({ AZURE_CLIENT_ID: CLIENT_ID, TABLE_PREFIX: prefix });
    expect(result).toEqual({
      started: { ok: true },
      tables: [
        `${prefix}answers`,
        `${prefix}conversations`,
        `${prefix}organisation`,
        `${prefix}probe`,
        `${prefix}pulse`,
        `${prefix}pulsework`,
        `${prefix}supportstats`,
        `${prefix}targets`,
      ].sort(),
      staleUpdate: 412,
      recorded: ['recorded', 'recorded'],
      memberAnswers: { governance: 300 },
      rows: [
        ['a', 300],
        ['b', 100],
        ['c', 500],
      ],
    });
    // The tokens came from the managed-identity endpoint, for the configured identity and for Azure Storage.
    const mine = tokenRequests.filter((request) => request.clientId === CLIENT_ID);
    expect(mine.length).toBeGreaterThan(0);
    for (const request of mine)
      expect(request).toEqual({ clientId: CLIENT_ID, resource: 'https://storage.azure.com', header: IDENTITY_HEADER });
  }, 150_000);

  it('is refused by the store when the token is not for Azure Storage: the bot does not start', async () => {
    const result = await runProbe({ AZURE_CLIENT_ID: WRONG_AUDIENCE_CLIENT_ID, TABLE_PREFIX: uniquePrefix() });
    const started = result.started as { ok: boolean; status?: number; message?: string };
    expect(started.ok).toBe(false);
    // Storage answers a token it refuses with 403 AuthenticationFailed.
    expect(started.status).toBe(403);
    expect(started.message).toMatch(/AuthenticationFailed.*Invalid token audience/);
    expect(tokenRequests.some((request) => request.clientId === WRONG_AUDIENCE_CLIENT_ID)).toBe(true);
  }, 150_000);
});
