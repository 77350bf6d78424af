// The Microsoft 365 Agents Toolkit project files (m365agents.yml, m365agents.local.yml), read as the toolkit reads
// them: every file they name exists in the repo or is what a script of ours writes, every npm script they run
// exists, and every ${{VAR}} they use is set by then. The toolkit's CLI checks the files against its own schema
// (README: what was checked offline); these tests keep them true as the repo changes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ENV_DIR, parseEnvFile, placeholdersIn, ROOT } from '../../scripts/app-manifest.js';
import { APP_PACKAGE_DIR, ENV_OVERRIDES, packageFileName } from '../../scripts/package-app.js';
import { RUNTIME_FILES, STAGE_DIR } from '../../scripts/stage-app.js';
import { CONFIG_VARIABLES } from '../../src/config.js';

interface Action {
  uses: string;
  name?: string;
  env?: Record<string, string>;
  with: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface ProjectFile {
  version: string;
  projectId: string;
  environmentFolderPath?: string;
  provision?: Action[];
  deploy?: Action[];
  publish?: Action[];
}
const LIFECYCLES = ['provision', 'deploy', 'publish'] as const;

/** The actions these files use, with the `with` keys the toolkit's schema (v1.11) requires of each. */
const REQUIRED_WITH: Readonly<Record<string, readonly string[]>> = {
  'teamsApp/create': ['name'],
  'arm/deploy': ['subscriptionId', 'resourceGroupName', 'templates'],
  'cli/runNpmCommand': ['args'],
  'teamsApp/validateAppPackage': ['appPackagePath'],
  'teamsApp/update': ['appPackagePath'],
  'teamsApp/publishAppPackage': ['appPackagePath'],
  'azureAppService/zipDeploy': ['artifactFolder', 'resourceId'],
  'botAadApp/create': ['name'],
  'botFramework/create': ['botId', 'name', 'messagingEndpoint'],
  'file/createOrUpdateEnvironmentFile': ['target', 'envs'],
};
/** Set by the toolkit itself, or asked for by it when empty. */
const BUILT_IN = ['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];

function readProject(file: string): { text: string; project: ProjectFile } {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const document = parseDocument(text, { strict: true, uniqueKeys: true });
  expect(document.errors, `${file} parses`).toEqual([]);
  expect(document.warnings, `${file} parses`).toEqual([]);
  return { text, project: document.toJS() as ProjectFile };
}

const relative = (absolute: string) => `./${path.relative(ROOT, absolute).split(path.sep).join('/')}`;
const packagePath = relative(path.join(APP_PACKAGE_DIR, packageFileName('${{TEAMSFX_ENV}}')));
const bicepOutputs = [...readFileSync(path.join(ROOT, 'infra', 'azure.bicep'), 'utf8').matchAll(/^output\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map(
  (match) => match[1] ?? '',
);
const npmScripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** What an action writes to the environment: its writeToEnvironmentFile names, and for arm/deploy the template's outputs. */
function writtenBy(action: Action): string[] {
  return [...Object.values(action.writeToEnvironmentFile ?? {}), ...(action.uses === 'arm/deploy' ? bicepOutputs : [])];
}

/** Each ${{VAR}} an action reads that is set neither by the environment file, nor by the toolkit, nor by an earlier action. */
function unsetVariables(project: ProjectFile, fromFile: readonly string[], suppliedByUser: readonly string[]): string[] {
  const known = new Set([...BUILT_IN, ...fromFile, ...suppliedByUser]);
  const missing: string[] = [];
  // Provision runs first; deploy and publish see what it wrote.
  for (const lifecycle of LIFECYCLES) {
    for (const action of project[lifecycle] ?? []) {
      for (const name of placeholdersIn(JSON.stringify({ with: action.with, env: action.env }))) {
        if (!known.has(name)) missing.push(`${lifecycle}/${action.uses}: ${name}`);
      }
      for (const name of writtenBy(action)) known.add(name);
    }
  }
  return missing;
}

function checkActions(file: string, project: ProjectFile): void {
  for (const lifecycle of LIFECYCLES) {
    const actions = project[lifecycle] ?? [];
    actions.forEach((action, index) => {
      const where = `${file} ${lifecycle}[${index}] ${action.uses}`;
      expect(REQUIRED_WITH[action.uses], `${where}: an action these tests know`).toBeDefined();
      for (const key of REQUIRED_WITH[action.uses] ?? []) expect(action.with, where).toHaveProperty(key);
      const earlier = actions.slice(0, index);
      const ranScript = (script: string) =>
        earlier.some((candidate) => candidate.uses === 'cli/runNpmCommand' && String(candidate.with.args).startsWith(`run ${script}`));
      if (action.uses === 'cli/runNpmCommand') {
        const args = String(action.with.args);
        const script = /^run (\S+)/.exec(args)?.[1];
        if (script) expect(npmScripts, `${where}: npm script "${script}"`).toHaveProperty(script);
        else expect(args, where).toMatch(/^(install|ci)\b/);
        // The package script takes only these variables from the environment.
        for (const name of Object.keys(action.env ?? {})) expect(ENV_OVERRIDES, `${where}: env ${name}`).toContain(name);
      }
      if ('appPackagePath' in action.with) {
        expect(action.with.appPackagePath, `${where}: the zip npm run package writes`).toBe(packagePath);
        expect(ranScript('package -- --env ${{TEAMSFX_ENV}}'), `${where}: built earlier in ${lifecycle}`).toBe(true);
      }
      if (action.uses === 'azureAppService/zipDeploy') {
        expect(action.with.artifactFolder, `${where}: the folder npm run stage writes`).toBe(relative(STAGE_DIR));
        expect(ranScript('stage'), `${where}: staged earlier in ${lifecycle}`).toBe(true);
        expect(action.with.resourceId).toBe('${{AZURE_APP_SERVICE_RESOURCE_ID}}');
      }
    });
  }
}

describe('m365agents.yml (Azure: provision, deploy, publish)', () => {
  const { text, project } = readProject('m365agents.yml');
  const devEnv = parseEnvFile(readFileSync(path.join(ENV_DIR, '.env.dev'), 'utf8'));

  it('is a project file of a schema version the toolkit knows, with its environments in env/', () => {
    expect(project.version).toBe('v1.11');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/${project.version}/yaml.schema.json`);
    // A fixed projectId: without one the toolkit writes a new one into the file on its first run.
    expect(project.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(project.environmentFolderPath).toBe(relative(ENV_DIR));
    expect(devEnv.TEAMSFX_ENV).toBe('dev');
  });

  it('provisions with the templates in infra/, whose parameters file needs no variable', () => {
    const arm = project.provision?.filter((action) => action.uses === 'arm/deploy') ?? [];
    expect(arm).toHaveLength(1);
    const templates = arm[0]?.with.templates as { path: string; parameters: string; deploymentName: string }[];
    expect(templates.map((template) => template.path)).toEqual(['./infra/azure.bicep']);
    for (const template of templates) {
      expect(existsSync(path.join(ROOT, template.path)), template.path).toBe(true);
      expect(existsSync(path.join(ROOT, template.parameters)), template.parameters).toBe(true);
      expect(placeholdersIn(readFileSync(path.join(ROOT, template.parameters), 'utf8')), template.parameters).toEqual([]);
    }
    // fail() in azure.bicep needs Bicep 0.33 or newer.
    const [minor] = /^v0\.(\d+)\.\d+$/.exec(String(arm[0]?.with.bicepCliVersion))?.slice(1) ?? [];
    expect(Number(minor)).toBeGreaterThanOrEqual(33);
  });

  it('runs only known actions, on files the repo has or its scripts write, with npm scripts that exist', () => {
    checkActions('m365agents.yml', project);
    expect(project.provision?.map((action) => action.uses)).toEqual(
      expect.arrayContaining(['teamsApp/create', 'arm/deploy', 'teamsApp/validateAppPackage', 'teamsApp/update']),
    );
    expect(project.deploy?.map((action) => action.uses)).toContain('azureAppService/zipDeploy');
    expect(project.publish?.map((action) => action.uses)).toContain('teamsApp/publishAppPackage');
  });

  it('uses only variables that env/.env.dev, the toolkit or an earlier action sets', () => {
    expect(unsetVariables(project, Object.keys(devEnv), [])).toEqual([]);
    // Caught: a variable nobody sets.
    const broken: ProjectFile = { ...project, deploy: [{ uses: 'cli/runNpmCommand', with: { args: 'run stage -- ${{NOBODY_SETS_THIS}}' } }] };
    expect(unsetVariables(broken, Object.keys(devEnv), [])).toEqual(['deploy/cli/runNpmCommand: NOBODY_SETS_THIS']);
  });

  it('stages everything the running bot reads from the repo', () => {
    const app = readFileSync(path.join(ROOT, 'src', 'app.ts'), 'utf8');
    const read = [...app.matchAll(/path\.join\(root, '([^']+)'\)/g)].map((match) => match[1] ?? '');
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(RUNTIME_FILES, `src/app.ts reads ${name}`).toContain(name);
    for (const name of RUNTIME_FILES) expect(existsSync(path.join(ROOT, name)), name).toBe(true);
  });
});

describe('m365agents.local.yml (local debugging in Teams)', () => {
  const { text, project } = readProject('m365agents.local.yml');
  /** The tunnel's address, which only the developer knows: the file's header says where to set it. */
  const SUPPLIED_BY_DEVELOPER = ['BOT_ENDPOINT', 'BOT_DOMAIN'];

  it('has the same schema version and projectId as m365agents.yml', () => {
    const { project: remote } = readProject('m365agents.yml');
    expect(project.version).toBe(remote.version);
    expect(project.projectId).toBe(remote.projectId);
    for (const name of SUPPLIED_BY_DEVELOPER) expect(text.split('\n').slice(0, 8).join('\n')).toContain(name);
  });

  it('runs only known actions, on files the repo has or its scripts write, with variables that are set', () => {
    checkActions('m365agents.local.yml', project);
    expect(unsetVariables(project, [], SUPPLIED_BY_DEVELOPER)).toEqual([]);
  });

  it("writes the bot's own settings, which src/config.ts reads, for npm run start:teams", () => {
    const write = project.deploy?.find((action) => action.uses === 'file/createOrUpdateEnvironmentFile');
    expect(write?.with.target).toBe('./.localConfigs');
    for (const name of Object.keys(write?.with.envs as Record<string, unknown>)) expect(CONFIG_VARIABLES, name).toContain(name);
    expect(npmScripts['start:teams']).toContain('--env-file=.localConfigs');
  });
});
