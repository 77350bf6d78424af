import type { Logger } from 'pino';
import { Coalescer } from '../coalescer.js';
import { recentRounds, roundOf } from '../model/round.js';
import type { SupportCountRow, SupportCounts, SupportStatsStore, UnansweredQuestion } from '../store/supportStatsStore.js';

/** Counts kept beside the entries' own: questions nobody could answer, "Did you mean" cards, facts and form answers. */
export const UNANSWERED = 'unanswered';
export const SUGGESTED = 'did-you-mean';
export const TIER_FROM_QUESTION = 'tier-from-question';
export const TIER_FROM_FORM = 'tier-from-form';

export interface SupportLearningDeps {
  store: SupportStatsStore;
  /** Keep the text of unanswered questions (SUPPORT_KEEP_UNANSWERED; off by default). */
  keepUnanswered: boolean;
  now: () => Date;
  logger: Logger;
  /** How often one count row is written at most; increments in between are added up. */
  flushIntervalMs?: number;
}

export interface SupportReport {
  months: string[];
  counts: SupportCountRow[];
  /** Undefined when keeping question texts is off. */
  questions: UnansweredQuestion[] | undefined;
}

const ZERO: SupportCounts = { asked: 0, up: 0, down: 0 };
const add = (a: SupportCounts, b: SupportCounts): SupportCounts => ({ asked: a.asked + b.asked, up: a.up + b.up, down: a.down + b.down });

/**
 * What the help desk learns from use: per organisation and month, how often each answer was given and how
 * people rated it, and how many questions it couldn't answer. Counts are written off the reply's path, a few
 * per row at most every few seconds; no count records who asked.
 */
export class SupportLearning {
  private readonly counts: Coalescer<string, { tenantId: string; month: string; key: string; change: SupportCounts }>;

  constructor(private readonly deps: SupportLearningDeps) {
    this.counts = new Coalescer({
      intervalMs: deps.flushIntervalMs ?? 5_000,
      now: deps.now,
      merge: (pending, next) => ({ ...pending, change: add(pending.change, next.change) }),
      flush: (_key, { tenantId, month, key, change }) => deps.store.add(tenantId, month, key, change),
      // Never the question: only which count could not be written.
      onError: (error, key) => deps.logger.warn({ err: error, count: key.split('\n')[2] }, 'help desk count not written'),
    });
  }

  count(tenantId: string, key: string, change: Partial<SupportCounts>): void {
    const month = roundOf(this.deps.now());
    this.counts.add([tenantId, month, key].join('\n'), { tenantId, month, key, change: { ...ZERO, ...change } });
  }

  /** A question the help desk couldn't answer: counted, and its text kept only if an admin turned that on. */
  async unanswered(tenantId: string, question: string): Promise<void> {
    this.count(tenantId, UNANSWERED, { asked: 1 });
    if (this.deps.keepUnanswered) {
      const now = this.deps.now();
      await this.deps.store.keepQuestion(tenantId, roundOf(now), question, now);
    }
  }

  /** The last `monthCount` months for one organisation, newest last; question texts only when kept and asked for. */
  async report(tenantId: string, monthCount: number, withQuestions: boolean): Promise<SupportReport> {
    const months = recentRounds(roundOf(this.deps.now()), monthCount);
    const [counts, questions] = await Promise.all([
      this.deps.store.counts(tenantId, months),
      this.deps.keepUnanswered && withQuestions ? this.deps.store.questions(tenantId, months.at(-1)!, 20) : undefined,
    ]);
    return { months, counts, questions };
  }

  get keepsQuestions(): boolean {
    return this.deps.keepUnanswered;
  }

  /** Writes every count still pending. */
  async stop(): Promise<void> {
    await this.counts.stop();
  }
}
