// `npm run stage`: what App Service runs, in out/deploy/app (the folder the Agents Toolkit's zip deploy uploads) and
// out/deploy/maturity-pulse.zip (the same files, for `az webapp deploy`): the compiled bot (dist/), the files it reads
// at start-up (content/, cards/, tab/) and its production dependencies, installed from package-lock.json without
// install scripts. App Service mounts the zip read-only (WEBSITE_RUN_FROM_PACKAGE) and runs `npm run serve`:
// nothing is built on the server or at start-up, and every instance runs the same bits.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import { ROOT } from './app-manifest.js';

export const DEPLOY_DIR = path.join(ROOT, 'out', 'deploy');
export const STAGE_DIR = path.join(DEPLOY_DIR, 'app');
export const STAGE_ZIP = path.join(DEPLOY_DIR, 'maturity-pulse.zip');
/** What the running bot reads besides dist/ and node_modules/: keep in step with src/app.ts (test/infra checks). */
export const RUNTIME_FILES = ['package.json', 'package-lock.json', 'content', 'cards', 'tab'] as const;

function run(command: string, args: readonly string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}

/** npm itself, as the process that runs this script (npm_execpath), or from PATH. */
function npm(args: readonly string[], cwd: string): void {
  const npmCli = process.env.npm_execpath;
  if (npmCli?.endsWith('.js')) run(process.execPath, [npmCli, ...args], cwd);
  else run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, cwd);
}

/** Every file under `dir`, keyed by its path relative to `dir` with forward slashes, as a zip wants them. */
function filesUnder(dir: string, prefix = ''): Zippable {
  const files: Zippable = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const key = `${prefix}${name}`;
    if (statSync(full).isDirectory()) Object.assign(files, filesUnder(full, `${key}/`));
    else files[key] = readFileSync(full);
  }
  return files;
}

export function stageApp(): void {
  rmSync(DEPLOY_DIR, { recursive: true, force: true });
  mkdirSync(STAGE_DIR, { recursive: true });
  // Compile straight into the stage, so no stale file of an earlier build in dist/ ships.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', path.join(STAGE_DIR, 'dist'), '--sourceMap', 'false'], ROOT);
  for (const file of RUNTIME_FILES) cpSync(path.join(ROOT, file), path.join(STAGE_DIR, file), { recursive: true });
  npm(['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], STAGE_DIR);
  writeFileSync(STAGE_ZIP, zipSync(filesUnder(STAGE_DIR), { level: 6 }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  stageApp();
  console.log(`Staged ${path.relative(process.cwd(), STAGE_DIR)} and ${path.relative(process.cwd(), STAGE_ZIP)}`);
}
