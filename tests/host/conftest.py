"""Fixtures shared by the host tests."""

import pytest

from quintet_host import BUNDLE_DIR


@pytest.fixture(scope="session")
def vst3_path():
    path = BUNDLE_DIR / "Quintet.vst3"
    if not path.is_dir():
        pytest.fail(f"{path} is missing: run `cargo xtask bundle quintet` first (scripts/test does)")
    return str(path)
