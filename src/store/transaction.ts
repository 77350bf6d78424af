import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest, RestError, type HttpClient } from '@azure/core-rest-pipeline';

/** A row's keys and plain values: strings, booleans and numbers (integers within Edm.Int32, or doubles). */
export type BatchEntity = { partitionKey: string; rowKey: string } & Record<string, string | number | boolean>;

/** One operation of an entity-group transaction; `etag` makes an update or delete conditional (If-Match), '*' or none makes it unconditional. */
export type BatchOperation =
  | { kind: 'create'; entity: BatchEntity }
  | { kind: 'replace'; entity: BatchEntity; etag?: string }
  | { kind: 'delete'; partitionKey: string; rowKey: string; etag?: string };

/**
 * Entity-group transactions sent through the table client's own pipeline (its credential, retries and
 * logging). The SDK's `submitTransaction` builds a new TableClient and pipeline and routes each operation
 * through the generated client's serializer for every call; this writes the same multipart body directly,
 * and also offers a conditional delete, which `submitTransaction` cannot express.
 */
export class Transactions {
  private readonly http: HttpClient = createDefaultHttpClient();
  private readonly batchUrl: string;
  private readonly tableUrl: string;
  private readonly insecure: boolean;

  constructor(private readonly client: TableClient) {
    // A SAS connection string puts the token in the account URL: it belongs after $batch, never in the parts.
    const [account, sas] = client.url.replace(/\/?(\?|$)/, '$1').split('?') as [string, string | undefined];
    this.batchUrl = `${account}/$batch${sas ? `?${sas}` : ''}`;
    this.tableUrl = `${account}/${client.tableName}`;
    this.insecure = account.startsWith('http:');
  }

  /**
   * Applies every operation or none (all in one partition, at most 100). Returns each operation's new
   * ETag, in order (Table Storage answers in the order of the change set; a sub-response of an update
   * carries no row key, so position is the only way to tell them apart). A failed operation throws a
   * RestError with its status (409 exists, 412 changed, 404 missing) and nothing is applied.
   */
  async submit(operations: readonly BatchOperation[]): Promise<(string | undefined)[]> {
    const batch = `batch_${randomUUID()}`;
    const changeset = `changeset_${randomUUID()}`;
    const parts = operations.map((operation) => `--${changeset}\r\n${PART_HEADERS}${this.subRequest(operation)}`);
    const body =
      `--${batch}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n` +
      `${parts.join('')}--${changeset}--\r\n--${batch}--\r\n`;
    const request = createPipelineRequest({
      url: this.batchUrl,
      method: 'POST',
      body,
      allowInsecureConnection: this.insecure,
      headers: createHttpHeaders({
        accept: 'application/json',
        'x-ms-version': '2019-02-02',
        DataServiceVersion: '3.0;',
        MaxDataServiceVersion: '3.0;NetFx',
        'Content-Type': `multipart/mixed; boundary=${batch}`,
      }),
    });
    const response = await this.client.pipeline.sendRequest(this.http, request);
    const text = response.bodyAsText ?? '';
    if (response.status !== 202) throw failure(response.status, text, request, response);
    // The parts between the changeset's boundaries; the last piece is the closing delimiter's tail ("--").
    const boundary = /boundary=(changesetresponse_[\w-]+)/.exec(text)?.[1];
    const results = boundary ? text.split(`--${boundary}`).slice(1, -1) : [];
    const etags: (string | undefined)[] = [];
    for (const part of results) {
      const status = Number(/HTTP\/1\.1 (\d{3})/.exec(part)?.[1]);
      if (!(status >= 200 && status < 300)) throw failure(status || 500, part, request, response);
      // A copy, not a slice of the response: a cached ETag must not keep the whole response body alive.
      const etag = /^etag:[ \t]*(\S+)/im.exec(part)?.[1];
      etags.push(etag === undefined ? undefined : Buffer.from(etag).toString());
    }
    if (etags.length !== operations.length)
      throw new RestError(`Table Storage answered ${etags.length} of ${operations.length} operations of a transaction.`, {
        statusCode: 500,
        request,
        response,
      });
    return etags;
  }

  private subRequest(operation: BatchOperation): string {
    switch (operation.kind) {
      case 'create':
        return `POST ${this.tableUrl} HTTP/1.1\r\n${JSON_HEADERS}Prefer: return-no-content\r\n\r\n${serialize(operation.entity)}\r\n`;
      case 'replace':
        return `PUT ${this.rowUrl(operation.entity)} HTTP/1.1\r\n${JSON_HEADERS}If-Match: ${operation.etag ?? '*'}\r\n\r\n${serialize(operation.entity)}\r\n`;
      case 'delete':
        return `DELETE ${this.rowUrl(operation)} HTTP/1.1\r\nAccept: application/json\r\nDataServiceVersion: 3.0\r\nIf-Match: ${operation.etag ?? '*'}\r\n\r\n\r\n`;
    }
  }

  private rowUrl({ partitionKey, rowKey }: { partitionKey: string; rowKey: string }): string {
    return `${this.tableUrl}(PartitionKey='${keyInUrl(partitionKey)}',RowKey='${keyInUrl(rowKey)}')`;
  }
}

const PART_HEADERS = 'Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n';
const JSON_HEADERS = 'Content-Type: application/json\r\nAccept: application/json;odata=nometadata\r\nDataServiceVersion: 3.0\r\n';
const INT32 = 2 ** 31;

/** OData key literal in a URL: quotes doubled, then percent-encoded (as the SDK's generated client does). */
const keyInUrl = (key: string) => encodeURIComponent(key.replaceAll("'", "''"));

function serialize({ partitionKey, rowKey, ...values }: BatchEntity): string {
  for (const [name, value] of Object.entries(values)) {
    // JSON infers Int32 for whole numbers; anything wider would need an Edm.Int64 annotation this path does not write.
    if (typeof value === 'number' && (!Number.isFinite(value) || (Number.isInteger(value) && (value >= INT32 || value < -INT32))))
      throw new TypeError(`Column "${name}" holds ${value}, which a transaction here cannot store as Int32 or Double.`);
  }
  return JSON.stringify({ PartitionKey: partitionKey, RowKey: rowKey, ...values });
}

function failure(status: number, text: string, request: RestError['request'], response: RestError['response']): RestError {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  let code: string | undefined;
  let message = `Table Storage refused a transaction (status ${status}).`;
  try {
    const error = (JSON.parse(json ?? '') as { 'odata.error'?: { code?: string; message?: { value?: string } } })['odata.error'];
    code = error?.code;
    if (error?.message?.value) message = error.message.value;
  } catch {
    // No JSON error body: the status says enough.
  }
  return new RestError(message, { statusCode: status, ...(code ? { code } : {}), request, ...(response ? { response } : {}) });
}
