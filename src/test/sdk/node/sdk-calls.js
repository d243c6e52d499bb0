// Stripe's Node.js SDK against the service, configured only by its documented options (host, port, protocol,
// the service's API key as apiKey, the installation's account id as stripeAccount). Prints one JSON object
// with what each call gave; connection/StripeSdkTest runs it once and asserts on it and on what Stripe received.
'use strict';
const Stripe = require('stripe');

const env = process.env;

// --- the set-up docs/sdks.md shows ---
const stripe = new Stripe(env.CONNECTOR_API_KEY, {
  host: env.CONNECTOR_HOST,
  port: Number(env.CONNECTOR_PORT),
  protocol: 'http',
  stripeAccount: env.INSTALLATION_ACCOUNT_ID,
  maxNetworkRetries: 0,
});
// --- end of set-up ---

function sdkFor(apiKey, stripeAccount) {
  return new Stripe(apiKey, {
    host: env.CONNECTOR_HOST, port: Number(env.CONNECTOR_PORT), protocol: 'http', stripeAccount, maxNetworkRetries: 0,
  });
}

function failure(error) {
  return {class: error.constructor.name, status: error.statusCode ?? null, type: error.type ?? null,
    code: error.code ?? null, requestId: error.requestId ?? null, message: error.message ?? null};
}

async function attempt(call) {
  try {
    return {answer: await call()};
  } catch (error) {
    return {error: failure(error)};
  }
}

async function main() {
  const results = {};
  results.list = await attempt(async () => (await stripe.customers.list({limit: 2})).data.map((c) => c.id));
  results.create = await attempt(async () => (await stripe.customers.create(
      {email: 'sdk@example.com', address: {city: 'Lyon', country: 'FR'}, metadata: {order_id: '6735', channel: 'sdk'}},
      {idempotencyKey: 'sdk-node-create-1'})).id);
  results.missing = await attempt(async () => (await stripe.customers.retrieve('cus_Missing')).id);
  results.unknownInstallation = await attempt(async () => (await sdkFor(env.CONNECTOR_API_KEY, env.UNKNOWN_ACCOUNT_ID)
      .customers.list({limit: 2})).data.length);
  results.notConnected = await attempt(async () => (await sdkFor(env.CONNECTOR_API_KEY, env.PENDING_ACCOUNT_ID)
      .customers.list({limit: 2})).data.length);
  results.wrongKey = await attempt(async () => (await sdkFor('not-a-key-of-the-service', env.INSTALLATION_ACCOUNT_ID)
      .customers.list({limit: 2})).data.length);
  results.upload = await attempt(async () => (await stripe.files.create({
    purpose: 'dispute_evidence',
    file: {data: Buffer.from(env.UPLOAD_CONTENT, 'utf8'), name: 'evidence.txt', type: 'text/plain'},
  })).id);
  results.paginated = await attempt(async () => (await stripe.customers.list({limit: 2}).autoPagingToArray({limit: 10}))
      .map((c) => c.id));
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n');
  process.exit(1);
});
