import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import type { RequestBody } from './bot/adapter.js';

/** Keys that could reach an object's prototype once a parsed body is copied or merged; no activity has them. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

class UnsafeKeyError extends Error {}

const statusOf = (error: unknown) =>
  typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;

/**
 * Reads a JSON request body of at most `limit` bytes as sent. Compressed bodies are refused (415) rather than
 * inflated: the Bot Connector and Teams send plain JSON, and inflating is where a small body becomes a large one.
 * A body past the limit is refused (413) as soon as its length says so, or as soon as that many bytes arrived.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    return { status: 415, problem: 'Compressed request bodies are not accepted: send the activity as plain JSON (no Content-Encoding).' };
  }
  let text: string;
  try {
    text = await getRawBody(req, { limit, length: req.headers['content-length'], encoding: 'utf-8' });
  } catch (error) {
    if (statusOf(error) === 413) return { status: 413, problem: `The request body is larger than ${limit / 1024} KB.` };
    if (statusOf(error) === undefined) throw error;
    return { status: 400, problem: 'The request body could not be read completely.' };
  }
  const type = (req.headers['content-type'] ?? '').replace(/;.*/s, '').trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return { status: 400, problem: 'The body must be a JSON activity sent with Content-Type: application/json.' };
  }
  try {
    return {
      json: JSON.parse(text, (key, value: unknown) => {
        if (UNSAFE_KEYS.has(key)) throw new UnsafeKeyError(key);
        return value;
      }),
    };
  } catch (error) {
    if (error instanceof UnsafeKeyError) return { status: 400, problem: `The body has a key no activity has ("${error.message}").` };
    return { status: 400, problem: 'The body is not valid JSON.' };
  }
}
