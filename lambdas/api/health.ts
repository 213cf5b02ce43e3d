/** GET /health: the service answers and knows which SLA it runs. */
import type { ApiDeps } from './deps.ts';
import { json } from './http.ts';
import { apiHandler } from './middleware.ts';

/** What GET /health needs: the SLA's version, not the SLA (the health function bundles neither it nor the SDK). */
export interface HealthDeps extends Pick<ApiDeps, 'clock' | 'healthFigures'> {
  readonly sla: { readonly version: string };
}

export function healthHandler(deps: HealthDeps) {
  return apiHandler('GET /health', async () =>
    json(200, {
      status: 'ok',
      slaVersion: deps.sla.version,
      time: deps.clock.now().toISOString(),
      ...deps.healthFigures?.(),
    }),
  );
}
