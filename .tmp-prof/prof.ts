import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { LEAD_SCENARIOS, Run } from '../bench/lead-scenarios.ts';
import { startE2e } from '../test/support/e2e.ts';

const session = new Session();
session.connect();
await session.post('Profiler.enable');
let cpuTotal = 0;
const rounds = Number(process.env.ROUNDS ?? 3);
for (let i = 0; i < rounds; i++) {
  for (const scenario of LEAD_SCENARIOS) {
    const e2e = await startE2e({ events: { off: true } });
    const run = new Run(e2e);
    if (i === rounds - 1) await session.post('Profiler.start');
    const cpu = process.cpuUsage();
    await scenario.run(run);
    const used = process.cpuUsage(cpu);
    cpuTotal += (used.user + used.system) / 1000;
    if (i === rounds - 1) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(`/tmp/prof-${scenario.id}.cpuprofile`, JSON.stringify(profile));
    }
    console.log(i, scenario.id, ((used.user + used.system) / 1000).toFixed(0), 'ms');
    await e2e.close();
  }
}
console.log('cpu per lead', (cpuTotal / rounds / LEAD_SCENARIOS.length).toFixed(0));
