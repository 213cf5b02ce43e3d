/**
 * What a client gets from an API function that ran past its timeout, on AWS as on the local server: middy's
 * early timeout (5 ms before Lambda's) answered by the route's error handler, 503 `temporarily_unavailable`;
 * or, when the handler had no turn of the event loop for that, API Gateway's answer to a timed-out function.
 */
export function pastTimeout(status: number, text: string): boolean {
  if (status === 500) return text === JSON.stringify({ message: 'Internal Server Error' });
  return (
    status === 503 &&
    (JSON.parse(text) as { error?: { code?: string } }).error?.code === 'temporarily_unavailable'
  );
}
