/** GET /health: the service answers and knows which SLA it runs. */
import type { ApiDeps } from './deps.ts';
import { json } from './http.ts';
import { apiHandler } from './middleware.ts';

export function healthHandler(deps: ApiDeps) {
  return apiHandler('GET /health', async () =>
    json(200, {
      status: 'ok',
      slaVersion: deps.sla.version,
      time: deps.clock.now().toISOString(),
      ...deps.healthFigures?.(),
    }),
  );
}
