//! The `sf-lookup` Lambda function: the `lookup and lookup_all` operation of sf-core.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    sf_core::function::serve(sf_core::Operation::Lookup).await
}
