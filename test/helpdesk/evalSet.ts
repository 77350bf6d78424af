/**
 * The help desk's evaluation set: questions as help-desk staff, makers and CoE members type them, written from
 * seed 004 and content-sources.md §3 (not from the matcher's words), each with what a right answer is and why.
 *
 * Expectations: `L300` (an answer about support maturity level 300), `L300:entry` (that answer, from that entry),
 * `T:critical` (an answer naming that tier, from the facts or an entry), `T:critical:entry`, `G:entry` (a guide
 * entry with no single level or tier), `form` (the tier form) and `unknown` (outside what the content can answer).
 *
 * TUNING is what the matcher and the curated phrasings may be tuned on. HELD_OUT is never tuned on: the eval prints
 * only its figures, never its misses, so it stays a set the matcher has not seen.
 */
export type Expectation =
  | { kind: 'level'; level: 100 | 200 | 300 | 400 | 500; entry?: string }
  | { kind: 'tier'; tier: 'productivity' | 'important' | 'critical'; entry?: string }
  | { kind: 'guide'; entry: string }
  | { kind: 'form' }
  | { kind: 'unknown' };

export interface EvalCase {
  question: string;
  expect: Expectation;
  why: string;
}

function parse(spec: string): Expectation {
  if (spec === 'form' || spec === 'unknown') return { kind: spec };
  const [head, a, b] = spec.split(':');
  if (head === 'G') return { kind: 'guide', entry: a! };
  if (head === 'T') return { kind: 'tier', tier: a as 'productivity' | 'important' | 'critical', ...(b ? { entry: b } : {}) };
  const level = Number(head!.slice(1)) as 100 | 200 | 300 | 400 | 500;
  if (!head!.startsWith('L') || ![100, 200, 300, 400, 500].includes(level)) throw new Error(`Bad expectation "${spec}"`);
  return { kind: 'level', level, ...(a ? { entry: a } : {}) };
}

export const cases = (rows: ReadonlyArray<readonly [string, string, string]>): EvalCase[] =>
  rows.map(([question, spec, why]) => ({ question, expect: parse(spec), why }));

