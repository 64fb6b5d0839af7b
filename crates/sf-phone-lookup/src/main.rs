//! The `sf-phone-lookup` Lambda function: the `phoneLookup` operation of sf-core.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    sf_core::function::serve(sf_core::Operation::PhoneLookup).await
}
