//! `TestProvider`: a real OpenID Connect provider (node `oidc-provider`, see
//! `tests/node/oidc/provider.mjs`) on 127.0.0.1, and a scripted user who signs in at it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Url;
use reqwest::header::LOCATION;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStderr, Command};
use tokio::task::JoinHandle;

/// The client the provider registers; the same defaults as `tests/node/lib/oidc.mjs`.
pub const CLIENT_ID: &str = "kompromiss-test";
pub const CLIENT_SECRET: &str = "test-secret-not-for-production";

const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// Redirects within one sign-in; a normal one takes three.
const MAX_HOPS: usize = 10;

/// A running provider with one confidential client and the fixed test accounts
/// (`admin`, `editor`, `board`, `member`, `outsider`).
pub struct TestProvider {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The node process; killed on drop so a failed test leaves no provider behind.
    child: Child,
}

impl TestProvider {
    /// Starts a provider on a free port; `keys_file` shares its signing key with other providers.
    pub async fn start(
        redirect_uris: &[String],
        post_logout: &[String],
        keys_file: Option<&Path>,
    ) -> anyhow::Result<TestProvider> {
        let node_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node");
        ensure!(
            node_dir.join("node_modules/oidc-provider").is_dir(),
            "oidc-provider is not installed: run `npm install --no-audit --no-fund` in {}",
            node_dir.display()
        );
        let mut command = Command::new("node");
        command.arg(node_dir.join("oidc/provider.mjs")).args([
            "--port",
            "0",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
        ]);
        for uri in redirect_uris {
            command.args(["--redirect-uri", uri]);
        }
        for uri in post_logout {
            command.args(["--post-logout-redirect-uri", uri]);
        }
        if let Some(path) = keys_file {
            command.arg("--keys-file").arg(path);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting node (is Node.js installed?)")?;

        let stderr = child.stderr.take().context("provider stderr")?;
        let (stderr_log, stderr_task) = collect_stderr(stderr);
        let stdout = child.stdout.take().context("provider stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(READY_TIMEOUT, async {
            while let Some(line) = lines.next_line().await? {
                if line.starts_with(r#"{"ready""#) {
                    return anyhow::Ok(Some(line));
                }
            }
            Ok(None)
        })
        .await;
        let line = match ready {
            Ok(Ok(Some(line))) => line,
            failure => {
                let _ = child.start_kill();
                let _ = tokio::time::timeout(Duration::from_secs(2), stderr_task).await;
                let stderr = stderr_log.lock().map(|s| s.join("\n")).unwrap_or_default();
                let why = match failure {
                    Err(_) => format!("not ready after {READY_TIMEOUT:?}"),
                    Ok(Err(e)) => format!("unreadable stdout: {e}"),
                    Ok(Ok(_)) => "exited before it was ready".to_owned(),
                };
                bail!("OpenID test provider {why}; stderr:\n{stderr}");
            }
        };
        // Keep draining stdout, so a stray write never blocks or kills the provider.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

        let ready: serde_json::Value = serde_json::from_str(&line).context("ready line")?;
        let issuer = ready["issuer"].as_str().context("issuer in ready line")?.to_owned();
        Ok(TestProvider { issuer, client_id: CLIENT_ID.to_owned(), client_secret: CLIENT_SECRET.to_owned(), child })
    }

    /// `<issuer>/.well-known/openid-configuration`
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer)
    }

    /// Signs in as `login`, starting at `authorize_url`, with `http` (cookie store on, redirects
    /// off). Returns the first redirect that leaves the provider (the relying party's callback
    /// with `code` and `state`, or with `error`) without requesting it. If the cookie store
    /// already holds a provider session, no login form is shown and `login` is ignored.
    pub async fn sign_in(&self, http: &reqwest::Client, authorize_url: &str, login: &str) -> anyhow::Result<Url> {
        let issuer = Url::parse(&self.issuer)?.origin();
        let mut res = http.get(authorize_url).send().await?;
        let mut submitted = false;
        for _ in 0..MAX_HOPS {
            let status = res.status();
            if status.is_redirection() {
                let location = res.headers().get(LOCATION).context("redirect without Location")?;
                let next = res.url().join(location.to_str()?)?;
                if next.origin() != issuer {
                    return Ok(next);
                }
                res = http.get(next).send().await?;
                continue;
            }
            let page = res.url().clone();
            let body = res.text().await?;
            ensure!(status.is_success() && !submitted, "provider answered {status} at {page}: {}", page_text(&body));
            let action = form_action(&body).with_context(|| format!("no login form at {page}"))?;
            res = http.post(page.join(action)?).form(&[("login", login)]).send().await?;
            ensure!(res.status().is_redirection(), "provider rejected login {login:?} with {}", res.status());
            submitted = true;
        }
        bail!("more than {MAX_HOPS} redirects at the provider")
    }

    /// Plays the relying party itself (code flow, PKCE S256, client_secret_basic) and returns the
    /// raw ID token that `login` gets for `nonce`.
    pub async fn id_token_for(&self, login: &str, redirect_uri: &str, nonce: &str) -> anyhow::Result<String> {
        let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
        let discovery: serde_json::Value =
            http.get(self.discovery_url()).send().await?.error_for_status()?.json().await?;
        let endpoint = |name: &str| discovery[name].as_str().with_context(|| format!("{name} missing in discovery"));

        let verifier = random_token();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let state = random_token();
        let mut authorize = Url::parse(endpoint("authorization_endpoint")?)?;
        authorize
            .query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid profile email groups")
            .append_pair("state", &state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");

        let callback = self.sign_in(&http, authorize.as_str(), login).await?;
        let params: HashMap<String, String> = callback.query_pairs().into_owned().collect();
        if let Some(error) = params.get("error") {
            bail!("authorization failed: {error} {}", params.get("error_description").map_or("", |d| d));
        }
        ensure!(params.get("state") == Some(&state), "state mismatch in {callback}");
        let code = params.get("code").context("no code in callback")?;

        let res = http
            .post(endpoint("token_endpoint")?)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", &verifier),
            ])
            .send()
            .await?;
        let status = res.status();
        let body: serde_json::Value = res.json().await?;
        ensure!(status.is_success(), "token request failed with {status}: {body}");
        Ok(body["id_token"].as_str().context("no id_token in token response")?.to_owned())
    }

    /// Stops the provider now rather than on drop.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}

/// Reads the provider's stderr line by line (it must never fill up) and keeps it for errors.
fn collect_stderr(stderr: ChildStderr) -> (Arc<Mutex<Vec<String>>>, JoinHandle<()>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let task = tokio::spawn(async move {
        let mut lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            tracing::warn!(%line, "OpenID test provider wrote to stderr");
            if let Ok(mut log) = sink.lock() {
                log.push(line);
            }
        }
    });
    (log, task)
}

/// 32 random bytes, base64url: a PKCE verifier (43 characters) or a state value.
fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// The `action` of the provider's login form (`/interaction/<uid>/login`).
fn form_action(html: &str) -> Option<&str> {
    let form = &html[html.find("<form")?..];
    let rest = &form[form.find("action=\"")? + "action=\"".len()..];
    Some(&rest[..rest.find('"')?])
}

/// The start of a page, for error messages.
fn page_text(body: &str) -> &str {
    let end = body.char_indices().nth(500).map_or(body.len(), |(i, _)| i);
    &body[..end]
}
