"""Shared by the `quintet` module's tests: where the built Quintet is, and how to read what
`quintet render` writes.

scripts/test installs the module into .venv (`pip install ./python`) and runs these with the
dev-profile bundles it built (QUINTET_BUNDLE_DIR, default target/debug/bundled).
"""

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = PYTHON_DIR.parent
# reference.py (the exact sines, the notebook's fill) and the host tests' helpers.
sys.path[:0] = [str(PYTHON_DIR), str(REPO_ROOT / "tests" / "host")]

from quintet_host import BUNDLE_DIR  # noqa: E402

# WAVE format tags: IEEE float, and the extensible header whose subformat says the same.
WAVE_FORMAT_IEEE_FLOAT = 3
WAVE_FORMAT_EXTENSIBLE = 0xFFFE


@pytest.fixture(scope="session")
def render_cli():
    """Runs the standalone's `render` command with the given arguments (`-q` added), returning
    the samples it wrote and its sample rate; `check=False` returns the completed process."""
    binary = BUNDLE_DIR / "Quintet"
    if not binary.is_file():
        pytest.fail(f"{binary} is missing: run `cargo xtask bundle quintet` first (scripts/test does)")

    def run(tmp_path, *arguments, check=True):
        out = tmp_path / "render.wav"
        command = [str(binary), "render", "-q", "-o", str(out), *map(str, arguments)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if not check:
            return result
        assert result.returncode == 0, f"{command} failed: {result.stderr}"
        return read_float_wav(out)

    return run


def read_float_wav(path):
    """The samples and sample rate of a mono 32-bit float WAV file (the stdlib `wave` module
    reads integer PCM only)."""
    data = Path(path).read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", f"{path} is not a WAV file"
    chunks, offset = {}, 12
    while offset + 8 <= len(data):
        name, size = data[offset : offset + 4], struct.unpack_from("<I", data, offset + 4)[0]
        chunks[name] = data[offset + 8 : offset + 8 + size]
        offset += 8 + size + (size & 1)
    tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", chunks[b"fmt "])
    if tag == WAVE_FORMAT_EXTENSIBLE:
        tag = struct.unpack_from("<H", chunks[b"fmt "], 24)[0]
    assert (tag, channels, bits) == (WAVE_FORMAT_IEEE_FLOAT, 1, 32), "expected mono 32-bit float"
    return np.frombuffer(chunks[b"data"], dtype="<f4"), rate
