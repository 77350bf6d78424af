/**
 * A write-ahead journal for a LokiJS database, so that a write can be acknowledged once it is on disk at a cost
 * that does not grow with the database. LokiJS itself can only save by serialising and rewriting the whole
 * database; here each group of changes is appended as one line to a journal file, and the whole database is
 * rewritten only now and then (a snapshot, when the journal has grown as large as the last snapshot), which starts
 * a fresh journal. On start, the snapshot is loaded and the journals after it replayed in order.
 *
 * Files, in the database's folder: the snapshot at the database's own path (LokiJS's format, so Azurite alone can
 * still read it; it records the generation of the journal that continues it) and journals `<path>.journal.<n>`,
 * one JSON array of changes a line. A journal is appended to only by its own generation, so a line cut short by a
 * kill can only be the last of the last journal; it was never acknowledged, and is ignored.
 *
 * What changed comes from LokiJS's changes API (full copies of inserted, updated and removed documents, with their
 * `$loki` ids) and from wrapping `addCollection`/`removeCollection`, so collections created later (a new table) are
 * tracked too. Used by azuriteServer.ts only; this module knows LokiJS, not Azurite.
 */
import { open, readdir, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

interface LokiDocument {
  $loki: number;
  meta?: unknown;
  [property: string]: unknown;
}
interface LokiChange {
  name: string;
  operation: 'I' | 'U' | 'R';
  obj: LokiDocument;
}
interface LokiCollection {
  name: string;
  maxId: number;
  /** Set directly: LokiJS's setChangesApi(false) also turns delta changes on, which would journal partial documents. */
  disableChangesApi: boolean;
  disableDeltaChangesApi: boolean;
  insert(document: object): LokiDocument;
  update(document: LokiDocument): LokiDocument;
  remove(document: LokiDocument): unknown;
  get(id: number): LokiDocument | null;
  getChanges(): LokiChange[];
  flushChanges(): void;
}
/** The part of a LokiJS database the journal uses. */
export interface LokiDatabase {
  collections: LokiCollection[];
  addCollection(name: string, options?: object): LokiCollection;
  removeCollection(name: string): void;
  loadJSONObject(database: object, options: object): void;
  serialize(): string;
}

/** One change, as a journal line holds them: collection operations, and documents by collection name. */
type JournalEntry = ['add', string, object | null] | ['remove', string] | ['I' | 'U', string, LokiDocument] | ['R', string, number];

export interface JournalOptions {
  /** The snapshot's path; journals sit beside it. */
  file: string;
  /** True while the database holds a half-applied transaction, which must not reach the disk half. */
  midTransaction(): boolean;
  /** An append or a snapshot failed: the database in memory is ahead of the disk, so the caller must stop. */
  onFailure(error: Error): void;
}

/** The snapshot records which journal continues it under this key (LokiJS ignores unknown keys when loading). */
const GENERATION_KEY = 'maturityPulseJournal';
/** A snapshot is taken once the journal is as large as the last snapshot, or this large, whichever is more. */
const MIN_JOURNAL_BYTES = 4 * 1024 * 1024;
/**
 * A transaction is applied within a few microtasks; one still half applied after this long never ends, so the
 * journal fails (and the store restarts from its files) rather than hold every acknowledgement for ever.
 */
const STUCK_TRANSACTION_MS = 10_000;

export class JournalDamagedError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(
      `The embedded store's journal ${file} is damaged at line ${line} (${reason}), so the store cannot rebuild its data with certainty and does not start. Nothing was changed on disk. To start from the last snapshot instead, move ${path.basename(file)} and any later ${path.basename(file).replace(/\.\d+$/, '')}.* files out of ${path.dirname(file)}: the writes they hold are then lost.`,
    );
    this.name = 'JournalDamagedError';
  }
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

export class LokiJournal {
  private generation = 0;
  private journal: FileHandle | undefined;
  private journalBytes = 0;
  private snapshotBytes = 0;
  /** Collection operations since the last take, in order (document changes live on each collection). */
  private collectionOps: JournalEntry[] = [];
  /** Writers whose changes are in memory, waiting for the next append. */
  private waiting: Waiter[] = [];
  /** Writers whose changes are being appended now. */
  private appending: Waiter[] = [];
  /** Callers of snapshot(), waiting for the next one to be written. */
  private snapshotWaiting: Waiter[] = [];
  private snapshotWanted = false;
  private snapshotWriting: Promise<void> | undefined;
  private running = false;
  private failure: Error | undefined;

  constructor(
    private readonly db: LokiDatabase,
    private readonly options: JournalOptions,
  ) {}

