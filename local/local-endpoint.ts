import type { AwsCredentialIdentity, HttpAuthScheme, HttpRequest, Identity } from '@smithy/types';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** SigV4's date, now: 20261130T080000Z (made once a second) */
let lastDate = { second: Number.NaN, text: '' };
function amzDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== lastDate.second) {
    lastDate = { second, text: new Date(now).toISOString().replace(/[-:]|\.\d{3}/g, '') };
  }
  return lastDate.text;
}

/**
 * SigV4's headers without the signature's work, for the emulators only. dynalite checks that a request
 * carries them (the Authorization header's Credential, SignedHeaders and Signature, and X-Amz-Date),
 * aws-ses-v2-local that the Authorization header starts with "AWS"; neither checks the signature (no
 * emulator knows a secret to check it with). Computing one (a SHA-256 of the body, the canonical request,
 * four HMACs per request) was about 6% of the local runtime's CPU (issue 15), so these clients send the
 * same headers with a signature of zeros. The clients still resolve their credentials, and IAM
 * enforcement (local/iam/enforce.ts) runs before any of this. Never for AWS: localEndpointConfig refuses
 * any endpoint that is not on this machine.
 */
export const LOCAL_SIGV4: HttpAuthScheme = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
  signer: {
    async sign(request: HttpRequest, identity: Identity, properties: Record<string, unknown>) {
      const date = amzDate();
      // the auth option's scope: { name: 'dynamodb' | 'ses', region }
      const region = typeof properties.region === 'string' ? properties.region : 'local';
      const service = typeof properties.name === 'string' ? properties.name : 'local';
      const { accessKeyId } = identity as AwsCredentialIdentity;
      request.headers = {
        ...request.headers,
        'x-amz-date': date,
        authorization:
          `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date.slice(0, 8)}/${region}/${service}/aws4_request, ` +
          `SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      };
      return request;
    },
  },
};

/**
 * AWS SDK client settings for a local emulator only: region `local`, dummy credentials, SigV4's headers
 * without the signature's work (LOCAL_SIGV4). It refuses an endpoint that is missing or not on this
 * machine, so a test or `leadpact dev` can never reach a real AWS account by accident.
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
    httpAuthSchemes: [LOCAL_SIGV4],
  };
}
