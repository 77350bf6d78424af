import { LEVELS, type MaturityModel, type Pillar } from './content.js';
import { statementIn, supportLevels, TIER_IDS, type SupportContent } from './supportContent.js';
import { ruleProblem } from './supportText.js';

/** A problem in a content file, located by a path inside the file ("capabilities[2].levels[0].level"). */
export interface ContentIssue {
  path: string;
  message: string;
}

/** Ids and ordinal levels in a list must be unique and, for levels, run 100..500 in order. */
function checkUniqueIds(items: readonly { id: string }[], listPath: string): ContentIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: ContentIssue[] = [];
  items.forEach((item, index) => {
    const earlier = firstIndex.get(item.id);
    if (earlier === undefined) firstIndex.set(item.id, index);
    else issues.push({ path: `${listPath}[${index}].id`, message: `duplicate id "${item.id}" (also at ${listPath}[${earlier}])` });
  });
  return issues;
}

function checkLevelOrder(items: readonly { level: number }[], listPath: string): ContentIssue[] {
  return items.flatMap((item, index) =>
    item.level === LEVELS[index]
      ? []
      : [
          {
            path: `${listPath}[${index}].level`,
            message: `expected level ${LEVELS[index]} here (levels run 100, 200, 300, 400, 500 once each), found ${item.level}`,
          },
        ],
  );
}

/** Rules a schema cannot express: unique ids, complete level ladders, pillar references that resolve. */
export function checkModelRules(model: MaturityModel, pillars: readonly Pillar[], basePath = ''): ContentIssue[] {
  const pillarIds = new Set(pillars.map((pillar) => pillar.id));
  // People answer what the card asks: the question must name what the model's questions judge.
  const asks = model.about === 'organisation' ? /\borgani[sz]ation\b/i : /\bteam\b/i;
  return [
    ...(asks.test(model.question)
      ? []
      : [
          {
            path: `${basePath}question`,
            message: `the questions are about the ${model.about} ("about"), so the question must say "${model.about}"`,
          },
        ]),
    ...checkLevelOrder(model.levels, `${basePath}levels`),
    ...checkUniqueIds(model.capabilities, `${basePath}capabilities`),
    ...model.capabilities.flatMap((capability, index) => [
      ...checkLevelOrder(capability.levels, `${basePath}capabilities[${index}].levels`),
      ...(capability.pillar === undefined || pillarIds.has(capability.pillar)
        ? []
        : [
            {
              path: `${basePath}capabilities[${index}].pillar`,
              message: `unknown pillar "${capability.pillar}" (pillars are: ${[...pillarIds].join(', ')})`,
            },
          ]),
    ]),
  ];
}

export function checkPillarRules(pillars: readonly Pillar[]): ContentIssue[] {
  return checkUniqueIds(pillars, 'pillars');
}

/** The tier matrix: tiers ranked lowest first, and every answer id unique, since they become card input ids. */
/** The help desk's references: statements, criteria and choices named by rules and facts must exist. */
function checkHelpDeskReferences(support: SupportContent): ContentIssue[] {
  const { criteria, escalators, rule, facts } = support.tiers;
  const { synonyms, entries } = support.questions;
  const levels = supportLevels(support);
  const criterion = (id: string) => criteria.find((candidate) => candidate.id === id);
  const choiceProblem = (criterionId: string, choiceId: string) => {
    const named = criterion(criterionId);
    if (!named) return `names criterion "${criterionId}", which tiers.criteria doesn't have`;
    return named.choices.some((choice) => choice.id === choiceId)
      ? undefined
      : `names choice "${choiceId}", which criterion "${criterionId}" doesn't have`;
  };
  const issues: (ContentIssue | undefined)[] = [
    ...rule.decidedBy.map((id, index) =>
      criterion(id) ? undefined : { path: `tiers.rule.decidedBy[${index}]`, message: `unknown criterion "${id}"` },
    ),
    ...facts.headCount.bands.map((band, index) => {
      const problem = choiceProblem(facts.headCount.criterion, band.choice);
      return problem ? { path: `tiers.facts.headCount.bands[${index}]`, message: problem } : undefined;
    }),
    ...facts.signals.flatMap((signal, index) => [
      'criterion' in signal
        ? mapProblem(`tiers.facts.signals[${index}]`, choiceProblem(signal.criterion, signal.choice))
        : escalators.some((escalator) => escalator.id === signal.escalator)
          ? undefined
          : { path: `tiers.facts.signals[${index}].escalator`, message: `unknown escalator "${signal.escalator}"` },
      ...signal.rules.map((text, ruleIndex) =>
        mapProblem(`tiers.facts.signals[${index}].rules[${ruleIndex}]`, ruleProblem(text, synonyms)),
      ),
    ]),
    mapProblem('tiers.facts.context', ruleProblem(facts.context, synonyms)),
    ...entries.flatMap((entry, index) => [
      entry.statement && !statementIn(levels, entry.statement)
        ? {
            path: `questions.entries[${index}].statement`,
            message: `level ${entry.statement.level} of the support-strategy capability has no indicator ${entry.statement.indicator}`,
          }
        : undefined,
      ...entry.rules.map((text, ruleIndex) => mapProblem(`questions.entries[${index}].rules[${ruleIndex}]`, ruleProblem(text, synonyms))),
    ]),
  ];
  return issues.filter((issue): issue is ContentIssue => issue !== undefined);
}

const mapProblem = (path: string, message: string | undefined): ContentIssue | undefined => (message ? { path, message } : undefined);

export function checkSupportRules(support: SupportContent): ContentIssue[] {
  const { tiers, criteria, escalators } = support.tiers;
  return [
    ...checkHelpDeskReferences(support),
    ...tiers.flatMap((tier, index) =>
      tier.id === TIER_IDS[index]
        ? []
        : [{ path: `tiers.tiers[${index}].id`, message: `expected "${TIER_IDS[index]}" here (tiers run ${TIER_IDS.join(', ')})` }],
    ),
    ...checkUniqueIds([...criteria, ...escalators], 'tiers.criteria+escalators'),
    ...criteria.flatMap((criterion, index) => checkUniqueIds(criterion.choices, `tiers.criteria[${index}].choices`)),
    ...checkLevelOrder(support.helpDesk, 'helpDesk'),
    ...checkUniqueIds(support.questions.entries, 'questions.entries'),
  ];
}
