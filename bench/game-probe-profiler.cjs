/**
 * A CPU profiler for the replicas of `bench/game-probe.ts` (Node refuses `--cpu-prof` in
 * NODE_OPTIONS, `--require` is allowed): in `http-main.js` only, the first SIGUSR2 starts V8's
 * sampling profiler (100 µs), the second writes `<pid>.cpuprofile` into `GAME_PROBE_PROFILE_DIR`
 * (default: the OS temp folder), for Chrome DevTools or any .cpuprofile reader. Usage:
 * `PROBE_PROFILE=1 NODE_OPTIONS="--require $PWD/bench/game-probe-profiler.cjs" tsx bench/game-probe.ts`
 */
if (process.argv[1]?.endsWith('http-main.js')) {
  const inspector = require('node:inspector');
  const { writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const { tmpdir } = require('node:os');
  const session = new inspector.Session();
  session.connect();
  let started = false;
  process.on('SIGUSR2', () => {
    if (!started) {
      started = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 100 }, () => session.post('Profiler.start')),
      );
      return;
    }
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const dir = process.env.GAME_PROBE_PROFILE_DIR ?? tmpdir();
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
