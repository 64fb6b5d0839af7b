//! The `sf-query-one` Lambda function: the `queryOne` operation of sf-core.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    sf_core::function::serve(sf_core::Operation::QueryOne).await
}
