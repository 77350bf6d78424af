// Builds the Teams app manifest from manifest/manifest.template.json, an env file (env/.env.<env>, the Agents
// Toolkit's environments, so the toolkit and `npm run package` read the same values) and the command table,
// and validates it against the official schema bundled in @microsoft/app-manifest (offline: no schema is fetched).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { COMMANDS, commandsIn, type CommandSpec, type Scope } from '../src/model/commands.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_DIR = path.join(ROOT, 'manifest');
/** The environments (.env.<name>), where the Agents Toolkit keeps them (environmentFolderPath in m365agents.yml). */
export const ENV_DIR = path.join(ROOT, 'env');

/** The template's stand-in for the bot's command lists; buildManifest replaces it from COMMANDS. */
export const COMMAND_LISTS_PLACEHOLDER = 'generated from COMMANDS in src/model/commands.ts by scripts/package-app.ts';
/** Variables the script sets itself unless the env file does. */
export const BUILT_IN_VARIABLES = ['APP_VERSION'] as const;
/** Variables that may be set to an empty value (every other one must have a value). */
export const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);
/** Teams shows at most 32 characters of a command's title and 128 of its description in the command menu. */
export const COMMAND_TITLE_MAX = 32;
export const COMMAND_DESCRIPTION_MAX = 128;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Manifest = { [key: string]: JsonValue };

export interface CommandList {
  scopes: Scope[];
  commands: { title: string; description: string }[];
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * Reads a dotenv-style file (the Agents Toolkit's env/.env.*) with Node's own dotenv parser, after checking that
 * every line is blank, a # comment or KEY=value: parseEnv skips a malformed line silently, and a typo in an env
 * file should say where it is.
 */
export function parseEnvFile(text: string, fileName = 'env file'): Record<string, string> {
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || /^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed)) return;
    throw new ManifestError(`${fileName}:${index + 1}: expected KEY=value, got ${JSON.stringify(line)}`);
  });
  return Object.fromEntries(Object.entries(parseEnv(text)).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The names of every ${{VAR}} in a text, in order of first appearance. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/**
 * Replaces every ${{VAR}} in every string of a JSON value. Substitution works on parsed strings, not on the
 * file's text, so a value with quotes or backslashes cannot break the JSON. Throws one error naming every
 * variable that is unset (or empty, unless it may be).
 */
export function substitute(value: JsonValue, variables: Readonly<Record<string, string | undefined>>): JsonValue {
  const missing = new Set<string>();
  const empty = new Set<string>();
  const walk = (node: JsonValue): JsonValue => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (_all, name: string) => {
        const replacement = variables[name];
        if (replacement === undefined) missing.add(name);
        else if (replacement === '' && !MAY_BE_EMPTY.has(name)) empty.add(name);
        return replacement ?? '';
      });
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    return node;
  };
  const result = walk(value);
  const problems = [...[...missing].map((name) => `${name} is not set`), ...[...empty].map((name) => `${name} is empty`)];
  if (problems.length > 0) throw new ManifestError(`Cannot build the manifest: ${problems.join('; ')}.`);
  return result;
}

/**
 * One command list per scope, in the order of COMMANDS, as the manifest schema asks ("a separate command list for each
 * scope"), each command described as it works in that scope (CommandSpec.descriptionIn).
 */
export function commandLists(commands: readonly CommandSpec[] = COMMANDS): CommandList[] {
  const scopes: Scope[] = ['personal', 'team', 'groupChat'];
  return scopes
    .map((scope) => ({
      scopes: [scope],
      commands: commandsIn(scope, commands).map(({ spec, description }) => {
        if (spec.name.length > COMMAND_TITLE_MAX)
          throw new ManifestError(`Command "${spec.name}" is longer than ${COMMAND_TITLE_MAX} characters.`);
        if (description.length > COMMAND_DESCRIPTION_MAX) {
          throw new ManifestError(
            `The ${scope} description of command "${spec.name}" is ${description.length} characters; the Teams command menu allows ${COMMAND_DESCRIPTION_MAX}.`,
          );
        }
        return { title: spec.name, description };
      }),
    }))
    .filter((list) => list.commands.length > 0);
}

