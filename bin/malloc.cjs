/**
 * A build on Linux runs in a child process started with glibc's mmap threshold fixed at 1 MiB
 * (MALLOC_MMAP_THRESHOLD_), which glibc reads only when a process starts. Left to itself, glibc
 * raises the threshold to the size of each large block freed, up to 32 MiB: after the first few
 * charts, resvg's pixmaps (1054×682 RGBA, 2.9 MB) and PNG buffers come from the per-thread arenas of
 * the rasterising threads, which keep what was freed. At 100 experiments on two cores the cold
 * build peaked at 489–533 MiB (median 510, five builds) and with the threshold fixed at 436–461
 * (median 451, three), for the same time within the machine's spread (41.4–49.7 s against
 * 44.1–47.3). A MALLOC_MMAP_THRESHOLD_ already set is kept and nothing is started again.
 *
 * The child is the build: the parent forwards SIGINT, SIGTERM and SIGHUP to it and exits as it
 * does; should the parent be killed outright, the child sees its channel to the parent close and
 * kills itself (every output is written atomically, so that is a kill like any other).
 */
const { spawn } = require('node:child_process');

/** What a build's process is started with. */
const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: String(1 << 20) };

/** Marks the child, so that it watches its parent. */
const CHILD = 'BENCHBOOK_RELAUNCHED';

/** Whether `args` (the command line after the script) are run again in a child. */
function relaunches(args, env, platform) {
  return platform === 'linux' && args[0] === 'build' && env.MALLOC_MMAP_THRESHOLD_ === undefined && env[CHILD] === undefined;
}

/**
 * Runs the command again in a child process with MALLOC_ENV when `relaunches` says so, and then
 * returns true: this process only waits for it. False: run the command here.
 */
function relaunch(args) {
  if (!relaunches(args, process.env, process.platform)) return false;
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...MALLOC_ENV, [CHILD]: '1' },
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const s of signals) process.on(s, forward);
  child.on('error', (e) => {
    process.stderr.write(`benchbook: could not start the build's process: ${e.message}\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
  return true;
}

// In the child: the parent gone (killed outright), the build goes too.
if (process.env[CHILD] !== undefined && process.channel) {
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}

module.exports = { MALLOC_ENV, relaunches, relaunch };
