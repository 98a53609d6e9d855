import pytest
from tests.test_fuzz_api import _failures, _operations, demo_app, tokens  # noqa: F401

@pytest.mark.parametrize("who", ["admin", "worker1"])
def test_rollup_fuzz(who, tokens, demo_app):
    failures = [f for op in _operations(demo_app) if "rollup" in op.path for f in _failures(op, tokens[who], demo_app)]
    assert not failures, "\n\n".join(failures)
