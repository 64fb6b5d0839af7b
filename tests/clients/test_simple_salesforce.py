"""simple-salesforce, a Salesforce client people already use, against the sandbox.

The sandbox must take what Salesforce takes from a real client: its trailing
slashes, its API version, its paging through nextRecordsUrl, its reading of
Sforce-Limit-Info. Nothing in the client is patched: it is pointed at the sandbox by
the requests session it is given, whose adapter sends the https:// URLs it writes
to the sandbox's plain http port.

Run with `make client-test` (it builds the sandbox first), or
`.venv/bin/python -m pytest tests/clients` after `cargo build -p sf-sandbox`.
"""

import os
import subprocess
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceGeneralError,
    SalesforceMalformedRequest,
    SalesforceResourceNotFound,
)

REPO = Path(__file__).resolve().parents[2]
# The sandbox's default connected app (crates/sf-sandbox/src/config.rs).
CLIENT_ID = "sandbox-consumer-key"
CLIENT_SECRET = "sandbox-consumer-secret"
# Records per query batch: small, so that query_all reads several batches of the
# sample org's ten contacts.
BATCH_SIZE = 3
JIM_SMITH = "0038V0000000001QAA"


def sandbox_binary() -> Path:
    """target/debug/sf-sandbox, under CARGO_TARGET_DIR when it is set."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", "target"))
    if not target.is_absolute():
        target = REPO / target
    binary = target / "debug" / "sf-sandbox"
    if not binary.exists():
        pytest.fail(f"{binary} is missing: run `cargo build -p sf-sandbox` first")
    return binary


class PlainHttpToSandbox(HTTPAdapter):
    """Sends the https:// requests simple-salesforce writes as http:// to the sandbox."""

    def send(self, request, **kwargs):
        request.url = "http://" + request.url.removeprefix("https://")
        return super().send(request, **kwargs)


@pytest.fixture(scope="module")
def sandbox_url():
    process = subprocess.Popen(
        [str(sandbox_binary()), "--port", "0", "--batch-size", str(BATCH_SIZE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def login(sandbox_url: str, version: str = "59.0") -> Salesforce:
    """Logs in with the client credentials flow (the sandbox plays a My Domain host)
    and hands simple-salesforce the token and a session that reaches the sandbox."""
    token = requests.post(
        f"{sandbox_url}/services/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
        timeout=10,
    )
    assert token.status_code == 200, token.text
    answer = token.json()
    assert answer["instance_url"] == sandbox_url
    instance = answer["instance_url"].removeprefix("http://")
    session = requests.Session()
    session.mount(f"https://{instance}/", PlainHttpToSandbox())
    return Salesforce(
        instance_url=f"https://{instance}",
        session_id=answer["access_token"],
        session=session,
        version=version,
    )


@pytest.fixture()
def sf(sandbox_url):
    return login(sandbox_url)


def test_query(sf):
    answer = sf.query("SELECT Id, Name FROM Contact WHERE LastName = 'Smith'")
    assert answer["done"] is True
    assert answer["totalSize"] == len(answer["records"]) >= 1
    assert all(r["attributes"]["type"] == "Contact" for r in answer["records"])
    assert JIM_SMITH in [r["Id"] for r in answer["records"]]


def test_query_all_reads_every_batch(sf):
    first = sf.query("SELECT Id FROM Contact")
    assert first["done"] is False
    assert len(first["records"]) == BATCH_SIZE
    everything = sf.query_all("SELECT Id FROM Contact")
    ids = [r["Id"] for r in everything["records"]]
    assert everything["totalSize"] == len(ids) == first["totalSize"]
    assert len(ids) > 2 * BATCH_SIZE
    assert len(set(ids)) == len(ids)


def test_sobject_create_get_update_delete(sf):
    created = sf.Case.create(
        {
            "Subject": "Caller reports outage",
            "ContactId": JIM_SMITH,
            "Preferred_Callback_Time__c": "17:30:00.000Z",
        }
    )
    assert created["success"] is True
    case_id = created["id"]
    case = sf.Case.get(case_id)
    assert case["Subject"] == "Caller reports outage"
    assert case["Preferred_Callback_Time__c"] == "17:30:00.000Z"
    assert sf.Case.update(case_id, {"Status": "Closed"}) == 204
    assert sf.Case.get(case_id)["Status"] == "Closed"
    assert sf.Case.delete(case_id) == 204
    with pytest.raises(SalesforceResourceNotFound):
        sf.Case.get(case_id)


def test_a_refused_write_is_salesforces_error(sf):
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Case.create({"Subject": "x", "Preferred_Callback_Time__c": "17:30"})
    assert refused.value.content[0]["errorCode"] == "JSON_PARSER_ERROR"
    assert refused.value.content[0]["fields"] == ["Preferred_Callback_Time__c"]


def test_api_usage_is_read_from_every_answer(sf):
    sf.query("SELECT Id FROM Case LIMIT 1")
    before = sf.api_usage["api-usage"]
    sf.query("SELECT Id FROM Case LIMIT 1")
    after = sf.api_usage["api-usage"]
    assert after.used == before.used + 1
    assert after.total == before.total == 100_000


def test_a_retired_api_version_is_gone(sandbox_url):
    retired = login(sandbox_url, version="30.0")
    with pytest.raises(SalesforceGeneralError) as gone:
        retired.query("SELECT Id FROM Contact")
    assert gone.value.status == 410
    assert gone.value.content[0]["errorCode"] == "GONE"


def test_parameterized_search(sf):
    answer = sf.restful(
        "parameterizedSearch/",
        method="POST",
        json={
            "q": "Smith",
            "fields": ["Id", "Name"],
            "sobjects": [{"name": "Contact"}],
        },
    )
    found = answer["searchRecords"]
    assert found, answer
    assert all(r["attributes"]["type"] == "Contact" for r in found)
    assert JIM_SMITH in [r["Id"] for r in found]


def test_sosl_search(sf):
    """GET /search/?q=FIND …: the SOSL resource."""
    answer = sf.search("FIND {Smith} IN NAME FIELDS RETURNING Contact(Id, Name)")
    found = answer["searchRecords"]
    assert JIM_SMITH in [r["Id"] for r in found]
    assert all(r["attributes"]["type"] == "Contact" for r in found)