export function envFilePath(env: string, envDir = ENV_DIR): string {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(env))
    throw new ManifestError(`Bad environment name ${JSON.stringify(env)}: use letters, digits and dashes (e.g. local, dev).`);
  return path.join(envDir, `.env.${env}`);
}

export function readEnv(env: string, envDir = ENV_DIR): Record<string, string> {
  const file = envFilePath(env, envDir);
  if (!existsSync(file)) {
    throw new ManifestError(
      `No env file for "${env}": ${path.relative(ROOT, file)} does not exist. Copy env/.env.dev to it and fill it in, or let the Agents Toolkit write it (atk provision --env ${env}).`,
    );
  }
  return parseEnvFile(readFileSync(file, 'utf8'), path.relative(ROOT, file));
}

export interface BuildOptions {
  /** Which env/.env.<env> to read. */
  env: string;
  manifestDir?: string;
  /** Defaults to env/ at the root. */
  envDir?: string;
  /** Variables set here win over the env file (as with dotenv), e.g. a CI secret. Defaults to none. */
  overrides?: Readonly<Record<string, string | undefined>>;
  commands?: readonly CommandSpec[];
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new ManifestError('package.json has no version');
  return pkg.version;
}

/** The manifest for one environment: template + env file + command table. Not validated yet: see validateManifest. */
export function buildManifest(options: BuildOptions): Manifest {
  const manifestDir = options.manifestDir ?? MANIFEST_DIR;
  const template = JSON.parse(readFileSync(path.join(manifestDir, 'manifest.template.json'), 'utf8')) as Manifest;
  const fromFile = readEnv(options.env, options.envDir);
  const overrides = Object.fromEntries(Object.entries(options.overrides ?? {}).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;
  const variables: Record<string, string> = { APP_VERSION: packageVersion(), ...fromFile, ...overrides };
  const domain = variables.BOT_DOMAIN;
  if (domain && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(domain)) {
    throw new ManifestError(
      `BOT_DOMAIN must be a host name only, such as maturitypulse.azurewebsites.net (no https://, no path); got ${JSON.stringify(domain)}.`,
    );
  }
  const manifest = substitute(template, variables) as Manifest;
  const bots = manifest.bots;
  const bot = Array.isArray(bots) ? bots[0] : undefined;
  if (!bot || typeof bot !== 'object' || Array.isArray(bot) || bot.commandLists !== COMMAND_LISTS_PLACEHOLDER) {
    throw new ManifestError(`manifest.template.json must have bots[0].commandLists set to ${JSON.stringify(COMMAND_LISTS_PLACEHOLDER)}.`);
  }
  bot.commandLists = commandLists(options.commands ?? COMMANDS) as unknown as JsonValue;
  return manifest;
}

/** Where @microsoft/app-manifest keeps the schema that a manifest's $schema URL names; undefined if it has none. */
export function bundledSchemaPath(schemaUrl: string): string | undefined {
  const match = /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?(json-schemas\/teams\/[^?#]+)$/i.exec(schemaUrl);
  if (!match?.[1]) return undefined;
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest')); // …/build
  const file = path.join(packageDir, match[1]);
  return existsSync(file) ? file : undefined;
}

/**
 * Validates against the schema that $schema names, read from the copy bundled in @microsoft/app-manifest.
 * Returns the schema errors (empty when valid). Never goes to the network: a schema that is not bundled is an error.
 */
export async function validateManifest(manifest: Manifest): Promise<string[]> {
  const schemaUrl = manifest.$schema;
  if (typeof schemaUrl !== 'string') return ['The manifest has no $schema.'];
  const schemaFile = bundledSchemaPath(schemaUrl);
  if (!schemaFile)
    throw new ManifestError(`The schema ${schemaUrl} is not bundled in @microsoft/app-manifest; pick a manifest version it bundles.`);
  // The same clean-up the package applies to Microsoft's schema files (they contain \a and \v escapes JSON lacks).
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as Parameters<
    typeof AppManifestUtils.validateAgainstSchema
  >[1];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema);
}
