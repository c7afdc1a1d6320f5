import { execFileSync } from 'node:child_process';

/** The media-node processes running for an instance, found by the id in their argv. */
export function mediaNodes(instanceId: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(`--instance=${instanceId}`))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
