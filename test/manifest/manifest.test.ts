import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildManifest,
  bundledSchemaPath,
  ENV_DIR,
  COMMAND_DESCRIPTION_MAX,
  COMMAND_TITLE_MAX,
  commandLists,
  MANIFEST_DIR,
  parseEnvFile,
  placeholdersIn,
  validateManifest,
  type CommandList,
  type Manifest,
} from '../../scripts/app-manifest.js';
import { packageApp, parseArgs } from '../../scripts/package-app.js';
import { Canvas } from '../../scripts/make-icons.js';
import { COMMANDS, type CommandSpec, type Scope } from '../../src/model/commands.js';

const exampleEnv = parseEnvFile(readFileSync(path.join(ENV_DIR, '.env.example'), 'utf8'));
const readJson = (text: string) => JSON.parse(text) as Manifest;
const clone = (manifest: Manifest) => readJson(JSON.stringify(manifest));

interface Bot {
  botId: string;
  scopes: Scope[];
  supportsFiles: boolean;
  isNotificationOnly: boolean;
  commandLists: CommandList[];
}
const botOf = (manifest: Manifest) => (manifest.bots as unknown as Bot[])[0] as Bot;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'maturity-pulse-manifest-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of manifest/ with its own env folder and file, to try bad values without touching the real files. */
function manifestDirWith(envName: string, envText: string): { manifestDir: string; envDir: string } {
  const dir = mkdtempSync(path.join(scratch, 'dir-'));
  mkdirSync(path.join(dir, 'env'));
  for (const file of ['manifest.template.json', 'color.png', 'outline.png'])
    copyFileSync(path.join(MANIFEST_DIR, file), path.join(dir, file));
  writeFileSync(path.join(dir, 'env', `.env.${envName}`), envText);
  return { manifestDir: dir, envDir: path.join(dir, 'env') };
}

