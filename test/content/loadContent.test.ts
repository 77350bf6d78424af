/** loadContent: the real content loads; broken copies are rejected with the file, path and problem named. */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ContentError, loadContent, parseContentFile } from '../../src/content/loadContent.js';
import { maturityModelSchema } from '../../src/model/content.js';
import { CONTENT_DIR } from './seedFacts.js';

type Json = any;

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the real content folder. */
function copyContent(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'maturity-pulse-content-'));
  tempDirs.push(dir);
  cpSync(CONTENT_DIR, dir, { recursive: true });
  return dir;
}

/** A copy of the content folder with one JSON file changed by `mutate`. */
function withBrokenFile(file: string, mutate: (json: Json) => void): string {
  const dir = copyContent();
  const filePath = path.join(dir, file);
  const json = JSON.parse(readFileSync(filePath, 'utf8'));
  mutate(json);
  writeFileSync(filePath, JSON.stringify(json, null, 2));
  return dir;
}

/** Loads `dir`, expecting a ContentError for `file`; returns it. */
function contentErrorFrom(dir: string): ContentError {
  try {
    loadContent(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError);
    return error as ContentError;
  }
  throw new Error('loadContent accepted broken content');
}

function expectRejected(dir: string, file: string, issuePath: string, problem: RegExp): ContentError {
  const error = contentErrorFrom(dir);
  expect(error.name).toBe('ContentError');
  expect(error.file).toBe(`content/${file}`);
  expect(error.message).toContain(`content/${file}`);
  expect(error.message).toContain(issuePath);
  expect(error.message).toMatch(problem);
  const issue = error.issues.find((candidate) => candidate.path === issuePath);
  expect(issue, `an issue at ${issuePath} in ${JSON.stringify(error.issues)}`).toBeDefined();
  expect(issue?.message).toMatch(problem);
  // The message puts the path and the problem on one line.
  expect(error.message.split('\n').some((line) => line.includes(issuePath) && problem.test(line))).toBe(true);
  return error;
}

describe('loadContent on the real content folder', () => {
  it('loads without error', () => {
    expect(() => loadContent(CONTENT_DIR)).not.toThrow();
  });

  it('returns the three models, the pillars and the support content', () => {
    const content = loadContent(CONTENT_DIR);
    expect(Object.keys(content.models)).toEqual(['adoption', 'automation', 'support']);
    for (const [id, model] of Object.entries(content.models)) expect(model.id).toBe(id);
    expect(content.pillars.length).toBeGreaterThan(0);
    expect(content.support.model).toBe(content.models.support);
  });

  it('loads an unchanged copy of the folder', () => {
    expect(() => loadContent(copyContent())).not.toThrow();
  });
});

