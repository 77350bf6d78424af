import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { maturityModelSchema, pillarsFileSchema, type MaturityModel, type ModelId, type Pillar } from '../model/content.js';
import { checkModelRules, checkPillarRules, checkSupportRules, type ContentIssue } from '../model/contentRules.js';
import { supportContentSchema, type SupportContent } from '../model/supportContent.js';
import { messageOf } from '../errors.js';

/** Everything the bot knows about the maturity models, validated once at start-up. */
export interface Content {
  /** Every model, by id: a lookup always finds one. */
  models: Readonly<Record<ModelId, MaturityModel>>;
  pillars: readonly Pillar[];
  support: SupportContent;
}

/** A content file that cannot be used: names the file, the path inside it and each problem. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ContentIssue[],
  ) {
    super(`Content file ${file} is invalid:\n` + issues.map((issue) => `  - ${issue.path || '(top level)'}: ${issue.message}`).join('\n'));
    this.name = 'ContentError';
  }
}

function formatZodPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

function readJson(file: string, label: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ContentError(label, [{ path: '', message: `cannot be read (${messageOf(error)})` }]);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ContentError(label, [{ path: '', message: `is not valid JSON (${messageOf(error)})` }]);
  }
}

/** Parses one file against its schema, then applies the rules a schema cannot express. */
export function parseContentFile<S extends z.ZodType>(
  file: string,
  label: string,
  schema: S,
  rules: (value: z.infer<S>) => ContentIssue[] = () => [],
): z.infer<S> {
  const result = schema.safeParse(readJson(file, label));
  if (!result.success) {
    throw new ContentError(
      label,
      result.error.issues.map((issue) => ({ path: formatZodPath(issue.path), message: issue.message })),
    );
  }
  const issues = rules(result.data);
  if (issues.length > 0) throw new ContentError(label, issues);
  return result.data;
}

/** Reads and validates every file in the content folder. Throws a ContentError naming the first broken file. */
export function loadContent(contentDir: string): Content {
  const fileOf = (name: string) => ({ file: path.join(contentDir, name), label: `content/${name}` });

  const pillarsFile = fileOf('pillars.json');
  const { pillars } = parseContentFile(pillarsFile.file, pillarsFile.label, pillarsFileSchema, (value) => checkPillarRules(value.pillars));

  const readModel = (modelId: Exclude<ModelId, 'support'>): MaturityModel => {
    const { file, label } = fileOf(`${modelId}.json`);
    return parseContentFile(file, label, maturityModelSchema, (model) => [
      ...(model.id === modelId ? [] : [{ path: 'id', message: `must be "${modelId}" to match the file name` }]),
      ...checkModelRules(model, pillars),
    ]);
  };

  const supportFile = fileOf('support.json');
  const support = parseContentFile(supportFile.file, supportFile.label, supportContentSchema, (value) => [
    ...(value.model.id === 'support' ? [] : [{ path: 'model.id', message: 'must be "support" to match the file name' }]),
    ...checkModelRules(value.model, pillars, 'model.'),
    ...checkSupportRules(value),
  ]);

  return {
    models: { adoption: readModel('adoption'), automation: readModel('automation'), support: support.model },
    pillars,
    support,
  };
}