describe('the manifest for the example env', () => {
  const manifest = buildManifest({ env: 'example' });

  it('is valid against the official schema, read offline from @microsoft/app-manifest', async () => {
    const schemaUrl = String(manifest.$schema);
    expect(bundledSchemaPath(schemaUrl)).toMatch(/json-schemas[\\/]teams[\\/]v1\.\d+[\\/]MicrosoftTeams\.schema\.json$/);
    expect(Number(String(manifest.manifestVersion).split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(schemaUrl).toContain(`/v${String(manifest.manifestVersion)}/`);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('has every ${{VAR}} filled in', () => {
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.id).toBe(exampleEnv.TEAMS_APP_ID);
    expect(manifest.version).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('declares the bot in personal, team and group chat scopes, conversational and without files', () => {
    const bot = botOf(manifest);
    expect(bot.botId).toBe(exampleEnv.BOT_ID);
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
  });

  it('points the tabs, developer pages, valid domains and SSO resource at BOT_DOMAIN', () => {
    const domain = exampleEnv.BOT_DOMAIN ?? '';
    expect(manifest.validDomains).toEqual([domain]);
    expect(manifest.webApplicationInfo).toEqual({ id: exampleEnv.BOT_ID, resource: `api://${domain}/${exampleEnv.BOT_ID}` });
    expect(manifest.developer).toMatchObject({
      name: 'Maturity Pulse',
      websiteUrl: `https://${domain}/`,
      privacyUrl: `https://${domain}/privacy`,
      termsOfUseUrl: `https://${domain}/terms`,
    });
    const staticTabs = manifest.staticTabs as { entityId: string; name?: string; contentUrl?: string; scopes: string[] }[];
    expect(staticTabs.find((tab) => tab.name === 'Dashboard')).toMatchObject({
      contentUrl: `https://${domain}/tab/index.html`,
      scopes: ['personal'],
    });
    const configurable = manifest.configurableTabs as { configurationUrl: string; scopes: string[] }[];
    expect(configurable).toHaveLength(1);
    expect(configurable[0]?.configurationUrl).toBe(`https://${domain}/tab/config.html`);
    expect([...(configurable[0]?.scopes ?? [])].sort()).toEqual(['groupChat', 'team']);
  });

  it('keeps the descriptions within Teams limits, in plain words', () => {
    const description = manifest.description as { short: string; full: string };
    expect(description.short.length).toBeLessThanOrEqual(80);
    expect(description.full.length).toBeLessThanOrEqual(4000);
    expect(description.full).not.toMatch(/[<>*_`#]/);
    expect(String((manifest.name as { short: string }).short).length).toBeLessThanOrEqual(30);
  });

  describe('command lists, generated from COMMANDS', () => {
    const lists = botOf(manifest).commandLists;

    it('has one list per scope', () => {
      expect(lists.map((list) => list.scopes)).toEqual([['personal'], ['team'], ['groupChat']]);
    });

    it('lists every command in each of its scopes, described as it works there', () => {
      for (const command of COMMANDS as readonly CommandSpec[]) {
        for (const scope of command.scopes) {
          const list = lists.find((candidate) => candidate.scopes.includes(scope));
          const description = command.descriptionIn?.[scope] ?? command.description;
          expect(list?.commands, `${command.name} in ${scope}`).toContainEqual({ title: command.name, description });
        }
      }
    });

    it('says in each scope what a command does there: no team posts in a personal chat, no channel in a group chat', () => {
      const listIn = (scope: string) => lists.find((list) => list.scopes.includes(scope as never))?.commands ?? [];
      const said = (scope: string) => listIn(scope).map((command) => `${command.title}: ${command.description}`);
      expect(said('personal').filter((line) => /post the team|this channel|this group chat|^(pulse|target|export):/i.test(line))).toEqual([]);
      expect(said('groupChat').filter((line) => /channel/i.test(line))).toEqual([]);
      expect(said('team').filter((line) => /group chat/i.test(line))).toEqual([]);
      expect(listIn('personal').find((command) => command.title === 'results')?.description).toMatch(/your own summary/i);
    });

    it('lists nothing that is not in COMMANDS, and nothing outside its scopes', () => {
      for (const list of lists) {
        for (const listed of list.commands) {
          const spec = (COMMANDS as readonly CommandSpec[]).find((command) => command.name === listed.title);
          expect(spec, `"${listed.title}" is in the manifest but not in COMMANDS`).toBeDefined();
          for (const scope of list.scopes) expect(spec?.scopes, `"${listed.title}" listed in ${scope}`).toContain(scope);
        }
      }
    });

    it('keeps titles and descriptions within what the Teams command menu shows', () => {
      for (const command of lists.flatMap((list) => list.commands)) {
        expect(command.title.length).toBeLessThanOrEqual(COMMAND_TITLE_MAX);
        expect(command.description.length).toBeLessThanOrEqual(COMMAND_DESCRIPTION_MAX);
      }
    });

    it('refuses a command whose description is too long for the menu', () => {
      const tooLong: CommandSpec = { name: 'x', usage: 'x', description: 'y'.repeat(COMMAND_DESCRIPTION_MAX + 1), scopes: ['personal'] };
      expect(() => commandLists([tooLong])).toThrow(/personal description of command "x"/);
    });
  });
});

describe('the schema validator', () => {
  const manifest = buildManifest({ env: 'example' });

  it('rejects a manifest with a required field missing', async () => {
    const broken = clone(manifest);
    delete broken.developer;
    const errors = await validateManifest(broken);
    expect(errors.join('\n')).toMatch(/required property 'developer'/);
  });

  it('rejects a bot id that is not a GUID and a command list over the limit', async () => {
    const broken = clone(manifest);
    const bot = botOf(broken);
    bot.botId = 'not-a-guid';
    bot.commandLists[0]?.commands.push(...Array.from({ length: 20 }, (_, index) => ({ title: `extra ${index}`, description: 'too many' })));
    const errors = (await validateManifest(broken)).join('\n');
    expect(errors).toMatch(/\/bots\/0\/botId must match pattern/);
    expect(errors).toMatch(/\/bots\/0\/commandLists\/0\/commands must NOT have more than \d+ items/);
  });

  it('refuses a schema version the package does not bundle instead of fetching it', async () => {
    const unknown = { ...clone(manifest), $schema: 'https://developer.microsoft.com/json-schemas/teams/v9.99/MicrosoftTeams.schema.json' };
    await expect(validateManifest(unknown)).rejects.toThrow(/not bundled/);
  });
});

describe('env files and placeholders', () => {
  it('reads KEY=value lines with comments, quotes and export', () => {
    const parsed = parseEnvFile(
      ['# comment', '', 'A=one', 'export B = two # trailing comment', 'C=" (local)"', "D='x # y'", 'E=', 'F="a\\nb"'].join('\n'),
    );
    expect(parsed).toEqual({ A: 'one', B: 'two', C: ' (local)', D: 'x # y', E: '', F: 'a\nb' });
  });

  it('reports the line of a malformed entry', () => {
    expect(() => parseEnvFile('A=1\nnot a line', '.env.x')).toThrow(/\.env\.x:2: expected KEY=value/);
  });

  it('names every unset variable in one clear message', () => {
    const dir = manifestDirWith('partial', 'TEAMS_APP_ID=00000000-0000-4000-8000-000000000001\nAPP_NAME_SUFFIX=\n');
    expect(() => buildManifest({ env: 'partial', ...dir })).toThrow(
      /Cannot build the manifest: BOT_DOMAIN is not set; BOT_ID is not set\./,
    );
  });

  it('refuses an empty BOT_ID but allows an empty APP_NAME_SUFFIX', () => {
    const dir = manifestDirWith(
      'empty',
      'TEAMS_APP_ID=00000000-0000-4000-8000-000000000001\nBOT_ID=\nBOT_DOMAIN=bot.example.com\nAPP_NAME_SUFFIX=\n',
    );
    expect(() => buildManifest({ env: 'empty', ...dir })).toThrow(/BOT_ID is empty/);
    const ok = buildManifest({ env: 'empty', ...dir, overrides: { BOT_ID: '00000000-0000-4000-8000-000000000002' } });
    expect((ok.name as { short: string }).short).toBe('Maturity Pulse');
  });

  it('refuses a BOT_DOMAIN with a scheme or a path', () => {
    const dir = manifestDirWith(
      'url',
      'TEAMS_APP_ID=00000000-0000-4000-8000-000000000001\nBOT_ID=00000000-0000-4000-8000-000000000002\nBOT_DOMAIN=https://bot.example.com/\nAPP_NAME_SUFFIX=\n',
    );
    expect(() => buildManifest({ env: 'url', ...dir })).toThrow(/BOT_DOMAIN must be a host name only/);
  });

  it('explains how to make a missing env file', () => {
    expect(() => buildManifest({ env: 'nosuchenv' })).toThrow(/env\/\.env\.nosuchenv does not exist\. Copy env\/\.env\.dev to it/);
    expect(() => buildManifest({ env: '../etc' })).toThrow(/Bad environment name/);
  });

  it('has a dev environment (for the Agents Toolkit) with every variable of the example, covering every placeholder in the template', () => {
    const dev = parseEnvFile(readFileSync(path.join(ENV_DIR, '.env.dev'), 'utf8'));
    expect(Object.keys(dev)).toEqual(expect.arrayContaining(Object.keys(exampleEnv)));
    const template = readFileSync(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8');
    for (const name of placeholdersIn(template)) expect([...Object.keys(exampleEnv), 'APP_VERSION'], name).toContain(name);
  });

  it("keeps secrets and a developer's local values out of git, as the Agents Toolkit does", () => {
    const ignore = readFileSync('.gitignore', 'utf8');
    expect(ignore).toMatch(/^env\/\.env\.\*\.user$/m);
    expect(ignore).toMatch(/^env\/\.env\.local$/m);
    expect(ignore).toMatch(/^\.localConfigs$/m);
  });

  it('reads --env from the command line', () => {
    expect(parseArgs([])).toEqual({ env: 'example' });
    expect(parseArgs(['--env', 'dev'])).toEqual({ env: 'dev' });
    expect(parseArgs(['--env=dev'])).toEqual({ env: 'dev' });
    expect(() => parseArgs(['--env'])).toThrow(/needs a value/);
    expect(() => parseArgs(['dev'])).toThrow(/Unknown argument/);
  });
});

describe('the icons', () => {
  const read = (file: string) => PNG.sync.read(readFileSync(path.join(MANIFEST_DIR, file)));

  it('has a 192×192 full-colour icon', () => {
    const png = read('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(16);
  });

  it('has a 32×32 outline icon that is white on transparent', () => {
    const png = read('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
      if (a === 0) transparent += 1;
      else expect([r, g, b], `pixel ${i / 4} has alpha ${a} but is not white`).toEqual([255, 255, 255]);
      if (a === 255) opaque += 1;
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
    expect(opaque).toBeGreaterThan(32 * 4);
  });

  it('draws icons that a PNG decoder reads back pixel for pixel', () => {
    const canvas = new Canvas(3, 2);
    canvas.fill(() => true, [0.2, 0.4, 0.6, 1]);
    const decoded = PNG.sync.read(canvas.toPng());
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect([...decoded.data.subarray(0, 4)]).toEqual([51, 102, 153, 255]);
  });
});

describe('npm run package', () => {
  it('writes a zip with manifest.json, color.png and outline.png, whose manifest is the validated one', async () => {
    const outDir = path.join(scratch, 'out');
    const result = await packageApp({ env: 'example', outDir });
    expect(path.basename(result.zipPath)).toBe('maturity-pulse-example.zip');
    const entries = unzipSync(readFileSync(result.zipPath));
    expect(Object.keys(entries).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const zipped = readJson(new TextDecoder().decode(entries['manifest.json']));
    expect(zipped).toEqual(buildManifest({ env: 'example' }));
    expect(zipped).toEqual(result.manifest);
    expect(await validateManifest(zipped)).toEqual([]);
    for (const icon of ['color.png', 'outline.png'])
      expect(Buffer.from(entries[icon] ?? [])).toEqual(readFileSync(path.join(MANIFEST_DIR, icon)));
  });

  it('gives the same bytes for the same inputs', async () => {
    const first = await packageApp({ env: 'example', outDir: path.join(scratch, 'a') });
    const second = await packageApp({ env: 'example', outDir: path.join(scratch, 'b') });
    expect(readFileSync(first.zipPath)).toEqual(readFileSync(second.zipPath));
  });

  it('refuses to package a manifest that fails the schema', async () => {
    const dir = manifestDirWith(
      'badid',
      'TEAMS_APP_ID=not-a-guid\nBOT_ID=00000000-0000-4000-8000-000000000002\nBOT_DOMAIN=bot.example.com\nAPP_NAME_SUFFIX=\n',
    );
    await expect(packageApp({ env: 'badid', ...dir, outDir: path.join(scratch, 'bad') })).rejects.toThrow(
      /does not match its schema[\s\S]*\/id must match pattern/,
    );
  });
});