  /** Loads the snapshot, replays the journals after it, and starts tracking changes. The caller snapshots next. */
  async recover(): Promise<void> {
    const snapshot = await readFile(this.options.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    let generation = 0;
    if (snapshot !== undefined) {
      const database = JSON.parse(snapshot) as Record<string, unknown>;
      generation = Number(database[GENERATION_KEY] ?? 0);
      this.db.loadJSONObject(database, {});
    }
    for (const collection of this.db.collections) recordChanges(collection, false);
    for (const journal of await this.journals()) {
      if (journal.generation < generation) continue; // already in the snapshot; deleted after the next one
      replay(this.db, journal.file, await readFile(journal.file, 'utf8'));
      generation = journal.generation;
    }
    // Never append to a journal that was there: its last line may be cut short.
    this.generation = generation + 1;
    this.track();
  }

  /** Resolves once every change made so far is in the journal (or a snapshot): then a write may be acknowledged. */
  commit(): Promise<void> {
    return this.enqueue(this.waiting);
  }

  /** Writes the whole database and starts a fresh journal; resolves once the snapshot is in place. */
  snapshot(): Promise<void> {
    this.snapshotWanted = true;
    return this.enqueue(this.snapshotWaiting);
  }

  /** A final snapshot (so the next start replays nothing), then the journal is closed. */
  async close(): Promise<void> {
    await this.snapshot();
    await this.journal?.close();
    this.journal = undefined;
  }

  private enqueue(queue: Waiter[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => queue.push({ resolve, reject }));
    if (!this.running) void this.run();
    return done;
  }

  /** Makes LokiJS record every change: on the collections there are, and on those created from now on. */
  private track(): void {
    const { db } = this;
    for (const collection of db.collections) {
      recordChanges(collection, true);
      collection.flushChanges(); // whatever a snapshot carried is in it already
    }
    const addCollection = db.addCollection.bind(db);
    const removeCollection = db.removeCollection.bind(db);
    db.addCollection = (name, options) => {
      this.collectionOps.push(['add', name, options ?? null]);
      const collection = addCollection(name, options);
      recordChanges(collection, true);
      return collection;
    };
    db.removeCollection = (name) => {
      this.collectionOps.push(['remove', name]);
      removeCollection(name);
    };
  }

  /** Everything changed since the last take, as one journal line (undefined if nothing), and forgets it. */
  private take(): string | undefined {
    const entries: JournalEntry[] = this.collectionOps;
    this.collectionOps = [];
    for (const collection of this.db.collections) {
      for (const change of collection.getChanges())
        entries.push(change.operation === 'R' ? ['R', change.name, change.obj.$loki] : [change.operation, change.name, change.obj]);
      collection.flushChanges();
    }
    return entries.length === 0 ? undefined : `${JSON.stringify(entries)}\n`;
  }

  /**
   * The one writer: appends groups of changes in order (writes that arrive during an append share the next one),
   * and cuts a snapshot when asked or when the journal has grown large. Runs until nothing is waiting.
   */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while ((this.waiting.length > 0 || this.snapshotWanted) && !this.failure) {
        // One snapshot at a time: the next cut waits for the last to be in place.
        if (this.snapshotWanted) await this.snapshotWriting;
        // Azurite applies an entity group transaction without I/O, but between awaits, so other requests' microtasks
        // can run in its middle: changes are taken only between transactions, and nothing may await from the last
        // check to the take (not even an async function that returns at once), so a half-applied transaction never
        // reaches the disk.
        for (const deadline = Date.now() + STUCK_TRANSACTION_MS; this.options.midTransaction(); await nextTurn())
          if (Date.now() > deadline)
            throw new Error(
              `An entity group transaction has been half applied for ${STUCK_TRANSACTION_MS / 1000} s, so its changes cannot be journaled`,
            );
        if (this.snapshotWanted) {
          await this.cut();
          continue;
        }
        this.appending = this.waiting.splice(0);
        const line = this.take();
        if (line !== undefined) await this.append(line);
        for (const waiter of this.appending.splice(0)) waiter.resolve();
        if (this.snapshotWriting === undefined && this.journalBytes >= Math.max(MIN_JOURNAL_BYTES, this.snapshotBytes))
          this.snapshotWanted = true;
      }
    } catch (error) {
      this.fail(asError(error));
    } finally {
      this.running = false;
    }
  }

  /**
   * The snapshot's cut, all in one go of the event loop: what changed since the last append is taken for the
   * current journal, and the database is serialised as it stands with the next generation's number. Then the rest
   * of the current journal is written, the next journal opened, and the snapshot written in the background while
   * appends go on; older journals are deleted only once the snapshot is in place. Whatever moment a kill strikes,
   * the last snapshot in place plus the journals from its generation on hold every acknowledged change once.
   */
  private async cut(): Promise<void> {
    this.snapshotWanted = false;
    this.appending = this.waiting.splice(0);
    const callers = this.snapshotWaiting.splice(0);
    const rest = this.take();
    const generation = this.generation + 1;
    const text = serializeWithGeneration(this.db, generation);

    if (rest !== undefined) await this.append(rest);
    for (const waiter of this.appending.splice(0)) waiter.resolve();
    await this.journal?.close();
    this.journal = undefined;
    this.generation = generation;
    this.journalBytes = 0;
    const writing = this.writeSnapshot(text, generation).then(
      () => {
        this.snapshotWriting = undefined;
        for (const caller of callers) caller.resolve();
      },
      (error: unknown) => {
        for (const caller of callers) caller.reject(asError(error));
        this.fail(asError(error));
      },
    );
    this.snapshotWriting = writing;
    // Callers of snapshot() (start, stop) wait for it; a snapshot the journal's size asked for doesn't hold writes.
    if (callers.length > 0) await writing;
  }

  private async append(line: string): Promise<void> {
    const data = Buffer.from(line);
    const journal = this.journal ?? (this.journal = await this.openJournal());
    await journal.appendFile(data);
    this.journalBytes += data.length;
  }

  private async writeSnapshot(text: string, generation: number): Promise<void> {
    const temporary = `${this.options.file}~`;
    await writeFile(temporary, text);
    await rename(temporary, this.options.file);
    this.snapshotBytes = Buffer.byteLength(text);
    for (const journal of await this.journals()) if (journal.generation < generation) await rm(journal.file, { force: true });
  }

  /** The current generation's journal, created empty. */
  private openJournal(): Promise<FileHandle> {
    return open(`${this.options.file}.journal.${this.generation}`, 'a');
  }

  /** The journals in the folder, oldest first. */
  private async journals(): Promise<{ file: string; generation: number }[]> {
    const folder = path.dirname(this.options.file);
    const prefix = `${path.basename(this.options.file)}.journal.`;
    return (await readdir(folder))
      .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
      .map((name) => ({ file: path.join(folder, name), generation: Number(name.slice(prefix.length)) }))
      .sort((a, b) => a.generation - b.generation);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiter of [...this.appending.splice(0), ...this.waiting.splice(0), ...this.snapshotWaiting.splice(0)]) waiter.reject(error);
    this.options.onFailure(error);
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function recordChanges(collection: LokiCollection, enabled: boolean): void {
  collection.disableChangesApi = !enabled;
  collection.disableDeltaChangesApi = true;
}

