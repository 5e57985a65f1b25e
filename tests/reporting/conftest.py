from tests.api.conftest import _fresh_throttle, key_for, reports  # noqa: F401 - fixtures