export const TUNING: EvalCase[] = cases([
  // Level 100 (seed 004): makers on their own, no rules, an unprepared help desk, business-unit silos.
  [
    'makers here just fix their own apps when they break, nobody else helps',
    'L100:makers-support-own',
    '100: makers support their own apps and flows',
  ],
  [
    'there are no rules about whether IT or the business supports a flow',
    'L100:no-support-rules',
    '100: no or limited rules on IT vs business support',
  ],
  ['our service desk has never heard of power automate', 'L100:helpdesk-unprepared', "100: the help desk isn't aware of Power Platform"],
  [
    "each department figures out its own support for power apps, it's different everywhere",
    'L100:business-unit-silos',
    '100: business units support each other in silos',
  ],
  [
    'the help desk cant handle power platform tickets at all',
    'L100:helpdesk-unprepared',
    "100: the help desk isn't prepared for Power Platform queries",
  ],
  [
    'makers in finance get way better support than makers in logistics, why?',
    'L100:business-unit-silos',
    '100: support depends on the maturity of the department',
  ],
  ['what level are we if every maker looks after their own stuff', 'L100:makers-support-own', '100: makers support their own apps'],
  // Level 200: community experts, an informal channel, self-taught lifecycle, a help desk for common issues.
  [
    'a few power platform enthusiasts are trying to connect makers into a support network',
    'L200:community-experts',
    '200: passionate experts build a support network',
  ],
  ['a Teams channel for maker Q&A the CoE barely looks at', 'L200:informal-channel', '200: discussion channel with little CoE oversight'],
  [
    'new makers only find our Q&A channel by word of mouth',
    'L200:informal-channel',
    '200: makers discover the channel through word of mouth',
  ],
  [
    "every maker learned ALM on their own, there's no shared process for releases",
    'L200:lifecycle-self-taught',
    "200: lifecycle depends on the maker's own knowledge",
  ],
  [
    'the helpdesk only knows how to fix a couple of the most common power apps problems',
    'L200:helpdesk-common-issues',
    '200: the help desk handles a few common issues',
  ],
  [
    "we rely on a couple of passionate power users to answer everyone's questions",
    'L200:community-experts',
    '200: community support driven by passionate individuals',
  ],
  [
    'solution lifecycle depends on what each maker knows',
    'L200:lifecycle-self-taught',
    "200: lifecycle stages depend on the maker's knowledge",
  ],
  // Level 300: the help desk handles known issues, a risk profile, a monitored channel; who handles what (§3.4).
  ['what does the help desk handle for power platform?', 'L300:helpdesk-scope', '§3.4 and 300: what the help desk handles'],
  [
    'can the service desk deal with all known power apps issues?',
    'L300:helpdesk-scope',
    '300: help desk prepared for all known and expected issues',
  ],
  ['who gives extended support when the help desk is stuck?', 'L300', '300: the CoE provides extended support when required'],
  [
    'how do makers figure out the risk profile of their solution?',
    'L300:risk-profile',
    '300: makers assess the risk profile through a decision matrix',
  ],
  ['what is the decision matrix for support levels?', 'L300:risk-profile', '300: a defined risk profile dictates the level of support'],
  ['where do makers ask questions?', 'L300:monitored-channel', '300 and §3.6: the internal discussion channel, monitored by the CoE'],
  [
    'our maker channel runs itself mostly and CoE folks keep an eye on it',
    'L300:monitored-channel',
    '300: self-sustaining channel monitored by the CoE',
  ],
  ['where can I get help building my first flow?', 'L300:maker-help', '§3.6: maker support types while building'],
  ['how do we get the help desk ready for power platform', 'L300:helpdesk-readiness', '§3.4: scope, readiness, training, knowledge base'],
  ['should the help desk keep a knowledge base for power apps?', 'L300:helpdesk-readiness', '§3.4: keep a knowledge base up to date'],
  ['how do I request access to an app someone shared?', 'L300:access-request', '§3.4: the help desk answers how to request access to apps'],
  [
    'I need access to the SQL database behind an app, who do I ask?',
    'L300:access-request',
    '§3.1: the help desk handles requests for access to a back-end data source',
  ],
  ['how do I get a new environment?', 'L300:environment-request', '§3.4: environment requests are help desk work'],
  ['can I get the salesforce connector enabled', 'L300:connector-request', '§3.4: connector requests should be handled quickly'],
  ['raise a support ticket', 'L300:raise-ticket', '§3.1: the help desk handles formal support issues and requests'],
  ['how do I log a support case for power apps', 'L300:raise-ticket', 'a support case is raised with the help desk first'],
  ['escalate to Microsoft support', 'L300:microsoft-ticket', '§3.1: Microsoft support for platform-level issues'],
  [
    'power automate seems down for everyone, do we open a case with microsoft?',
    'L300:microsoft-ticket',
    '§3.1: check service health, then an admin raises a Microsoft ticket',
  ],
  [
    "how does escalation work if the help desk can't fix it?",
    'L300:escalation-path',
    '§3.4: escalation path from the help desk to the dedicated team',
  ],
  ["my flow's response time is slow", 'L300:solution-problem', 'a problem with one solution goes to whoever supports it, not SLAs'],
  [
    'the expense app keeps throwing an error, who do I contact?',
    'L300:solution-problem',
    'the help desk redirects solution questions to whoever supports it',
  ],
  [
    'how do I contact the CoE team?',
    'L300:contact-coe',
    '§3.6: post in the CoE-monitored channel; the CoE is not the dedicated support team',
  ],
  [
    'can I just message the CoE directly with my question?',
    'L300:contact-coe',
    '§3.6: ask makers to post in the channel rather than contact the CoE directly',
  ],
  // Level 400: dedicated team, continuous improvement, roles, SLAs.
  ['is there an SLA?', 'L400:sla', '400: SLAs define help desk support expectations'],
  ['what response times should the help desk commit to', 'L400:sla', '400: SLAs; §3.4 expectations for response and resolution'],
  ['do we need a dedicated power platform support team?', 'L400:dedicated-team', '400: dedicated support team'],
  ['what does the dedicated support team do', 'L400:dedicated-team', '§3.1: handles complex issues escalated by the help desk'],
  ['is the help desk available 24/7?', 'L400:helpdesk-hours', '§3.4: decide on-call and 24/7 expectations, set in SLAs (400)'],
  ['who is on call for power platform issues at night?', 'L400:helpdesk-hours', '§3.4: decide if anyone is on call'],
  [
    "where does the help desk's job end and the dedicated team's begin?",
    'L400:roles-responsibilities',
    '400: clearly understood roles and responsibilities',
  ],
  [
    'how do we keep improving support in line with the business strategy',
    'L400:continuous-improvement',
    '400: continuous improvement plans in line with business strategy',
  ],
  ['service level agreements for extended support', 'L400:sla', '400: SLAs include extended support'],
  // Level 500: automation, ownership, feedback loops, KPIs, automation that adds value.
  ['can we automate support tasks?', 'L500:automated-support', '500: automation of support activities'],
  ['should we build a bot for FAQs', 'L500:automated-support', '500: bot for FAQs'],
  [
    'a maker left the company, how do we change the owner of their flows?',
    'L500:ownership-change',
    '500: automation of change of ownership',
  ],
  ['who is the owner of this app?', 'L500:ownership-understood', '500: ownership to build and operate solutions fully understood'],
  [
    "who is responsible for operating a solution once it's live?",
    'L500:ownership-understood',
    '500: responsibilities to build and operate solutions',
  ],
  [
    'how does the help desk give feedback to the CoE?',
    'L500:feedback-loops',
    '500: bidirectional feedback loops between help desk and CoE',
  ],
  ['what KPIs measure community engagement', 'L500:kpis', '500: KPIs measure community engagement and satisfaction'],
  ['how do we measure maker satisfaction with support', 'L500:kpis', '500: KPIs measure satisfaction'],
  [
    'automatic access to the maker community when someone starts building',
    'L500:automation-user-value',
    '500: automation adds value, e.g. automatic access to the community',
  ],
  [
    'can the help desk use scripts and APIs to work faster',
    'L500:automation-user-value',
    '500: APIs and scripts that increase speed and reduce error',
  ],
  // The tiers and their labels (§3.2, §3.3).
  ['what does IT blessed mean?', 'T:important:tier-important', '§3.3: IT blessed = Important'],
  ['what is maker supported?', 'T:productivity:tier-productivity', '§3.3: maker supported = Productivity'],
  ['explain IT supported', 'T:critical:tier-critical', '§3.3: IT supported = Critical'],
  ['what environments does a critical app need', 'T:critical', '§3.2: dedicated dev/test/prod managed by central IT'],
  ['what ALM is required for an important app?', 'T:important', '§3.2: ALM required, manual export/import acceptable'],
  ['what does the productivity tier mean', 'T:productivity:tier-productivity', '§3.2: Productivity tier'],
  // The six kinds of support and who handles what (§3.1, §3.6).
  ['what is team-assisted support?', 'T:important:team-assisted', '§3.1: team-assisted support; the Important tier'],
  ['what is self-support', 'T:productivity:self-support', '§3.1: self-support; the Productivity tier'],
  [
    'can a partner give us 24/7 support for our critical apps?',
    'T:critical:partner',
    '§3.1: partners can cover critical apps, including 24/7',
  ],
  ['should we outsource power platform support to a partner', 'T:critical:partner', '§3.1: partner support complements internal support'],
  ['what kinds of support are there for power platform?', 'G:kinds-of-support', '§3.1: six kinds of support'],
  ['who handles what: help desk, CoE, makers?', 'G:kinds-of-support', '§3.1: who handles what'],
  ['how do we hand over a critical app to the central support team?', 'T:critical:handover', '§3.3: a handover path to the dedicated team'],
  [
    'my app started small but now lots of people use it, what now?',
    'T:important:graduation',
    '§3.3: graduation path as the user base grows',
  ],
  ['how does a solution graduate to more formal support?', 'T:important:graduation', '§3.3: graduation path'],
  ['is support centralised or decentralised?', 'G:delivery-models', '§3.1: delivery model affects who supports'],
  ["in a decentralised org who supports makers' apps?", 'G:delivery-models', '§3.1: decentralized: team-assisted support dominates'],
  // Facts in the question decide the tier (§3.3: user base and business impact).
  ['which tier for a Power App used by ~5000 people across every region', 'T:critical', 'large, enterprise-wide user base'],
  ['a canvas app all 8,000 of our staff use', 'T:critical', '8,000 staff: enterprise-wide user base'],
  ['if it goes down the factory stops', 'T:critical', 'high business impact described in words'],
  ['who suports org-wide flows', 'T:critical', 'organisation-wide user base (with a typo)'],
  ['who supports a Power App used by the whole company?', 'T:critical', 'whole company: enterprise-wide'],
  ['who looks after a flow only my team of five uses?', 'T:productivity', 'a small team'],
  ['support for an app used by one department', 'T:important', 'scoped to one business unit'],
  ['a flow just for me that renames files', 'T:productivity', 'individual productivity'],
  ['app used by about 300 people in the sales division', 'T:important', 'one business unit'],
  ['our payroll approvals app, if it breaks nobody gets paid', 'T:critical', 'high business impact'],
  ['a small team app that handles patient records', 'T:important', "sensitive data: at least Important (this project's guidance)"],
  [
    'an app for three colleagues that our customers also log into',
    'T:important',
    "external users: at least Important (this project's guidance)",
  ],
  ['who supports an app used by twelve people where nobody would notice if it stopped', 'T:productivity', 'small team, low impact'],
  ['the whole company uses this flow, what support does it get', 'T:critical', 'enterprise-wide'],
  ['which support level for a mission-critical app', 'T:critical', 'mission-critical: high impact'],
  ['an app for the HR department only, medium importance', 'T:important', 'one business unit, medium impact'],
  // No deciding facts: the tier form (pre-filled with what was understood).
  ['which support tier does my app need?', 'form', 'no facts given'],
  ['what support level applies to our expense app?', 'form', 'no facts given'],
  ['how should we support the new inventory app?', 'form', 'no facts given'],
  ['help me classify my solution', 'form', 'no facts given'],
  ['a complex app that took six months to build, which tier?', 'form', 'complexity and build time are considerations, not deciding facts'],
  ['what tier is an app with sensitive data', 'form', 'sensitive data sets a minimum, user base and impact unknown'],
  // Typos.
  ['wat does the helpdsk handle', 'L300:helpdesk-scope', 'typos of help desk scope'],
  ['is ther an SLA for power aps', 'L400:sla', 'typos of SLA'],
  ['how do i raise a tikcet', 'L300:raise-ticket', 'typo of ticket'],
  ['who is the ownr of this flow', 'L500:ownership-understood', 'typo of owner'],
  ['dedicted support team?', 'L400:dedicated-team', 'typo of dedicated'],
  // More paraphrases and in-domain out-of-scope questions, added to tune on (the held-out part is unchanged).
  ['our help desk is clueless about power apps', 'L100:helpdesk-unprepared', "100: the help desk isn't aware of Power Platform"],
  [
    'it depends on your department whether anyone helps you with a flow',
    'L100:business-unit-silos',
    '100: support depends on the department',
  ],
  ['nobody defined what IT supports versus what the business supports', 'L100:no-support-rules', '100: no rules on IT vs business support'],
  ['power users in the community are the only support we have', 'L200:community-experts', '200: community support driven by experts'],
  ['the CoE has little oversight of the discussion channel', 'L200:informal-channel', '200: little CoE oversight'],
  [
    'makers deploy to production however they personally learned',
    'L200:lifecycle-self-taught',
    "200: lifecycle depends on the maker's knowledge",
  ],
  ['service desk resolves just the most frequent power automate tickets', 'L200:helpdesk-common-issues', '200: a few common issues'],
  ['which issues should go to the help desk and which to the CoE?', 'L300:helpdesk-scope', '300: help desk with CoE extended support'],
  ['who helps makers when they have a question about building?', 'L300:maker-help', '§3.6: maker support'],
  ['is there a community for makers to ask each other?', 'L300:monitored-channel', '300: the discussion channel'],
  ['who do I call when my app stopped working', 'L300:solution-problem', 'a problem with one solution'],
  ['can you open an incident for me', 'L300:raise-ticket', 'raise it with the help desk'],
  ['how do I request a new power platform environment for testing', 'L300:environment-request', '§3.4: environment requests'],
  ['a premium connector is blocked, how do I get it allowed', 'L300:connector-request', '§3.4: connector requests'],
  ['how do admins raise an issue in the power platform admin center', 'L300:microsoft-ticket', '§3.1: Microsoft support'],
  ["what happens when the help desk can't solve my problem", 'L300:escalation-path', '§3.4: escalation'],
  ['how do the help desk and dedicated team divide the work', 'L400:roles-responsibilities', '400: roles and responsibilities'],
  ['support at weekends for critical issues?', 'L400:helpdesk-hours', '§3.4: on-call and 24/7'],
  ['what is a reasonable resolution time for power apps tickets', 'L400:sla', '400: SLAs'],
  ['who should own a solution in production', 'L500:ownership-understood', '500: ownership to operate solutions'],
  ['maker leaving, what happens to their apps', 'L500:ownership-change', '500: change of ownership'],
  ['how do we track how happy makers are with the community', 'L500:kpis', '500: KPIs measure satisfaction'],
  ["what's the difference between maker supported and IT blessed", 'L300:risk-profile', '300: the risk profile sets these support levels'],
  ['what is the important tier', 'T:important:tier-important', '§3.2: Important tier'],
  ['who supports an app for 2,000 people in one business unit', 'T:important', 'scoped to one business unit, despite the head-count'],
  ['an app used by two people', 'T:productivity', 'a small team'],
  ['a flow the whole plant relies on; without it production halts', 'T:critical', 'high business impact'],
  ['our global sales team of 3,000 uses this app', 'T:critical', 'large, global user base'],
  ['which tier for an app used by external partners and five internal users', 'T:important', "external users: this project's guidance"],
  ['what kind of support does my new flow need', 'form', 'no facts'],
  // In-domain words, but nothing the support content answers.
  ['how do I add a trigger to a cloud flow', 'unknown', 'building flows'],
  ['my power apps gallery shows no items', 'unknown', 'building apps (how-to), not support'],
  ['how do I share a canvas app with a security group', 'unknown', 'how-to, not support'],
  ['what is the difference between dataverse and sharepoint lists', 'unknown', 'product question'],
  ['how do I install the on-premises data gateway', 'unknown', 'how-to'],
  ['what does a power automate per user plan cost', 'unknown', 'licensing'],
  ['how do I build a copilot studio agent', 'unknown', 'building agents'],
  ['can power apps work offline', 'unknown', 'product question'],
  // Outside what the content can answer.
  ['how do I reset my laptop password', 'unknown', 'general IT'],
  ['what is the weather like in Oslo', 'unknown', 'small talk'],
  ['how many vacation days do I have left', 'unknown', 'HR'],
  ['book a meeting room for tomorrow', 'unknown', 'facilities'],
  ['how do I write a Power Fx formula to filter a gallery', 'unknown', 'building apps, not support'],
  ['what does a Power Apps premium licence cost', 'unknown', 'licensing'],
  ['how do I connect to SharePoint from a canvas app', 'unknown', 'building apps'],
  ['why is my Outlook calendar not syncing', 'unknown', 'general IT'],
  ["what's the capital of Australia", 'unknown', 'trivia'],
  ['tell me a joke', 'unknown', 'small talk'],
  ['how do I create a DLP policy', 'unknown', 'governance, not in the support content'],
  ['how much Dataverse storage do we have', 'unknown', 'capacity'],
  ['can you translate this into French', 'unknown', 'not a support question'],
  ["what's the wifi password in the office", 'unknown', 'facilities'],
  ['who won the football match yesterday', 'unknown', 'trivia'],
  ['how do I export a Power BI report to PDF', 'unknown', 'another product'],
  ['my printer is jammed', 'unknown', 'general IT'],
  ['when is the next public holiday', 'unknown', 'HR'],
]);

