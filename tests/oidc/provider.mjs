// A real OpenID Connect provider for the tests: the certified `oidc-provider` package on 127.0.0.1.
//
// node tests/oidc/provider.mjs <port> <settings.json>
// settings: {"clients": [oidc-provider client metadata], "accounts": {"<sub>": {email, email_verified, name}}}
// Its sign-in page is a minimal form: `login` names an account, `mfa` (any value; or `"mfa": true` in the
// account's settings) adds "mfa" to the `amr` claim, and `cancel` ends the interaction with access_denied. Consent is given automatically.
// It prints "ready" once it listens, and runs until it is killed.
//
// For the refusal tests it can misbehave on request: `POST /test/misbehave` with `mode=` one of
// `expired` (ID tokens that expired five minutes ago), `audience` (ID tokens for another client),
// `keys` (the JWKS it publishes holds a different key under the signing key's id), `old-sign-in`
// (auth_time an hour ago, whatever prompt=login asked), or empty to behave.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const settings = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const { accounts } = settings;
let misbehaving = '';

function rsaKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'signing', use: 'sig', alg: 'RS256' };
}
const signingKey = rsaKey();
const { d, p, q, dp, dq, qi, ...otherPublicKey } = rsaKey();  // the same kid, another key

const provider = new Provider(issuer, {
  clients: settings.clients,
  cookies: { keys: ['tests-only-cookie-key-0123456789'] },
  jwks: { keys: [signingKey] },
  // amr sits under openid so the ID token carries it; claims outside a granted scope are masked.
  claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  // First-party test clients: every scope asked for is granted without a consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const issue = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = function misbehavingIssue(options = {}) {
  if (options.use === 'idtoken' && misbehaving === 'expired') {
    return issue.call(this, { ...options, expiresAt: Math.floor(Date.now() / 1000) - 300 });
  }
  if (options.use === 'idtoken' && misbehaving === 'old-sign-in') {
    this.set('auth_time', Math.floor(Date.now() / 1000) - 3600);
  }
  if (options.use === 'idtoken' && misbehaving === 'audience') {
    const { client } = this;
    this.client = new Proxy(client, {
      get: (target, key) => (key === 'clientId' ? 'another-client' : Reflect.get(target, key)),
    });
    return issue.call(this, options).finally(() => { this.client = client; });
  }
  return issue.call(this, options);
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>Test provider</title><h1>Test provider: sign in</h1>`
      + `<form method="post" action="/interaction/${details.uid}">`
      + `<p><label for="login">Test account</label> <input id="login" name="login"> (${Object.keys(accounts).join(', ')})</p>`
      + '<p><input type="checkbox" id="mfa" name="mfa" value="1"> <label for="mfa">Report MFA</label></p>'
      + '<button>Sign in</button> <button name="cancel" value="1">Cancel</button></form></html>');
    return;
  }
  const form = await readBody(req);
  if (form.get('cancel')) {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'Cancelled' });
    return;
  }
  const login = form.get('login') || '';
  if (!Object.hasOwn(accounts, login)) {
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('unknown test account');
    return;
  }
  const amr = form.get('mfa') || accounts[login].mfa ? ['pwd', 'mfa'] : ['pwd'];
  await provider.interactionFinished(req, res, { login: { accountId: login, amr } }, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, issuer);
  if (pathname === '/test/misbehave' && req.method === 'POST') {
    readBody(req).then((form) => {
      misbehaving = form.get('mode') || '';
      res.writeHead(204);
      res.end();
    });
    return;
  }
  if (pathname === '/jwks' && misbehaving === 'keys') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [otherPublicKey] }));
    return;
  }
  if (/^\/interaction\/[\w-]+$/.test(new URL(req.url, issuer).pathname)) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  handle(req, res);
});
server.listen(port, '127.0.0.1', () => console.log('ready'));
