"""Fixtures shared by every test tier: a temporary database, and the official workbooks from ../shared.

The official files are never copied into the repository; tests read them where they are. Locally a missing
`../shared` skips those tests; in CI (CI=true) it fails them, so CI can never pass without the real data.

Both backends: a module marked `pytestmark = pytest.mark.both_backends` runs each test using `db_path` / `store`
twice, on a DuckDB file and on a DuckLake (catalog in a throwaway PostgreSQL, tests/ducklake_fixtures.py), so
the two cannot drift apart. Unmarked modules use the DuckDB file only.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from finance.store import Store
from tests.ducklake_fixtures import LocalPostgres, postgres  # noqa: F401  (the session fixture, re-exported)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_raw_dir() -> Path | None:
    env = os.environ.get("HEADROOM_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(PROJECT_ROOT.parent / "shared" / "data" / "raw")
    for path in candidates:
        if (path / "la_reserves_mhclg" / "source").is_dir():
            return path
    return None


def _need_shared() -> Path:
    path = shared_raw_dir()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("../shared/data/raw is missing: CI must run with the shared official data beside the clone")
        pytest.skip("official data (../shared/data/raw) not available")
    return path


@pytest.fixture(scope="session")
def shared_raw() -> Path:
    """`../shared/data/raw`: the official returns and their provenance."""
    return _need_shared()


@pytest.fixture(scope="session")
def official_source_dir(shared_raw: Path) -> Path:
    """The folder of MHCLG RS/RA workbooks as published."""
    return shared_raw / "la_reserves_mhclg" / "source"


@pytest.fixture(autouse=True, scope="session")
def _chart_image_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Chart images kept on disk (finance.pack.disk_cache) go to this session's own folder, never the checkout's
    data/cache/ (servers the tests start inherit it): a test never reads an image an earlier run drew."""
    before = os.environ.get("HEADROOM_CACHE_DIR")
    os.environ["HEADROOM_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("HEADROOM_CACHE_DIR", None)
    else:
        os.environ["HEADROOM_CACHE_DIR"] = before


BACKENDS = ("duckdb", "ducklake")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_backends: run the module's store tests on a DuckDB file and on DuckLake")
    config.addinivalue_line("markers", "ducklake: needs PostgreSQL (a throwaway cluster on loopback) for DuckLake")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize(
            "backend", [BACKENDS[0], pytest.param(BACKENDS[1], marks=pytest.mark.ducklake)], indirect=True
        )


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """ "duckdb" (a file) unless the module is marked `both_backends`, which runs it on "ducklake" too."""
    return str(getattr(request, "param", BACKENDS[0]))


@pytest.fixture
def db_path(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> str:
    """Where the test's store lives: a DuckDB file path, or a fresh lake's `ducklake:postgres:…` string."""
    if backend == "ducklake":
        server: LocalPostgres = request.getfixturevalue("postgres")
        return server.fresh_lake()
    return str(tmp_path / "headroom.duckdb")


@pytest.fixture
def store(db_path: str) -> Iterator[Store]:
    """A fresh, empty database with the full schema, in a temporary folder."""
    s = Store.open(db_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def official_db(tmp_path_factory: pytest.TempPathFactory, official_source_dir: Path) -> str:
    """Path of a database holding every shared official return (imported once per test session).

    Open it read-only in tests (`Store.open(path, read_only=True)`), or copy it, so tests cannot disturb each other.
    """
    from finance.official import import_paths

    path = tmp_path_factory.mktemp("official") / "official.duckdb"
    s = Store.open(str(path))
    try:
        import_paths(s, [official_source_dir], user="tests")
        s.checkpoint()
    finally:
        s.close()
    return str(path)


@pytest.fixture(scope="session")
def peer_groups_dir(shared_raw: Path) -> Path:
    """The ONS and DfE statistical-neighbour files as published (NN and SN peer groups)."""
    return shared_raw / "peer_groups" / "source"


@pytest.fixture(scope="session")
def peer_db(tmp_path_factory: pytest.TempPathFactory, official_db: str, peer_groups_dir: Path) -> str:
    """Path of a copy of `official_db` with the statistical-neighbour files imported too (NN and SN groups).
    Open it read-only, or copy it."""
    import shutil

    from finance.official import import_paths

    path = tmp_path_factory.mktemp("peers") / "peers.duckdb"
    shutil.copyfile(official_db, path)
    s = Store.open(str(path))
    try:
        import_paths(s, [peer_groups_dir], user="tests")
        s.checkpoint()
    finally:
        s.close()
    return str(path)


@pytest.fixture
def peer_store(peer_db: str) -> Iterator[Store]:
    """Every shared official return and the NN/SN neighbour lists, read-only."""
    s = Store.open(peer_db, read_only=True)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def official_store(official_db: str) -> Iterator[Store]:
    """Every shared official return, read-only."""
    s = Store.open(official_db, read_only=True)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Path of a database holding the full illustrative demo (built once per session); copy it before writing."""
    from finance.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    s = Store.open(str(path))
    try:
        build_demo(s)
        s.checkpoint()
    finally:
        s.close()
    return str(path)


def copy_database(source: str, target: str | Path) -> str:
    """Copy a database file with the audit head kept beside it (`<file>.audit-head`), as an operator moving a
    database must: `check` reports a database whose audit log has rows but whose head file is missing."""
    shutil.copy(source, target)
    head = Path(source + ".audit-head")
    copied = Path(str(target) + ".audit-head")
    if head.is_file():
        shutil.copy(head, copied)
    else:
        copied.unlink(missing_ok=True)
    return str(target)


DEMAND_FOLDERS = ("demand_dfe_children_looked_after", "demand_dfe_ehc_plans", "demand_mhclg_homelessness")


@pytest.fixture(scope="session")
def demand_source_dirs(shared_raw: Path) -> list[Path]:
    """The folders of the official demand files as published (CLA CSV, EHC plans zip, H-CLIC workbook)."""
    return [shared_raw / name / "source" for name in DEMAND_FOLDERS]


@pytest.fixture(scope="session")
def demand_db(tmp_path_factory: pytest.TempPathFactory, peer_db: str, demand_source_dirs: list[Path]) -> str:
    """Path of a database holding every shared official return, the NN/SN neighbour lists and the demand files
    (built once per session from a copy of `peer_db`); open it read-only or copy it."""
    import shutil

    from finance.official import import_paths

    path = tmp_path_factory.mktemp("demand") / "demand.duckdb"
    shutil.copy(peer_db, path)
    s = Store.open(str(path))
    try:
        import_paths(s, demand_source_dirs, user="tests")
        s.checkpoint()
    finally:
        s.close()
    return str(path)
