"""Reading the API's one error body (core/api/errors.py) in tests."""


def api_errors(response) -> dict[str, list[str]]:
    """The refusal's messages by field ("detail" for one not about a field),
    as DRF's own body had them: {"email": ["Enter a valid email address."]}."""
    return errors_in(response.json())


def errors_in(body: dict) -> dict[str, list[str]]:
    """`api_errors` of a body already read."""
    assert set(body) == {"type", "errors"}, body
    errors: dict[str, list[str]] = {}
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}, error
        errors.setdefault(error["attr"] or "detail", []).append(error["detail"])
    return errors


def api_error(response) -> str:
    """The message of a refusal that is about no field (401, 403, 404, 429...)."""
    errors = api_errors(response)
    assert list(errors) == ["detail"] and len(errors["detail"]) == 1, errors
    return errors["detail"][0]