describe('loadContent rejects broken content, naming the file, the path and the problem', () => {
  it('a missing field', () => {
    const dir = withBrokenFile('adoption.json', (json) => {
      delete json.capabilities[0].levels[2].choice;
    });
    expectRejected(dir, 'adoption.json', 'capabilities[0].levels[2].choice', /expected string, received undefined/);
  });

  it('a duplicate id', () => {
    const dir = withBrokenFile('automation.json', (json) => {
      json.capabilities[1].id = json.capabilities[0].id;
    });
    const error = expectRejected(dir, 'automation.json', 'capabilities[1].id', /duplicate/);
    expect(error.message).toContain('capabilities[0]');
  });

  it('a relative link', () => {
    let linkPath = '';
    const dir = withBrokenFile('adoption.json', (json) => {
      json.capabilities.some((capability: Json, c: number) =>
        capability.levels.some((level: Json, l: number) =>
          level.indicators.some((indicator: Json, i: number) =>
            indicator.links.some((link: Json, k: number) => {
              if (typeof link.url !== 'string') return false;
              link.url = 'vision.md';
              linkPath = `capabilities[${c}].levels[${l}].indicators[${i}].links[${k}].url`;
              return true;
            }),
          ),
        ),
      );
    });
    expect(linkPath).toMatch(/\.url$/);
    expectRejected(dir, 'adoption.json', linkPath, /absolute/);
  });

  it('a relative pillar link', () => {
    const dir = withBrokenFile('pillars.json', (json) => {
      json.pillars[2].link.url = 'secure-overview.md';
    });
    expectRejected(dir, 'pillars.json', 'pillars[2].link.url', /absolute https URL/);
  });

  it('a capability level ladder out of order', () => {
    const dir = withBrokenFile('adoption.json', (json) => {
      const levels = json.capabilities[3].levels;
      [levels[1], levels[2]] = [levels[2], levels[1]];
    });
    const error = expectRejected(dir, 'adoption.json', 'capabilities[3].levels[1].level', /expected level 200 here.*found 300/);
    expect(error.message).toMatch(/capabilities\[3\]\.levels\[2\]\.level: expected level 300 here.*found 200/);
  });

  it('a model level ladder out of order', () => {
    const dir = withBrokenFile('automation.json', (json) => {
      [json.levels[3], json.levels[4]] = [json.levels[4], json.levels[3]];
    });
    expectRejected(dir, 'automation.json', 'levels[3].level', /expected level 400 here.*found 500/);
  });

  it('an unknown pillar reference', () => {
    const dir = withBrokenFile('automation.json', (json) => {
      json.capabilities[2].pillar = 'no-such-pillar';
    });
    expectRejected(dir, 'automation.json', 'capabilities[2].pillar', /unknown pillar "no-such-pillar"/);
  });

  it('an unknown pillar reference in the support model, with the path inside support.json', () => {
    const dir = withBrokenFile('support.json', (json) => {
      json.model.capabilities[0].pillar = 'helpdesk';
    });
    expectRejected(dir, 'support.json', 'model.capabilities[0].pillar', /unknown pillar "helpdesk"/);
  });

  it('a duplicate pillar id', () => {
    const dir = withBrokenFile('pillars.json', (json) => {
      json.pillars[4].id = json.pillars[1].id;
    });
    expectRejected(dir, 'pillars.json', 'pillars[4].id', /duplicate id/);
  });

  it('a choice too long for a phone', () => {
    const dir = withBrokenFile('adoption.json', (json) => {
      json.capabilities[1].levels[0].choice = 'x'.repeat(221);
    });
    expectRejected(dir, 'adoption.json', 'capabilities[1].levels[0].choice', /220 characters/);
  });

  it('a question that does not say what the model judges', () => {
    const dir = withBrokenFile('adoption.json', (json) => {
      json.question = 'Which best describes your team today?';
    });
    expectRejected(dir, 'adoption.json', 'question', /about the organisation/);
    expectRejected(
      withBrokenFile('automation.json', (json) => {
        json.about = 'somewhere';
      }),
      'automation.json',
      'about',
      /organisation|team/,
    );
  });

  it('a model id that does not match its file name', () => {
    const dir = withBrokenFile('automation.json', (json) => {
      json.id = 'adoption';
    });
    expectRejected(dir, 'automation.json', 'id', /must be "automation"/);
  });

  it('a missing support tier', () => {
    const dir = withBrokenFile('support.json', (json) => {
      json.tiers.tiers.pop();
    });
    expectRejected(dir, 'support.json', 'tiers.tiers', /exactly 3 items/);
  });

  it('invalid JSON', () => {
    const dir = copyContent();
    writeFileSync(path.join(dir, 'support.json'), '{ "model": { "id": "support", ');
    const error = contentErrorFrom(dir);
    expect(error.file).toBe('content/support.json');
    expect(error.message).toContain('content/support.json');
    expect(error.message).toContain('not valid JSON');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('');
    expect(error.message).toContain('(top level)');
  });

  it('a missing file', () => {
    const dir = copyContent();
    unlinkSync(path.join(dir, 'automation.json'));
    const error = contentErrorFrom(dir);
    expect(error.file).toBe('content/automation.json');
    expect(error.message).toContain('content/automation.json');
    expect(error.message).toContain('cannot be read');
  });

  it('a missing content folder', () => {
    const error = contentErrorFrom(path.join(os.tmpdir(), 'maturity-pulse-no-such-content-folder'));
    expect(error.message).toContain('content/pillars.json');
    expect(error.message).toContain('cannot be read');
  });
});

describe('parseContentFile', () => {
  it('reports every schema problem in the file, not only the first', () => {
    const dir = withBrokenFile('adoption.json', (json) => {
      delete json.title;
      json.capabilities[0].levels[0].indicators = [];
    });
    const error = (() => {
      try {
        parseContentFile(path.join(dir, 'adoption.json'), 'content/adoption.json', maturityModelSchema);
      } catch (caught) {
        return caught;
      }
      throw new Error('parseContentFile accepted a broken file');
    })();
    expect(error).toBeInstanceOf(ContentError);
    const paths = (error as ContentError).issues.map((issue) => issue.path);
    expect(paths).toContain('title');
    expect(paths).toContain('capabilities[0].levels[0].indicators');
  });

  it('applies the rules after the schema and returns the parsed value when both pass', () => {
    const dir = copyContent();
    const schema = z.object({ id: z.string() });
    const file = path.join(dir, 'adoption.json');
    expect(parseContentFile(file, 'content/adoption.json', schema)).toEqual({ id: 'adoption' });
    expect(() =>
      parseContentFile(file, 'content/adoption.json', schema, (value) => [{ path: 'id', message: `rule saw ${value.id}` }]),
    ).toThrow(/content\/adoption\.json[\s\S]*id: rule saw adoption/);
  });
});