export const HELD_OUT: EvalCase[] = cases([
  ['honestly makers are on their own when their apps break', 'L100:makers-support-own', '100: makers support their own apps'],
  ['IT and the business never agreed who supports power apps', 'L100:no-support-rules', '100: no rules on IT vs business support'],
  [
    "service desk agents don't know what power automate even is",
    'L100:helpdesk-unprepared',
    "100: help desk isn't aware of Power Platform",
  ],
  ['support for makers depends on which business unit they sit in', 'L100:business-unit-silos', '100: support depends on the department'],
  [
    'a handful of super users are building a support network for makers',
    'L200:community-experts',
    '200: experts building a support network',
  ],
  [
    'we have a yammer group where makers help each other but nobody from the CoE moderates it',
    'L200:informal-channel',
    '200: channel with little CoE oversight',
  ],
  [
    'makers taught themselves how to move solutions between environments',
    'L200:lifecycle-self-taught',
    '200: makers learned best practices themselves',
  ],
  [
    'help desk can sort out only the most common power platform problems',
    'L200:helpdesk-common-issues',
    '200: a few of the most common issues',
  ],
  ['does our helpdesk cover power platform issues?', 'L300:helpdesk-scope', '§3.4: what the help desk handles'],
  ['where should a new maker post a question?', 'L300:monitored-channel', '§3.6: the internal community channel'],
  ['how do I open a ticket for my broken app', 'L300', 'help desk ticket, routed to whoever supports the app'],
  ['submit a support request', 'L300:raise-ticket', '§3.1: formal requests go to the help desk'],
  ['we need a microsoft support case for a platform bug', 'L300:microsoft-ticket', '§3.1: Microsoft support for platform issues'],
  ['I want a dev environment for my project', 'L300:environment-request', '§3.4: environment requests'],
  ['how long should a new connector request take?', 'L300:connector-request', '§3.4: handle connector requests quickly'],
  ['how do I get access to the travel app on my phone', 'L300:access-request', '§3.1: access to an app on a mobile device'],
  ['the approval flow is really slow today', 'L300:solution-problem', 'a problem with one solution'],
  ["what's the best way to reach the center of excellence?", 'L300:contact-coe', '§3.6: the CoE-monitored channel'],
  ["what's the escalation path for power platform issues", 'L300:escalation-path', '§3.4: escalation path'],
  ['how do makers assess the risk of what they built', 'L300:risk-profile', '300: risk profile through a decision matrix'],
  ['do we have service level agreements for power apps support?', 'L400:sla', '400: SLAs'],
  ['is there weekend support for the help desk?', 'L400:helpdesk-hours', '§3.4: on-call and 24/7 expectations'],
  ['should we set up a team dedicated to power platform support', 'L400:dedicated-team', '400: dedicated support team'],
  ['who decides where help desk responsibility stops?', 'L400:roles-responsibilities', '400: clear roles and responsibilities'],
  ['how fast will the help desk respond to my issue', 'L400:sla', '400: SLAs set response expectations'],
  ['can ownership changes be automated when someone leaves', 'L500:ownership-change', '500: automated change of ownership'],
  ['an FAQ chatbot for makers', 'L500:automated-support', '500: bot for FAQs'],
  ['how do the help desk and CoE share what they learn', 'L500:feedback-loops', '500: bidirectional feedback loops'],
  ['KPIs for support', 'L500:kpis', '500: KPIs'],
  ['who owns this flow?', 'L500:ownership-understood', '500: ownership understood'],
  ['meaning of IT blessed', 'T:important', '§3.3: IT blessed = Important'],
  ["what's an IT supported solution", 'T:critical', '§3.3: IT supported = Critical'],
  ['maker-supported apps, what does that involve?', 'T:productivity', '§3.3: maker supported = Productivity'],
  ['what does the critical tier require', 'T:critical', '§3.2: Critical requirements'],
  ["what's team assisted support", 'T:important:team-assisted', '§3.1: team-assisted'],
  ['do partners provide round the clock support?', 'T:critical:partner', '§3.1: partner 24/7 support'],
  ['who supports what in power platform', 'G:kinds-of-support', '§3.1: who handles what'],
  ['how does an app move from maker supported to IT blessed', 'T:important:graduation', '§3.3: graduation'],
  ['how do we transfer a business critical app to the dedicated team', 'T:critical', '§3.3: handover of critical apps'],
  ['an app that 20,000 employees use daily', 'T:critical', 'enterprise-wide user base'],
  ['flow used by the entire organisation', 'T:critical', 'enterprise-wide'],
  ['just me and two colleagues use this app', 'T:productivity', 'direct colleagues'],
  ['an app for our marketing department of 40 people', 'T:important', 'one business unit'],
  ["if the app is down our warehouse can't ship anything", 'T:critical', 'high business impact'],
  ['a tracker only I use', 'T:productivity', 'individual'],
  ['who supports apps used across all our regions', 'T:critical', 'enterprise-wide'],
  ['our suppliers use this portal app, the team is small', 'T:important', "external users: this project's guidance"],
  ['a personal flow with salary data', 'T:important', "sensitive data: this project's guidance"],
  ['5k users on a canvas app, which tier', 'T:critical', 'large user base'],
  ['what support tier should my flow get?', 'form', 'no facts'],
  ['help me work out who should support our new app', 'form', 'no facts'],
  ['took a year to build and is very complex, how is it supported?', 'form', 'considerations only'],
  ['wich tier for an ap used by the hole company', 'T:critical', 'typos of whole company'],
  ['is the servise desk open 24/7', 'L400:helpdesk-hours', 'typo, 24/7'],
  ['how to contcat the coe', 'L300:contact-coe', 'typo of contact'],
  ['how do I change my Teams profile picture', 'unknown', 'general IT'],
  ['what time is the all-hands meeting', 'unknown', 'not support'],
  ['install python on my laptop', 'unknown', 'general IT'],
  ["what's the difference between a canvas app and a model-driven app", 'unknown', 'building apps'],
  ['how many licences do we have for Power BI Pro', 'unknown', 'licensing'],
  ['order a new monitor', 'unknown', 'procurement'],
  ['how do I use variables in a desktop flow', 'unknown', 'building flows'],
  ["what is the company's travel policy", 'unknown', 'HR'],
  ['recommend a good restaurant nearby', 'unknown', 'small talk'],
  ['how do I unlock my account', 'unknown', 'general IT'],
  ["what's our parental leave policy", 'unknown', 'HR'],
  ['how do I make a chart in Excel', 'unknown', 'another product'],
  ['can you summarise this email', 'unknown', 'not support'],
  ["what's the dress code for the office party", 'unknown', 'small talk'],
  ["what's 17 times 23", 'unknown', 'arithmetic'],
  ['set a reminder for 3pm', 'unknown', 'not support'],
]);
