"""Property-based requests from the app's own OpenAPI document (schemathesis, bounded): every answer is a status
the document declares, never a 5xx, and every refusal is JSON with one sentence saying why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from tests.agent.conftest import write_tree
from tests.serve.conftest import GREEN, Served, serve
from untilgreen.serve.openapi import document

schema = schemathesis.openapi.from_dict(document(["calc"]))


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server with one small queue: the valid requests the generator happens on are accepted or get 429."""
    tmp = tmp_path_factory.mktemp("fuzzed")
    calc = write_tree(tmp / "calc", GREEN)
    with serve(tmp, "--project", str(calc), "--workers", "1", "--queue", "1") as served:
        yield served


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_bad_inputs_get_a_4xx_with_one_sentence_never_a_5xx(case: schemathesis.Case, fuzzed: Served) -> None:
    response = case.call(base_url=fuzzed.url, timeout=30)
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=[status_code_conformance, content_type_conformance])
    if response.status_code >= 400:
        body = response.json()
        assert list(body) == ["error"], body
        sentence = body["error"]
        assert sentence.endswith(".") and "\n" not in sentence and "Traceback" not in sentence, sentence
