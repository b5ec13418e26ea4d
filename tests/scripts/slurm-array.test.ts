/**
 * scripts/slurm-array.sh on a real single-node Slurm cluster started by this test: munged, slurmctld
 * and slurmd with a minimal slurm.conf in a temporary folder (no systemd), the shard array and the
 * merge job submitted as a user would, the merged file compared byte for byte with one `mc`. The
 * daemons are stopped by their process ids. Needs Debian's slurm-wlm and munge and root (SlurmUser=root):
 * in CI (CI=true) it always runs, so a missing package fails it; elsewhere it is skipped with a note.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, ROOT } from '../cli/harness.js';

const TOOLS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const isRoot = process.getuid?.() === 0;
const inCi = process.env.CI === 'true';
const canRun = missing.length === 0 && isRoot;
if (!canRun && !inCi)
  console.log(
    `skipping the Slurm test: ${missing.length > 0 ? `install slurm-wlm and munge (apt-get install -y slurm-wlm munge; missing ${missing.join(', ')})` : 'it must run as root (SlurmUser=root)'}`,
  );

const LIMIT_MS = 240_000;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function until<T>(what: string, f: () => T | undefined, deadline: number): Promise<T> {
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.runIf(canRun || inCi)('Slurm: job array of shards, then the merge (afterok)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policysim-slurm-'));
  const daemons: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;
  const log = (name: string): string => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');

  beforeAll(async () => {
    expect(missing, 'install slurm-wlm and munge: apt-get install -y slurm-wlm munge').toEqual([]);
    expect(isRoot, 'the Slurm test runs the daemons as root').toBe(true);
    const deadline = Date.now() + 90_000;
    const key = join(dir, 'munge.key');
    const socket = join(dir, 'munge.socket');
    writeFileSync(key, execFileSync('head', ['-c', '1024', '/dev/urandom']));
    chmodSync(key, 0o600);
    chmodSync(dir, 0o700);
    const munged = spawn(
      'munged',
      [
        '--foreground',
        '--force',
        `--key-file=${key}`,
        `--socket=${socket}`,
        `--pid-file=${join(dir, 'munged.pid')}`,
        `--log-file=${join(dir, 'munged.log')}`,
        `--seed-file=${join(dir, 'munged.seed')}`,
      ],
      { stdio: 'ignore' },
    );
    daemons.push(munged);
    await until('munged', () => (existsSync(socket) ? true : undefined), deadline);

    const host = hostname().split('.')[0]!;
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
    const conf = join(dir, 'slurm.conf');
    const base = [
      'ClusterName=policysimtest',
      `SlurmctldHost=${host}(127.0.0.1)`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'MpiDefault=none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none',
      'JobCompType=jobcomp/none',
      'MailProg=/bin/true',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
    ];
    // The node's real CPUs and memory, as slurmd sees them (a node configured with more is drained);
    // the partition lets jobs share a CPU, so the three shards start together on a two-core machine
    // rather than the third waiting for a free core.
    const nodeLine = execFileSync('slurmd', ['-C'], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.startsWith('NodeName='))!
      .replace(/^NodeName=\S+/, `NodeName=${host} NodeAddr=127.0.0.1`);
    writeFileSync(
      conf,
      `${[...base, nodeLine, `PartitionName=test Nodes=${host} Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4`].join('\n')}\n`,
    );
    env = { ...process.env, SLURM_CONF: conf };
    daemons.push(spawn('slurmctld', ['-D', '-i', '-f', conf], { env, stdio: 'ignore' }));
    daemons.push(spawn('slurmd', ['-D', '-f', conf], { env, stdio: 'ignore' }));
    await until(
      'the node to be idle',
      () => {
        const r = spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' });
        return r.status === 0 && /^idle/m.test(r.stdout) ? true : undefined;
      },
      deadline,
    ).catch((e: Error) => {
      throw new Error(
        `${e.message}\nslurmctld.log:\n${log('slurmctld.log').slice(-3000)}\nslurmd.log:\n${log('slurmd.log').slice(-3000)}`,
      );
    });
  }, 120_000);

  afterAll(async () => {
    // Stop what this test started, by process id, slurmd first.
    for (const d of [...daemons].reverse()) {
      if (d.exitCode === null && d.signalCode === null) {
        const gone = new Promise((r) => d.once('exit', r));
        d.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
        if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it(
    '3 shards and the merge job give the bytes of one mc',
    async () => {
      const job = join(dir, 'job');
      const scenario = 'tests/fixtures/mc/closed-form.yaml';
      const mcArgs = ['mc', scenario, '--runs', '3000', '--seed', '11'];
      const submit = spawnSync(join(ROOT, 'scripts/slurm-array.sh'), ['-k', '3', '-d', job, '--', ...mcArgs], {
        cwd: ROOT,
        env: { ...env, POLICYSIM: `${process.execPath} ${BIN}` },
        encoding: 'utf8',
      });
      expect(submit.stderr).toBe('');
      expect(submit.status).toBe(0);
      const [arrayId, mergeId] = submit.stdout.trim().split(' ');
      // The bytes to compare with, computed in this process while Slurm schedules and runs the jobs.
      const single = cli(...mcArgs, '--workers', '1', '--format', 'json');
      expect(arrayId).toMatch(/^\d+$/);
      expect(mergeId).toMatch(/^\d+$/);
      const result = join(job, 'result.json');
      await until(
        'the merge job',
        () => {
          const q = spawnSync('squeue', ['-h', '-j', `${arrayId},${mergeId}`, '-o', '%i %T'], {
            env,
            encoding: 'utf8',
          });
          return q.status === 0 && q.stdout.trim() === '' ? true : undefined;
        },
        Date.now() + LIMIT_MS,
      );
      const logs = ['shard-0.log', 'shard-1.log', 'shard-2.log', 'merge.log']
        .map((f) => `${f}:\n${log(`job/${f}`)}`)
        .join('\n');
      expect(existsSync(result), logs).toBe(true);
      for (const i of [0, 1, 2]) expect(existsSync(join(job, `part-${i}.json`))).toBe(true);
      const { code, stdout, stderr } = await single;
      expect(code, stderr).toBe(0);
      expect(readFileSync(result, 'utf8')).toBe(stdout);
    },
    LIMIT_MS + 30_000,
  );
});
