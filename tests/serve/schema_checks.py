"""schemathesis hooks (SCHEMATHESIS_HOOKS): every refusal of `untilgreen serve` is JSON with one sentence."""

import schemathesis


@schemathesis.check
def refusals_are_one_sentence(ctx, response, case):
    if response.status_code < 400:
        return None
    body = response.json()
    if list(body) != ["error"]:
        raise AssertionError(f"a refusal is not {{'error': ...}}: {body}")
    sentence = body["error"]
    if not sentence.endswith(".") or "\n" in sentence or "Traceback" in sentence:
        raise AssertionError(f"a refusal is not one sentence: {sentence!r}")
    return None
