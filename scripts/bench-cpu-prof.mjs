// Preloaded into the server by `QILA_BENCH_CPU_PROF=<dir> npm run bench` (Node refuses --cpu-prof in
// NODE_OPTIONS, so this does the same through the inspector): profiles the whole process and writes
// <dir>/server-<pid>.cpuprofile when it exits. The inspector's calls complete synchronously here.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (err, result) => {
    if (!err)
      writeFileSync(
        path.join(process.env.QILA_BENCH_CPU_PROF_DIR, `server-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
  });
});
