// A local OpenID provider (the OpenID Certified `oidc-provider` package) standing for councils'
// identity providers in the portal's tests and load test.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG names one issuer per council, each on its own loopback port, with its accounts and the one
// client (the portal) registered with it:
//
//   {"client": {"client_id": "...", "client_secret": "...", "redirect_uris": ["http://127.0.0.1:8000/accounts/sso/callback/"],
//               "post_logout_redirect_uris": ["http://127.0.0.1:8000/accounts/login/"]},
//    "issuers": [{"name": "havering", "port": 9401,
//                 "accounts": [{"id": "alice", "email": "alice@havering.gov.uk", "password": "...", "name": "Alice"}]}]}
//
// It prints `ready NAME ISSUER` for each issuer once it listens. Only for tests, so a few routes
// under /__test__/ let a test change how an issuer behaves:
//
//   POST /__test__/accounts/ID/disable   the account can no longer sign in (as when a council disables it)
//   POST /__test__/tamper  {"mode": M}   the next ID tokens issued are altered and signed again:
//        "foreign"   signed by the other issuer's key, with the other issuer as `iss`
//        "audience"  issued for another client (`aud`)
//        "expired"   expired an hour ago
//        "old_nonce" carrying the nonce of the previous ID token this issuer gave out
//        ""          issued as the provider made them
//   GET  /__test__/logouts                how many sessions ended at this issuer's logout endpoint
import { readFileSync } from "node:fs";
import http from "node:http";
import { URL } from "node:url";

import * as jose from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const host = config.host || "127.0.0.1";

const escape = (value) =>
  String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const page = (title, body) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

// Every issuer's signing key first, so that one issuer can sign a token as another would.
const issuers = [];
for (const spec of config.issuers) {
  const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await jose.exportJWK(privateKey)), kid: `${spec.name}-1`, alg: "RS256", use: "sig" };
  issuers.push({ ...spec, issuer: `http://${host}:${spec.port}`, jwk, privateKey });
}

function start(spec) {
  const accounts = new Map(spec.accounts.map((account) => [account.id, { ...account, disabled: !!account.disabled }]));
  const state = { tamper: "", lastNonce: null, logouts: 0 };
  const other = issuers.find((candidate) => candidate.name !== spec.name) || spec;

  const provider = new Provider(spec.issuer, {
    clients: [{ ...config.client, grant_types: ["authorization_code"], response_types: ["code"] }],
    jwks: { keys: [spec.jwk] },
    cookies: { keys: [`cookie-key-${spec.name}-for-tests-only`] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name"] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page(
            `Sign out of ${spec.name}`,
            `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page(`Signed out of ${spec.name}`, "<p>You have signed out.</p>");
        },
      },
    },
    // Every client must use PKCE: the portal always does.
    pkce: { required: () => true },
    ttl: { IdToken: 3600, AccessToken: 3600, Session: 3600, Interaction: 600, Grant: 3600 },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account || account.disabled) return undefined;
      return {
        accountId: id,
        async claims() {
          const [given, ...family] = (account.name || id).split(" ");
          return {
            sub: id,
            email: account.email,
            email_verified: true,
            name: account.name || id,
            given_name: given,
            family_name: family.join(" "),
          };
        },
      };
    },
    // The portal is the council's own first-party application: no consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });

  // Alter the ID token of the token response, when a test asked for it, and sign it again.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== "/token" || ctx.method !== "POST" || !ctx.body || typeof ctx.body !== "object" || !ctx.body.id_token) {
      return;
    }
    const claims = jose.decodeJwt(ctx.body.id_token);
    const previousNonce = state.lastNonce;
    state.lastNonce = claims.nonce;
    let key = spec.privateKey;
    let kid = spec.jwk.kid;
    const now = Math.floor(Date.now() / 1000);
    switch (state.tamper) {
      case "foreign":
        claims.iss = other.issuer;
        key = other.privateKey;
        kid = other.jwk.kid;
        break;
      case "audience":
        claims.aud = "another-application";
        break;
      case "expired":
        claims.iat = now - 7200;
        claims.exp = now - 3600;
        break;
      case "old_nonce":
        claims.nonce = previousNonce;
        break;
      default:
        return;
    }
    ctx.body = { ...ctx.body, id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(key) };
  });

  provider.on("end_session.success", () => {
    state.logouts += 1;
  });

  const callback = provider.callback();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, spec.issuer);
    try {
      if (url.pathname.startsWith("/__test__/")) {
        res.setHeader("Content-Type", "application/json");
        const disable = url.pathname.match(/^\/__test__\/accounts\/([^/]+)\/disable$/);
        if (req.method === "POST" && disable) {
          const account = accounts.get(decodeURIComponent(disable[1]));
          if (account) account.disabled = true;
          res.end(JSON.stringify({ disabled: !!account }));
        } else if (req.method === "POST" && url.pathname === "/__test__/tamper") {
          const chunks = [];
          for await (const chunk of req) chunks.push(chunk);
          state.tamper = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}").mode || "";
          res.end(JSON.stringify({ mode: state.tamper }));
        } else if (url.pathname === "/__test__/logouts") {
          res.end(JSON.stringify({ logouts: state.logouts }));
        } else {
          res.statusCode = 404;
          res.end("{}");
        }
        return;
      }
      const interaction = url.pathname.match(/^\/interaction\/([^/]+)$/);
      if (interaction) {
        const details = await provider.interactionDetails(req, res);
        const action = `/interaction/${escape(details.uid)}`;
        const form = (error) =>
          page(
            `Sign in to ${spec.name}`,
            `${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="${action}">
<label for="email">Email address</label><input id="email" name="email" type="email" autocomplete="username" value="${escape(details.params.login_hint || "")}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Continue</button>
</form>`,
          );
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        if (req.method === "POST") {
          const body = await readForm(req);
          const account = [...accounts.values()].find(
            (candidate) => candidate.email.toLowerCase() === (body.get("email") || "").toLowerCase(),
          );
          if (!account || account.password !== body.get("password")) {
            res.statusCode = 200;
            res.end(form("The email address or password is not right."));
            return;
          }
          if (account.disabled) {
            res.statusCode = 200;
            res.end(form("This account has been disabled."));
            return;
          }
          await provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
          return;
        }
        res.end(form(""));
        return;
      }
      callback(req, res);
    } catch (error) {
      res.statusCode = 400;
      res.setHeader("Content-Type", "text/plain");
      res.end(`error: ${error.message}`);
    }
  });
  server.listen(spec.port, host, () => {
    console.log(`ready ${spec.name} ${spec.issuer}`);
  });
  return server;
}

const servers = issuers.map(start);
const stop = () => {
  for (const server of servers) server.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
