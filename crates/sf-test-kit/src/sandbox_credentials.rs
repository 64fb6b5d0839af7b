//! The credentials JSON of the sandbox's default connected app and user, for each auth
//! flow, as `SF_CREDENTIALS` or an SSM parameter holds it.

use serde_json::json;
use sf_sandbox::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD, DEFAULT_SECURITY_TOKEN,
    DEFAULT_USERNAME, TEST_JWT_PRIVATE_KEY_PEM,
};

/// The client credentials flow.
pub fn client_credentials() -> String {
    json!({"ConsumerKey": DEFAULT_CLIENT_ID, "ConsumerSecret": DEFAULT_CLIENT_SECRET}).to_string()
}

/// The JWT bearer flow, as recommended: the sandbox checks the signature.
pub fn jwt() -> String {
    json!({"ConsumerKey": DEFAULT_CLIENT_ID, "Username": DEFAULT_USERNAME, "PrivateKey": TEST_JWT_PRIVATE_KEY_PEM})
        .to_string()
}

/// The username-password flow, with the user's security token.
pub fn password() -> String {
    json!({
        "ConsumerKey": DEFAULT_CLIENT_ID, "ConsumerSecret": DEFAULT_CLIENT_SECRET,
        "Username": DEFAULT_USERNAME, "Password": DEFAULT_PASSWORD, "AccessToken": DEFAULT_SECURITY_TOKEN
    })
    .to_string()
}
