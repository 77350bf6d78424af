// `npm run package [-- --env example|dev|<name>]`: builds the Teams app package out/appPackage/maturity-pulse-<env>.zip
// (manifest.json, color.png, outline.png) from manifest/manifest.template.json, env/.env.<env> and the
// command table in src/model/commands.ts, after validating the manifest against the official schema offline.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseCommandLine } from 'node:util';
import { zipSync } from 'fflate';
import { buildManifest, ManifestError, MANIFEST_DIR, ROOT, validateManifest, type BuildOptions, type Manifest } from './app-manifest.js';
import { messageOf } from '../src/errors.js';

/** A manifest field for a message: a string as it is, anything else as JSON. */
const textOf = (value: Manifest[string] | undefined): string => (typeof value === 'string' ? value : JSON.stringify(value));

export const ICONS = ['color.png', 'outline.png'] as const;
/** Where packages go; m365agents.yml hands the same path to teamsApp/validateAppPackage, update and publish. */
export const APP_PACKAGE_DIR = path.join(ROOT, 'out', 'appPackage');
export const packageFileName = (env: string) => `maturity-pulse-${env}.zip`;
/** A fixed timestamp inside the zip, so the same inputs always give the same bytes. */
const ZIP_MTIME = new Date('2025-01-01T00:00:00Z');

export interface PackageOptions extends BuildOptions {
  /** Defaults to out/appPackage. */
  outDir?: string;
}

export interface PackageResult {
  zipPath: string;
  manifest: Manifest;
  /** The exact manifest.json text inside the zip. */
  manifestJson: string;
}

export async function packageApp(options: PackageOptions): Promise<PackageResult> {
  const manifestDir = options.manifestDir ?? MANIFEST_DIR;
  const manifest = buildManifest({ ...options, manifestDir });
  const errors = await validateManifest(manifest);
  if (errors.length > 0) {
    throw new ManifestError(
      `The manifest for "${options.env}" does not match its schema (${textOf(manifest.$schema)}):\n${errors.map((error) => `  - ${error}`).join('\n')}`,
    );
  }
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  const files: Record<string, Uint8Array> = { 'manifest.json': new TextEncoder().encode(manifestJson) };
  for (const icon of ICONS) files[icon] = readFileSync(path.join(manifestDir, icon));
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { mtime: ZIP_MTIME }]])), { level: 9 });
  const outDir = options.outDir ?? APP_PACKAGE_DIR;
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, packageFileName(options.env));
  writeFileSync(zipPath, zip);
  return { zipPath, manifest, manifestJson };
}

/** `npm run package [-- --env <name>]`: node:util's parser, with its errors said in the script's own words. */
export function parseArgs(argv: readonly string[]): { env: string } {
  try {
    const { values } = parseCommandLine({ args: [...argv], options: { env: { type: 'string', default: 'example' } }, strict: true });
    if (values.env === '') throw new ManifestError('--env needs a value, e.g. --env dev');
    return { env: values.env };
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new ManifestError('--env needs a value, e.g. --env dev');
    throw new ManifestError(`Unknown argument (${messageOf(error)}). Usage: npm run package [-- --env example|dev|<name>]`);
  }
}

/** Only the four manifest variables may come from the process environment (e.g. a CI secret), never anything else. */
export const ENV_OVERRIDES = ['TEAMS_APP_ID', 'BOT_ID', 'BOT_DOMAIN', 'APP_NAME_SUFFIX'] as const;

async function main(): Promise<void> {
  const { env } = parseArgs(process.argv.slice(2));
  const overrides = Object.fromEntries(ENV_OVERRIDES.map((name) => [name, process.env[name]]));
  const result = await packageApp({ env, overrides });
  console.log(
    `Teams app package: ${path.relative(process.cwd(), result.zipPath)} (manifest ${textOf(result.manifest.manifestVersion)}, version ${textOf(result.manifest.version)}, validated against the bundled schema)`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof ManifestError ? error.message : error);
    process.exit(1);
  });
}
