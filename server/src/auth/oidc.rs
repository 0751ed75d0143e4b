//! The OpenID Connect relying party: discovery, authorization code flow with PKCE, and ID token verification.

use std::sync::Arc;
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndSessionUrl,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdToken, IdTokenFields, IssuerUrl, LogoutRequest, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use super::settings::OidcSettings;

/// Claims beyond the standard ones, kept whole so the groups claim's name can be configured.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims(serde_json::Map<String, serde_json::Value>);
impl AdditionalClaims for ExtraClaims {}

type TokenFields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<TokenFields, CoreTokenType>;
type ProviderIdToken =
    IdToken<ExtraClaims, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;
type Client = openidconnect::Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a sign-in failed. Details go to the log (never tokens), the person sees one message.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the provider is not reachable yet (discovery failed)")]
    NotReady,
    #[error("configuration: {0}")]
    Config(String),
    #[error("token exchange failed: {0}")]
    Exchange(String),
    #[error("the provider sent no ID token")]
    NoIdToken,
    #[error("ID token rejected: {0}")]
    Verify(String),
}

/// A sign-in about to start: where to send the browser and what to keep for the callback.
#[derive(Debug)]
pub struct Start {
    pub url: String,
    pub csrf_state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What a verified ID token says about the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub issuer: String,
    pub subject: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub groups: Vec<String>,
    /// The raw ID token (the hint for logging out at the provider).
    pub id_token: String,
}

struct Discovered {
    client: Client,
    end_session: Option<EndSessionUrl>,
}

/// The relying party; discovery happens in the background and is retried until it succeeds.
pub struct Oidc {
    settings: OidcSettings,
    redirect: RedirectUrl,
    post_logout: Option<PostLogoutRedirectUrl>,
    http: openidconnect::reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc").field("issuer", &self.settings.issuer).finish_non_exhaustive()
    }
}

impl Oidc {
    /// A relying party whose callback is `<public_url>/auth/callback`.
    pub fn new(settings: OidcSettings, public_url: &str) -> Result<Self, OidcError> {
        let redirect =
            RedirectUrl::new(format!("{public_url}/auth/callback")).map_err(|e| OidcError::Config(e.to_string()))?;
        let post_logout = PostLogoutRedirectUrl::new(format!("{public_url}/")).ok();
        // Redirects off: a provider endpoint that redirects is a misconfiguration, not something to follow.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| OidcError::Config(e.to_string()))?;
        Ok(Self { settings, redirect, post_logout, http, discovered: RwLock::new(None) })
    }

    /// The configured issuer.
    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    /// Fetches the provider's metadata and keys.
    pub async fn discover(&self) -> Result<(), OidcError> {
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|e| OidcError::Config(e.to_string()))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Config(format!("discovery: {e}")))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let secret = self.settings.client_secret.as_ref().map(|s| ClientSecret::new(s.expose_secret().to_owned()));
        let client = Client::from_provider_metadata(metadata, ClientId::new(self.settings.client_id.clone()), secret)
            .set_redirect_uri(self.redirect.clone());
        *self.discovered.write().await = Some(Arc::new(Discovered { client, end_session }));
        Ok(())
    }

    /// Discovers, retrying with back-off until it works or `cancel` fires.
    pub async fn discover_until_ready(&self, cancel: tokio_util::sync::CancellationToken) {
        let mut wait = Duration::from_millis(250);
        loop {
            match self.discover().await {
                Ok(()) => {
                    tracing::info!(issuer = %self.settings.issuer, "OpenID Connect provider discovered");
                    return;
                }
                Err(error) => tracing::warn!(%error, "OpenID Connect discovery failed; retrying"),
            }
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = cancel.cancelled() => return,
            }
            wait = (wait * 2).min(Duration::from_secs(30));
        }
    }

    async fn ready(&self) -> Result<Arc<Discovered>, OidcError> {
        self.discovered.read().await.clone().ok_or(OidcError::NotReady)
    }

    /// Builds the authorization request: code flow, PKCE (S256), fresh state and nonce.
    pub async fn start(&self) -> Result<Start, OidcError> {
        let discovered = self.ready().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = discovered.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Start {
            url: url.to_string(),
            csrf_state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code (with the PKCE verifier) and verifies the ID token against the nonce.
    pub async fn finish(
        &self,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
        groups_claim: &str,
    ) -> Result<Verified, OidcError> {
        let discovered = self.ready().await?;
        let tokens = discovered
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Config(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(exchange_error(&e)))?;
        let id_token = tokens.id_token().ok_or(OidcError::NoIdToken)?;
        match verify(&discovered.client, id_token, nonce, groups_claim) {
            Err(OidcError::Verify(reason)) if reason.contains("Signature") => {
                // The provider may have rotated its keys since discovery: fetch them once more.
                tracing::info!(
                    "ID token signature not verified with the known keys; fetching the provider's keys again"
                );
                self.discover().await?;
                verify(&self.ready().await?.client, id_token, nonce, groups_claim)
            }
            other => other,
        }
    }

    /// Verifies a raw ID token as if it came from this sign-in (used by tests of the verifier).
    pub async fn verify_raw(&self, raw: &str, nonce: &str, groups_claim: &str) -> Result<Verified, OidcError> {
        let discovered = self.ready().await?;
        let token: ProviderIdToken = raw.parse().map_err(|e: serde_json::Error| OidcError::Verify(e.to_string()))?;
        verify(&discovered.client, &token, nonce, groups_claim)
    }

    /// Where to send the browser to end the session at the provider too, if it offers that.
    pub async fn logout_url(&self, id_token: Option<&str>) -> Option<String> {
        let discovered = self.ready().await.ok()?;
        let endpoint = discovered.end_session.clone()?;
        let mut request = LogoutRequest::from(endpoint).set_client_id(ClientId::new(self.settings.client_id.clone()));
        if let Some(token) = id_token.and_then(|raw| raw.parse::<ProviderIdToken>().ok()) {
            request = request.set_id_token_hint(&token);
        }
        if let Some(back) = &self.post_logout {
            request = request.set_post_logout_redirect_uri(back.clone());
        }
        Some(request.http_get_url().to_string())
    }
}

/// Checks signature, issuer, audience, expiry and nonce; then reads the claims we use.
fn verify(client: &Client, token: &ProviderIdToken, nonce: &str, groups_claim: &str) -> Result<Verified, OidcError> {
    let claims = token
        .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
        .map_err(|e| OidcError::Verify(e.to_string()))?;
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_owned())
        .or_else(|| claims.preferred_username().map(|u| u.as_str().to_owned()));
    let groups = match claims.additional_claims().0.get(groups_claim) {
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        Some(serde_json::Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    };
    Ok(Verified {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        name,
        email: claims.email().map(|e| e.as_str().to_owned()),
        groups,
        id_token: token.to_string(),
    })
}

/// A token-endpoint error without the response body (which may echo secrets).
fn exchange_error<E: std::error::Error>(error: &E) -> String {
    match error.source() {
        Some(source) => format!("{error}: {source}"),
        None => error.to_string(),
    }
}
