"""`fetch_official`: download the catalogued RS/RSX/RA releases from GOV.UK into a folder.

Why its own module: downloading is the one place Headroom touches the network. It uses only urllib, writes
each file to a temporary name in the destination and renames it into place when complete (a cut connection
never leaves a half file under the real name), and turns "no network" into one clear `HeadroomError` rather
than a traceback. A checksum different from the tested copy is a warning in the report, not an error: GOV.UK
revises releases.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from finance.errors import HeadroomError, InputError
from finance.official.catalogue import RELEASES, Release
from finance.store import sha256_file

USER_AGENT = "Headroom (council financial resilience dashboard; python urllib)"
_CHUNK_BYTES = 1 << 16


class PublisherUnreachableError(HeadroomError):
    """The download host could not be reached at all (offline, DNS failure, refused, timed out)."""

    title = "Cannot reach the publisher"


@dataclass(frozen=True)
class FetchReport:
    """One release: 'downloaded', 'present' (the tested copy was already in `dest`), 'missing' (the host
    answered but did not serve it; see `warning`) or 'no_address' (catalogued, but no cited GOV.UK address is
    known: nothing was requested; `file_name`, `url` and `path` are empty). `warning` also notes a checksum that
    differs from the copy Headroom is tested with. `layout` is the layout the release uses."""

    file_name: str
    url: str
    path: str
    financial_year: str
    dataset: str
    status: str
    sha256: str | None
    expected_sha256: str | None
    warning: str = ""
    layout: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fetch_official(dest: Path, *, base_url: str | None = None, timeout_s: float = 60) -> list[FetchReport]:
    """Download every catalogued release with a known address into `dest` (created if needed); returns one
    report per catalogued release (those with no known address as 'no_address', without touching the network).

    `base_url` replaces the host and path: each file is fetched from `base_url + "/" + file_name` (tests
    serve the shared copies from a local server this way). Raises `PublisherUnreachableError` when the host cannot
    be reached, `InputError` for a `base_url` that is not http(s).
    """
    if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
        raise InputError.single("--base-url", "must be an http:// or https:// address", base_url)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    reports: list[FetchReport] = []
    for release in RELEASES:
        if release.url is None or release.file_name is None:
            reports.append(_no_address(release))
            continue
        url = release.url if base_url is None else f"{base_url.rstrip('/')}/{release.file_name}"
        reports.append(_fetch_one(release, url, dest, timeout_s))
    return reports


def _no_address(release: Release) -> FetchReport:
    return FetchReport(
        file_name="",
        url="",
        path="",
        financial_year=release.financial_year,
        dataset=release.dataset,
        status="no_address",
        sha256=None,
        expected_sha256=None,
        warning=(
            f"{release.dataset.split()[0]} {release.financial_year}: no cited GOV.UK address is known — download "
            "it from the collection page and place the file in the official folder"
        ),
        layout=release.layout,
    )


def _fetch_one(release: Release, url: str, dest: Path, timeout_s: float) -> FetchReport:
    assert release.file_name is not None
    target = dest / release.file_name
    if release.sha256 is not None and target.is_file() and sha256_file(target) == release.sha256:
        return _report(release, url, target, "present", release.sha256)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            sha256 = _save(response, target)
    except urllib.error.HTTPError as err:
        return _report(release, url, target, "missing", None, f"the server answered HTTP {err.code} {err.reason}")
    except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
        reason = getattr(err, "reason", err)
        host = urlsplit(url).netloc
        raise PublisherUnreachableError(
            f"cannot reach {host} to download {release.file_name} ({reason}). Check the internet connection, "
            "or copy the files into the folder by hand and run import-official."
        ) from err
    warning = ""
    if release.sha256 is not None and sha256 != release.sha256:
        warning = (
            f"sha256 {sha256[:12]}… differs from the copy Headroom is tested with ({release.sha256[:12]}…): "
            "the publisher may have revised the release; check the import report"
        )
    return _report(release, url, target, "downloaded", sha256, warning)


def _save(response: Any, target: Path) -> str:
    """Stream `response` to a temporary file beside `target`, then rename it into place; returns the sha256."""
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := response.read(_CHUNK_BYTES):
                digest.update(chunk)
                out.write(chunk)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _report(
    release: Release, url: str, target: Path, status: str, sha256: str | None, warning: str = ""
) -> FetchReport:
    return FetchReport(
        file_name=release.file_name or "",
        url=url,
        path=str(target),
        financial_year=release.financial_year,
        dataset=release.dataset,
        status=status,
        sha256=sha256,
        expected_sha256=release.sha256,
        warning=warning,
        layout=release.layout,
    )
