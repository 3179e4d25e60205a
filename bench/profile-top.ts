// `npx tsx bench/profile-top.ts <file.cpuprofile> [n]`: where a V8 CPU profile's time went, as self
// time by function and by package (node_modules/<name>, our server/src, node internals).
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const [file, n = '25'] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file!, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(prof.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
prof.samples.forEach((id, k) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[k] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self].filter(([id]) => /\(idle\)|\(program\)/.test(byId.get(id)!.callFrame.functionName));
const busy = total - idle.reduce((a, [, t]) => a + t, 0);

const where = (url: string) =>
  /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
  /(server\/src\/[^/]+\/[^/]+)/.exec(url)?.[1] ??
  (url.startsWith('node:') ? 'node internals' : url ? url : '(native)');
const sum = (key: (node: Node) => string) => {
  const m = new Map<string, number>();
  for (const [id, t] of self) {
    const node = byId.get(id)!;
    if (/\(idle\)|\(program\)/.test(node.callFrame.functionName)) continue;
    m.set(key(node), (m.get(key(node)) ?? 0) + t);
  }
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
};
const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
console.log(
  `busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled; shares are of busy time`,
);
console.log('\nby package');
for (const [k, t] of sum((node) => where(node.callFrame.url))) console.log(`${pct(t)}  ${k}`);
console.log('\nby function');
for (const [k, t] of sum(
  (node) =>
    `${node.callFrame.functionName || '(anonymous)'}  ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`,
))
  console.log(`${pct(t)}  ${k}`);
