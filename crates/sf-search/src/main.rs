//! The `sf-search` Lambda function: the `search` operation of sf-core.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    sf_core::function::serve(sf_core::Operation::Search).await
}
