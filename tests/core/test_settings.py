"""Settings: declared once, parsed strictly, read by the server and the app alike, documented in the README."""

import pytest

from tests.helpers import ROOT
from webapp import settings
from webapp.settings import SettingsError, load


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)])
def test_booleans_take_the_usual_words(raw: str, value: bool) -> None:
    assert load({"RATELIMIT_ENABLED": raw}).RATELIMIT_ENABLED is value


@pytest.mark.parametrize(
    ("name", "raw", "says"),
    [
        ("RATELIMIT_ENABLED", "maybe", "RATELIMIT_ENABLED='maybe': expected one of 1, 0, true"),
        ("PDF_ISOLATE", "", "PDF_ISOLATE=''"),
        ("PORT", "80a", "PORT='80a': expected a whole number"),
        ("PORT", "70000", "PORT=70000: must be at most 65535"),
        ("PDF_TIME_LIMIT", "nan", "PDF_TIME_LIMIT='nan': expected a finite number"),
        ("PDF_TIME_LIMIT", "0", "PDF_TIME_LIMIT=0.0: must be at least 1"),
        ("MAX_CONTENT_LENGTH", "1.5", "MAX_CONTENT_LENGTH='1.5': expected a whole number"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL='loud': expected one of debug, info"),
        ("GUIDES_DIR", " ", "GUIDES_DIR is empty"),
        ("SERVER_THREADS", "-1", "SERVER_THREADS=-1: must be at least 0"),
        ("SERVER_CHANNEL_TIMEOUT", "soon", "SERVER_CHANNEL_TIMEOUT='soon': expected a number"),
        ("SERVER_CHANNEL_TIMEOUT", "0", "SERVER_CHANNEL_TIMEOUT=0.0: must be at least 2"),
        ("PDF_POOL_SIZE", "-1", "PDF_POOL_SIZE=-1: must be at least 0"),
        ("PDF_QUEUE_WAIT", "inf", "PDF_QUEUE_WAIT='inf': expected a finite number"),
        ("PDF_POOL_RENDERS", "0", "PDF_POOL_RENDERS=0: must be at least 1"),
        ("SERVER_CONNECTION_LIMIT", "5", "SERVER_CONNECTION_LIMIT=5: must be at least 10"),
        ("PDF_CLIENT_SLOTS", "0", "PDF_CLIENT_SLOTS=0: must be at least 1"),
        ("TRUSTED_HOSTS", "a_b.example", "not a host name: 'a_b.example'"),
        ("TRUSTED_HOSTS", "guide.example.org, bad host", "TRUSTED_HOSTS='guide.example.org, bad host': not a host"),
        ("TRUSTED_HOSTS", "-x.example", "not a host name: '-x.example'"),
        ("FORWARDED_ALLOW_IPS", "10.0.0.300", "FORWARDED_ALLOW_IPS='10.0.0.300': not an address or network"),
        ("FORWARDED_ALLOW_IPS", "10.0.0.1/8", "not an address or network: '10.0.0.1/8'"),
    ],
)
def test_a_malformed_value_is_refused_naming_the_variable(name: str, raw: str, says: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load({name: raw})
    assert says in str(refused.value)


def test_defaults_hold_without_any_variable() -> None:
    defaults = load({})
    assert defaults.RATELIMIT_ENABLED is True
    assert defaults.PDF_MAX_PAGES == 40 and defaults.SUMMARY_MAX_PAGES == 30
    assert defaults.PDF_CLIENT_SLOTS == 1 and defaults.TRUSTED_PROXIES == 0 and defaults.TRUSTED_HOSTS == ""
    assert defaults.PDF_POOL_SIZE >= 1  # 0 means one per CPU
    assert defaults.PDF_POOL_QUEUE == 2 * defaults.PDF_POOL_SIZE
    assert defaults.SERVER_THREADS == defaults.PDF_POOL_SIZE + defaults.PDF_POOL_QUEUE + 16


def test_pdfs_can_never_take_every_thread() -> None:
    with pytest.raises(SettingsError, match="SERVER_THREADS=6: must be more than PDF_POOL_SIZE"):
        load({"SERVER_THREADS": "6", "PDF_POOL_SIZE": "2", "PDF_POOL_QUEUE": "4"})
    assert load({"SERVER_THREADS": "7", "PDF_POOL_SIZE": "2", "PDF_POOL_QUEUE": "4"}).SERVER_THREADS == 7


def test_lists_of_hosts_and_addresses_are_accepted() -> None:
    loaded = load({"TRUSTED_HOSTS": "guide.example.org, .example.net,[::1], 127.0.0.1", "FORWARDED_ALLOW_IPS": "*"})
    assert loaded.TRUSTED_HOSTS.startswith("guide.example.org")
    assert load({"FORWARDED_ALLOW_IPS": "10.0.0.0/8, ::1, 192.0.2.7"}).FORWARDED_ALLOW_IPS


def test_overrides_are_checked_against_the_same_bounds() -> None:
    with pytest.raises(SettingsError, match="SUMMARY_MAX_PAGES=0"):
        load({}, {"SUMMARY_MAX_PAGES": 0})


def test_the_readme_table_is_the_declared_settings() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- settings table: python -m webapp.settings -->\n", "<!-- end of settings table -->"
    assert start in readme and end in readme
    assert readme.split(start, 1)[1].split(end, 1)[0] == settings.markdown_table()


@pytest.mark.parametrize(
    ("cpu_max", "at_most"),
    [("150000 100000\n", 2), ("50000 100000\n", 1), ("max 100000\n", None), ("garbage", None)],
)
def test_the_render_pool_follows_the_containers_cpu_limit(tmp_path, cpu_max: str, at_most: int | None) -> None:
    from webapp.settings import _cpus

    limit = tmp_path / "cpu.max"
    limit.write_text(cpu_max)
    cpus = _cpus(limit)
    if at_most is None:
        assert cpus == _cpus(tmp_path / "missing")  # no limit: the CPUs the process may run on
    else:
        assert 1 <= cpus <= at_most
