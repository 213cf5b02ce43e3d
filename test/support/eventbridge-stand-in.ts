/**
 * An EventBridge stand-in on a real socket (127.0.0.1): it speaks PutEvents in the AWS JSON 1.1 protocol
 * the SDK's EventBridgeClient sends (x-amz-target AWSEvents.PutEvents), records each entry and accepts it.
 * There is no EventBridge emulator in the project; what the publisher sends is what this records.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

export interface PutEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
  readonly Time?: number;
}

export interface EventBridgeStandIn {
  readonly endpoint: string;
  readonly entries: PutEntry[];
  /** an SDK client pointed at the stand-in */
  client(): EventBridgeClient;
  close(): Promise<void>;
}

export async function startEventBridgeStandIn(): Promise<EventBridgeStandIn> {
  const entries: PutEntry[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (target !== 'AWSEvents.PutEvents') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'UnknownOperationException', message: String(target) }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: PutEntry[] };
      entries.push(...body.Entries);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({
          FailedEntryCount: 0,
          Entries: body.Entries.map((_, i) => ({ EventId: `ev-${entries.length + i}` })),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: EventBridgeClient[] = [];
  return {
    endpoint,
    entries,
    client() {
      const client = new EventBridgeClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      });
      clients.push(client);
      return client;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
