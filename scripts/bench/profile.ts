import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A stretch of time on the monotonic clock, in microseconds (what `--cpu-prof` timestamps use, in every process). */
export interface Window {
  from: number;
  to: number;
}

/** Now on the monotonic clock, in microseconds: the same clock as a CPU profile's timestamps. */
export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** Where a function lives: its npm package, our own source file, or Node itself. */
function ownerOf(url: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  const ours = /\/(dist|src|scripts)\/(.+)$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return url;
  return url === '' ? '(native and GC)' : url;
}

/** A `--cpu-prof` profile as text, counting only samples inside `windows` (the load, not start-up): self time by owner and the busiest functions. */
export function summariseProfile(file: string, windows: readonly Window[], top = 12): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map<ProfileNode, number>();
  let at = profile.startTime;
  for (const [index, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (!windows.some((window) => at >= window.from && at <= window.to)) continue;
    const node = nodes.get(id)!;
    hits.set(node, (hits.get(node) ?? 0) + delta);
  }
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [node, micros] of hits) {
    if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
    busy += micros;
    const owner = ownerOf(node.callFrame.url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + micros);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${owner}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const table = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `    ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `  self time by owner (${(busy / 1e6).toFixed(1)} s busy under load):\n${table(byOwner)}\n  busiest functions:\n${table(byFunction)}`;
}
