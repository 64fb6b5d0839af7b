//! What a sandbox is started with: the port, plain HTTP or HTTPS, the credentials its token endpoint
//! accepts, how long tokens live, the query batch size and the seed org. The
//! defaults are fixed, documented values so that tests in other crates can log in
//! without configuring anything.

use std::sync::Arc;
use std::time::Duration;

pub use crate::api_usage::DEFAULT_DAILY_API_REQUESTS;
use crate::model::seed::SeedData;
use crate::tls::TestCa;

/// The connected app's consumer key the sandbox accepts by default.
pub const DEFAULT_CLIENT_ID: &str = "sandbox-consumer-key";
/// The connected app's consumer secret the sandbox accepts by default.
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-consumer-secret";
/// The integration user's username (the sample org's first User).
pub const DEFAULT_USERNAME: &str = "integration@sandbox.example";
/// The integration user's password, without the security token.
pub const DEFAULT_PASSWORD: &str = "sandbox-password";
/// The integration user's security token, appended to the password in the
/// password grant.
pub const DEFAULT_SECURITY_TOKEN: &str = "SANDBOXTOKEN";
/// How long an access token lives by default (Salesforce's default session timeout).
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(2 * 60 * 60);
/// The JWT bearer assertion's `aud` a production org wants. A sandbox or scratch
/// org wants `https://test.salesforce.com`, an Experience Cloud site its own URL
/// ("OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration", Salesforce Help).
pub const PRODUCTION_JWT_AUDIENCE: &str = "https://login.salesforce.com";
/// Records per query answer, as Salesforce's default batch size.
pub const DEFAULT_BATCH_SIZE: usize = 2000;

/// A TEST-ONLY RSA public key (PEM), accepted by default for the JWT bearer grant.
/// Its private half is [`TEST_JWT_PRIVATE_KEY_PEM`]; both are committed and public,
/// so they must never be trusted outside tests.
pub const TEST_JWT_PUBLIC_KEY_PEM: &str =
    include_str!("../tests/fixtures/test-only-jwt-public-key.pem");
/// The TEST-ONLY RSA private key (PKCS#8 PEM) that signs JWTs the default sandbox
/// accepts.
pub const TEST_JWT_PRIVATE_KEY_PEM: &str =
    include_str!("../tests/fixtures/test-only-jwt-private-key.pem");

/// The credentials the token endpoint accepts.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
    /// Compared case-insensitively, as Salesforce compares usernames.
    pub username: String,
    pub password: String,
    /// Salesforce expects `password + security_token` in the password grant.
    pub security_token: String,
    /// PEM RSA public key that verifies JWT bearer assertions; `None` refuses the
    /// JWT grant.
    pub jwt_public_key_pem: Option<String>,
    /// The only `aud` the JWT grant accepts: the login server of the kind of org the
    /// sandbox plays ([`PRODUCTION_JWT_AUDIENCE`] by default).
    pub jwt_audience: String,
}

impl Default for Credentials {
    fn default() -> Credentials {
        Credentials {
            client_id: DEFAULT_CLIENT_ID.into(),
            client_secret: DEFAULT_CLIENT_SECRET.into(),
            username: DEFAULT_USERNAME.into(),
            password: DEFAULT_PASSWORD.into(),
            security_token: DEFAULT_SECURITY_TOKEN.into(),
            jwt_public_key_pem: Some(TEST_JWT_PUBLIC_KEY_PEM.into()),
            jwt_audience: PRODUCTION_JWT_AUDIENCE.into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    pub credentials: Credentials,
    pub token_lifetime: Duration,
    /// Records per query answer before `nextRecordsUrl` (small in tests).
    pub batch_size: usize,
    /// The org's daily API request allocation (`Sforce-Limit-Info`'s second number).
    pub daily_api_requests: u64,
    pub seed: SeedData,
    /// Serve HTTPS with a certificate this CA signs for `127.0.0.1` and `localhost`;
    /// `None` serves plain HTTP.
    pub tls: Option<Arc<TestCa>>,
}

impl Default for SandboxConfig {
    fn default() -> SandboxConfig {
        SandboxConfig {
            port: 0,
            credentials: Credentials::default(),
            token_lifetime: DEFAULT_TOKEN_LIFETIME,
            batch_size: DEFAULT_BATCH_SIZE,
            daily_api_requests: DEFAULT_DAILY_API_REQUESTS,
            seed: SeedData::sample(),
            tls: None,
        }
    }
}
