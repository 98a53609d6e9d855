import pytest

from tests.test_fuzz_api import _failures, _operations, demo_app, tokens  # noqa: F401


@pytest.mark.parametrize("who", ["admin", "worker1"])
def test_cases_fuzz(who, tokens, demo_app):  # noqa: F811
    failures = [
        f
        for operation in _operations(demo_app)
        if "case" in operation.path or operation.path.endswith("/sync")
        for f in _failures(operation, tokens[who], demo_app)
    ]
    assert not failures, "\n\n".join(failures)
