#!/usr/bin/env bash
# Start the tests' OpenID Connect provider (tests/oidc/provider.mjs) as a demo "work account" provider
# for `OIDC_DEMO=1 make run`. Prints, on stdout, the shell lines that configure the portal for it
# (OIDC_PROVIDERS, and OIDC_DEMO_PID to stop it), and on stderr how to use it.
# Usage: eval "$(bash scripts/oidc_demo.sh <portal base URL> <provider port>)"
set -euo pipefail
base_url="${1:?portal base URL}"
port="${2:?provider port}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d "${TMPDIR:-/tmp}/oidc-demo.XXXXXX")"
issuer="http://127.0.0.1:${port}"

if ! command -v node >/dev/null || [ ! -f "$root/node_modules/oidc-provider/package.json" ]; then
  echo "OIDC_DEMO needs node and the oidc-provider package (run: npm ci)." >&2
  exit 1
fi

# Demo accounts: a newcomer, an existing demo member (linked after their password), and the demo
# coordinator, whose provider reports MFA (so it counts as their second factor once linked).
cat >"$dir/settings.json" <<JSON
{
  "clients": [{
    "client_id": "portal-demo",
    "client_secret": "portal-demo-secret-not-for-production",
    "redirect_uris": ["${base_url}/account/sign-in/organisation/demo/callback"],
    "post_logout_redirect_uris": ["${base_url}/"]
  }],
  "accounts": {
    "newcomer": {"email": "newcomer@example.org", "email_verified": true, "name": "Nia Newcomer"},
    "member": {"email": "member@example.org", "email_verified": true, "name": "Callum Stewart"},
    "coordinator": {"email": "coordinator@example.org", "email_verified": true, "name": "Morag Henderson",
                    "mfa": true}
  }
}
JSON

node "$root/tests/oidc/provider.mjs" "$port" "$dir/settings.json" >"$dir/provider.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
  grep -q '^ready' "$dir/provider.log" 2>/dev/null && break
  if ! kill -0 "$pid" 2>/dev/null; then cat "$dir/provider.log" >&2; exit 1; fi
  sleep 0.2
done
grep -q '^ready' "$dir/provider.log" || { echo "The demo provider did not start." >&2; kill "$pid"; exit 1; }

providers=$(printf '[{"slug": "demo", "issuer": "%s", "client_id": "portal-demo", "client_secret": "portal-demo-secret-not-for-production", "name": "demo work account", "domains": ["example.org"]}]' "$issuer")
printf 'export OIDC_PROVIDERS=%q\nOIDC_DEMO_PID=%s\n' "$providers" "$pid"
cat >&2 <<TEXT

  Organisation sign-in demo: a test OpenID Connect provider runs at ${issuer} (log: ${dir}/provider.log).
  On ${base_url}/account/sign-in choose "Sign in with demo work account", then type one of these
  test accounts on the provider's page:
    newcomer     a new person: an account is made, and they add their organisation and workplace
    member       member@example.org: linked once you sign in with the demo password
    coordinator  coordinator@example.org: reports MFA, so once linked it counts as the second factor
  Tick "Report MFA" on that page to make any account report it.

TEXT
