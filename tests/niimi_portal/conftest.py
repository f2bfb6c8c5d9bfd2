import pytest

from niimi_portal.lib import furigana


@pytest.fixture
def analyzed(monkeypatch):
    """The texts the ふりがな analyzer is asked to read (the tests of stored readings count them)."""
    calls = []
    analyze = furigana.analyze
    monkeypatch.setattr(furigana, "analyze", lambda text: calls.append(text) or analyze(text))
    return calls
