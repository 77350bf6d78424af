import { LEVELS, type MaturityModel, type Pillar } from './content.js';
import { TIER_IDS, type SupportContent } from './supportContent.js';

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
  return [
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
export function checkSupportRules(support: SupportContent): ContentIssue[] {
  const { tiers, criteria, escalators } = support.tiers;
  return [
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
