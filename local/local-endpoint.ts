const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * AWS SDK client settings for a local emulator only: region `local`, dummy credentials. It refuses
 * an endpoint that is missing or not on this machine, so a test or `leadpact dev` can never reach
 * a real AWS account by accident.
 */
export function localEndpointConfig(client: string, endpoint: string | undefined) {
  if (!endpoint) throw new Error(`${client}: an explicit local endpoint is required`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`${client}: not a URL: ${endpoint}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOCAL_HOSTS.has(url.hostname)) {
    throw new Error(`${client}: refusing a non-local endpoint ${url.origin} (use 127.0.0.1 or localhost)`);
  }
  // The SDK warns once per process on Node < 22; locally that is noise (both names: older and newer SDKs).
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    endpoint: url.origin,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}
