"""Chart images kept on disk, so the first pack after a server restart on unchanged data draws nothing.

Why: drawing a pack's charts (a browser start and ~50 plotly.js renders) is most of the first pack's time, and the
in-memory cache (finance.pack.images) dies with the server. The images are content-addressed: a file is named by
the sha256 of everything the image depends on (the figure's full spec, data included; its size and styling; the
plotly.js, kaleido and browser it is drawn with), so a changed figure can never be served an old image, and servers
sharing the folder share the images.

Safe under concurrent servers and crashes: a file is written under a temporary name and renamed into place (a
reader sees the whole file or none), and each file carries the sha256 of its PNG, checked on every read, so a
truncated or corrupted file is ignored (and drawn again). Bounded: past `limit_bytes` the least recently used
files (by modification time, touched on every hit) are deleted. Every disk error is a cache miss, never a failure:
a read-only data folder only means charts are drawn again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path

MAGIC = b"headroom chart png 1\n"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DIGEST_BYTES = 32
PART_MAX_AGE_S = 3600.0  # a temporary file this old was left by a crashed writer


class DiskCache:
    """PNG bytes by key in `folder`, at most about `limit_bytes` in all; shared by threads and processes."""

    def __init__(self, folder: Path, limit_bytes: int) -> None:
        self.folder = folder
        self.limit_bytes = limit_bytes
        self._written = 0  # bytes written since the folder was last measured
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def get(self, key: str) -> bytes | None:
        """The PNG stored under `key`, or None if there is none or it is not whole."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        head = len(MAGIC) + DIGEST_BYTES
        png = data[head:]
        if not data.startswith(MAGIC) or hashlib.sha256(png).digest() != data[len(MAGIC) : head]:
            self.misses += 1
            return None
        if not png.startswith(PNG_SIGNATURE):
            self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        self.hits += 1
        return png

    def put(self, key: str, png: bytes) -> None:
        """Store `png` under `key` (whole or not at all); prune when about a tenth of the limit has been written."""
        if len(png) > self.limit_bytes:
            return
        tmp = ""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{key[:16]}-", suffix=".part")
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + hashlib.sha256(png).digest() + png)
            Path(tmp).replace(self._path(key))
            tmp = ""
        except OSError:
            return
        finally:
            if tmp:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink()
        with self._lock:
            self._written += len(png)
            due = self._written > self.limit_bytes // 10
            if due:
                self._written = 0
        if due:
            self.prune()

    def prune(self) -> None:
        """Delete the least recently used images until the folder holds at most 80% of the limit, and temporary
        files a crashed writer left."""
        files: list[tuple[float, int, Path]] = []
        now = time.time()
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue  # deleted by another server meanwhile
            if entry.name.endswith(".part"):
                if now - st.st_mtime > PART_MAX_AGE_S:
                    with contextlib.suppress(OSError):
                        Path(entry.path).unlink()
            elif entry.name.endswith(".png"):
                files.append((st.st_mtime, st.st_size, Path(entry.path)))
        total = sum(size for _, size, _ in files)
        if total <= self.limit_bytes:
            return
        for _, size, path in sorted(files, key=lambda f: f[0]):
            if total <= self.limit_bytes * 0.8:
                break
            with contextlib.suppress(OSError):
                path.unlink()
            total -= size

    def clear(self) -> None:
        """Delete every image (the benchmark's pack with nothing cached)."""
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.png"):
                with contextlib.suppress(OSError):
                    path.unlink()