function serializeWithGeneration(db: LokiDatabase, generation: number): string {
  const holder = db as unknown as Record<string, unknown>;
  holder[GENERATION_KEY] = generation;
  try {
    return db.serialize();
  } finally {
    delete holder[GENERATION_KEY];
  }
}

/** Applies one journal's lines to the database, in order, keeping every document's `$loki` id. */
function replay(db: LokiDatabase, file: string, text: string): void {
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line === '') return;
    let entries: unknown;
    try {
      entries = JSON.parse(line);
    } catch {
      // An append cut short by a kill: the last line, never acknowledged. Anywhere else, the file is damaged.
      if (index === lines.length - 1) return;
      throw new JournalDamagedError(file, index + 1, 'not a complete line');
    }
    if (!Array.isArray(entries) || !entries.every(isEntry)) throw new JournalDamagedError(file, index + 1, 'not a list of changes');
    for (const entry of entries) {
      const problem = apply(db, entry);
      if (problem) throw new JournalDamagedError(file, index + 1, problem);
    }
  });
}

function isDocument(value: unknown): value is LokiDocument {
  return typeof value === 'object' && value !== null && Number.isInteger((value as { $loki?: unknown }).$loki);
}

/** Whether a parsed value has the shape of a journal entry (what apply() then checks against the database). */
function isEntry(value: unknown): value is JournalEntry {
  if (!Array.isArray(value) || typeof value[1] !== 'string') return false;
  switch (value[0]) {
    case 'add':
      return value.length === 3 && (value[2] === null || typeof value[2] === 'object');
    case 'remove':
      return value.length === 2;
    case 'I':
    case 'U':
      return value.length === 3 && isDocument(value[2]);
    case 'R':
      return value.length === 3 && Number.isInteger(value[2]);
    default:
      return false;
  }
}

/** Applies one change; returns what is wrong if the database cannot take it. */
function apply(db: LokiDatabase, entry: JournalEntry): string | undefined {
  if (entry[0] === 'add') {
    db.addCollection(entry[1], entry[2] ?? undefined);
    return undefined;
  }
  if (entry[0] === 'remove') {
    db.removeCollection(entry[1]);
    return undefined;
  }
  const collection = db.collections.find((candidate) => candidate.name === entry[1]);
  if (!collection) return `a change to collection ${entry[1]}, which does not exist`;
  if (entry[0] === 'R') {
    const document = collection.get(entry[2]);
    if (!document) return `removes document ${entry[2]} of ${entry[1]}, which does not exist`;
    collection.remove(document);
    return undefined;
  }
  // LokiJS rewrites `meta` (revision, times) on insert and update: it gets the journal's copy back afterwards.
  const { $loki: id, meta, ...fields } = entry[2];
  const metaCopy = typeof meta === 'object' && meta !== null ? { ...meta } : meta;
  let document: LokiDocument;
  if (entry[0] === 'U') {
    if (!collection.get(id)) return `updates document ${id} of ${entry[1]}, which does not exist`;
    document = collection.update({ ...fields, $loki: id, meta: metaCopy });
  } else {
    // LokiJS gives ids in order (maxId + 1): set it so the document gets its own id back.
    if (id <= collection.maxId) return `inserts document ${id} of ${entry[1]} after ${collection.maxId}`;
    collection.maxId = id - 1;
    document = collection.insert({ ...fields, meta: metaCopy });
  }
  if (meta !== undefined) document.meta = meta;
  return undefined;
}
