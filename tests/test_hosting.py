"""The hosted setup: HTTPS terminated by HAProxy, Secure cookies, HSTS, health, logs without personal data.

The end-to-end test makes a throw-away certificate authority with openssl (a CA and a server
certificate for localhost and 127.0.0.1), adds the CA to an NSS database (``certutil``) in a
home folder of its own, and launches Debian's Chromium with that home: Chromium trusts the
CA as a system administrator's would, without ``--ignore-certificate-errors``. A second
Chromium, whose NSS database is empty, must refuse the same site (so the first one's success
is the CA's doing). The server is the real ``workshop serve --workers 1 --tls-cert …
--http-port …`` on PostgreSQL and Redis.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port
from test_crash_restart import CARDS, Tablet, _join, _prepare, _wait_count
from test_workers import Deployment, _run
from workshop import config
from workshop.cli import main
from workshop.models import Participant
from workshop.workers import STICKY_COOKIE
from workshop.workers.haproxy import Tls, check, config_text, find_haproxy, write_config

NAME = "Zéphyrine Quillebeuf"  # nobody else in any fixture: found in a log only if the log leaks it
SECRET = "crash-2026"  # the facilitator code of test_crash_restart._prepare


@dataclass(frozen=True)
class Pki:
    ca: Path
    site: Path  # server certificate then its key: what --tls-cert takes
    trusted_home: Path  # HOME whose ~/.pki/nssdb trusts the CA
    untrusted_home: Path  # HOME whose NSS database trusts nothing of ours


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _nss_home(home: Path, ca: Path | None) -> Path:
    db = home / ".pki" / "nssdb"
    db.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{db}", "-N", "--empty-password"], check=True, capture_output=True)
    if ca is not None:
        subprocess.run(["certutil", "-d", f"sql:{db}", "-A", "-t", "C,,", "-n", "Visions21 test CA", "-i", str(ca)],
                       check=True, capture_output=True)
    return home


def issue_server_certificate(folder: Path) -> Path:
    """A new key and certificate for localhost / 127.0.0.1 from the folder's CA, as site.pem."""
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=localhost", cwd=folder)
    (folder / "server.ext").write_text("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                                       "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.pem", "-days", "2", "-extfile", "server.ext", cwd=folder)
    site = folder / "site.pem"
    site.write_text((folder / "server.pem").read_text() + (folder / "server.key").read_text())
    site.chmod(0o600)
    return site


def _served_certificate(port: int) -> str:
    return ssl.DER_cert_to_PEM_cert(ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate(("127.0.0.1", port))))


def _certificate_of(site: Path) -> str:
    first = site.read_text().split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
    return ssl.DER_cert_to_PEM_cert(ssl.PEM_cert_to_DER_cert(first))


def make_pki(folder: Path) -> Pki:
    """A throw-away CA and a server certificate for localhost / 127.0.0.1, valid two days."""
    for tool in ("openssl", "certutil"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run scripts/install-system-deps.sh (make test does)")
    folder.mkdir(parents=True, exist_ok=True)
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=Visions21 throw-away test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
    site = issue_server_certificate(folder)
    return Pki(folder / "ca.pem", site, _nss_home(folder / "trusted-home", folder / "ca.pem"),
               _nss_home(folder / "untrusted-home", None))


# --- the generated configuration and the command's refusals (no server) ---------------------


def test_tls_configuration_is_valid_for_haproxy_and_laptop_mode_stays_plain_http(tmp_path):
    haproxy = find_haproxy()
    if haproxy is None:
        pytest.fail("haproxy is missing: run scripts/install-system-deps.sh (make test does)")
    pki = make_pki(tmp_path / "pki")
    tls = Tls(pki.site, "https://visions21.example.fr", http_port=8081)
    path = write_config(tmp_path / "haproxy.cfg", "127.0.0.1", 8443, [("w1", 40001)], tls=tls)
    valid, said = check(haproxy, path)
    assert valid, said
    text = path.read_text()
    assert f"bind 127.0.0.1:8443 ssl crt {pki.site}" in text and "bind 127.0.0.1:8081\n" in text
    assert "redirect prefix https://visions21.example.fr code 301 unless { ssl_fc }" in text
    assert 'Strict-Transport-Security "max-age=31536000"' in text
    assert f"cookie {STICKY_COOKIE} insert indirect nocache httponly secure" in text
    assert "option httpchk GET /_workshop/alive" in text
    # Let's Encrypt renewals reach certbot through the plain-HTTP port only
    assert "use_backend acme if acme !{ ssl_fc }" in text and "server certbot 127.0.0.1:8402" in text
    # the laptop (and plain workers mode): no TLS, no HSTS, no Secure cookie
    plain = config_text("0.0.0.0", 8080, [("w1", 40001)])
    assert " ssl " not in plain and "Strict-Transport-Security" not in plain and "httponly secure" not in plain
    # logs: no client address, no query string, join codes masked
    assert "%ci" not in plain and "%r" not in plain and "regsub(^/join/[^/]*,/join/-)" in plain


def test_cookies_are_secure_only_when_hosted_behind_https(monkeypatch):
    monkeypatch.delenv("WORKSHOP_TLS_CERT", raising=False)
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    assert not config.https()  # the laptop in a room without internet: plain HTTP
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "http://192.168.1.20:8080")
    assert not config.https()
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "https://visions21.example.fr/")
    assert config.https() and config.public_url() == "https://visions21.example.fr"


def test_serve_refuses_tls_without_an_https_public_address_or_a_readable_certificate(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    assert main(["serve", "--tls-cert", str(tmp_path / "missing.pem"), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "le certificat" in err and "est introuvable" in err
    assert "donnez l'adresse publique du site : --public-url https://" in err
    pem = tmp_path / "site.pem"
    pem.write_text("x")
    assert main(["serve", "--tls-cert", str(pem), "--public-url", "http://visions21.example.fr", "--port", "1"]) == 2
    assert "l'adresse publique doit commencer par https://" in capsys.readouterr().err
    assert main(["serve", "--public-url", "visions21.example.fr", "--port", "1"]) == 2
    assert "l'adresse publique doit être de la forme https://nom.du.site" in capsys.readouterr().err
    assert main(["serve", "--http-port", "8081", "--port", "1"]) == 2
    assert "--http-port ne sert qu'avec --tls-cert" in capsys.readouterr().err
    assert not (tmp_path / "workers").exists()  # nothing was started


# --- the real thing: HAProxy with TLS in front of a worker, Chromium trusting the test CA ------


class HostedDeployment(Deployment):
    """``workshop serve --workers 1 --tls-cert … --http-port … --public-url https://localhost:PORT``."""

    def __init__(self, tmp_path: Path, pki: Pki) -> None:
        super().__init__(tmp_path)
        self.pki = pki
        self.http_port = _free_port()
        self.public = f"https://localhost:{self.port}"

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "workshop", "serve", "--workers", "1", "--host", "127.0.0.1",
                 "--port", str(self.port), "--http-port", str(self.http_port), "--tls-cert", str(self.pki.site),
                 "--public-url", self.public], env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while "HAProxy sur" not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("hosted server did not start:\n" + self.log.read_text() + self.worker_logs())
            time.sleep(0.3)

    def all_logs(self) -> str:
        folder = self.data_dir / "workers"
        return self.log.read_text() + "".join(p.read_text() for p in sorted(folder.glob("*.log")))


@pytest.fixture
def hosted(tmp_path):
    running = HostedDeployment(tmp_path, make_pki(tmp_path / "pki"))
    try:
        yield running
    finally:
        running.stop()


def _redirect(port: int, path: str) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


@pytest.mark.e2e
@pytest.mark.postgres
def test_chromium_trusting_the_test_ca_gets_https_secure_cookies_hsts_and_logs_without_personal_data(hosted):
    sid, code, activity_id = _prepare(hosted.db)
    hosted.start()
    public = hosted.public

    # plain HTTP only redirects, to the public https:// address, path and query kept
    assert _redirect(hosted.http_port, f"/join/{code}?from=qr") == (301, f"{public}/join/{code}?from=qr")

    # the monitoring probe, over HTTPS, trusting the test CA: database and Redis answer; no session opened
    trust = ssl.create_default_context(cafile=str(hosted.pki.ca))
    with urllib.request.urlopen(f"{public}/_workshop/health", context=trust, timeout=10) as response:
        assert response.status == 200 and json.loads(response.read()) == {
            "ok": True, "worker": "w1", "database": "ok", "redis": "ok"}
        assert not [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("session=")]

    async def scenario() -> None:
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            stranger = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                               env={**os.environ, "HOME": str(hosted.pki.untrusted_home)})
            try:
                page = await stranger.new_page()
                with pytest.raises(PlaywrightError, match="ERR_CERT_AUTHORITY_INVALID"):
                    await page.goto(f"{public}/")
            finally:
                await stranger.close()

            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              env={**os.environ, "HOME": str(hosted.pki.trusted_home)})
            try:
                home = await browser.new_page()
                response = await home.goto(f"{public}/")
                assert response.ok and home.url == f"{public}/"
                assert re.fullmatch(r"max-age=\d{7,}", response.headers["strict-transport-security"])
                # typed without https: Chromium follows the redirect and lands on the https site
                await home.goto(f"http://localhost:{hosted.http_port}/")
                assert home.url == f"{public}/"

                tablet = Tablet(NAME)
                await _join(browser, public, code, tablet)
                assert tablet.page.url.startswith(f"{public}/tablet/")
                card = CARDS[0]
                await tablet.page.get_by_role("button", name=f"Ajouter une gommette à «\u00a0{card}\u00a0»").click()
                await _wait_count(tablet.page, card, 1, 15_000)
                cookies = {c["name"]: c for c in await tablet.page.context.cookies()}
                assert {"session", STICKY_COOKIE} <= set(cookies), cookies.keys()
                for name in ("session", STICKY_COOKIE):
                    assert cookies[name]["secure"] and cookies[name]["httpOnly"], cookies[name]
            finally:
                await browser.close()

    _run(scenario())
    with hosted.db.read() as session:  # the name is in the database: the logs below could have had it
        assert session.scalars(select(Participant.display_name).where(Participant.seminar_id == sid)).all() == [NAME]

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and f"event vote.changed seminar={sid}" not in hosted.all_logs():
        time.sleep(0.2)
    logs = hosted.all_logs()
    # one line per event and per request...
    assert re.search(rf"Z w1 event participant\.joined seminar={sid} participant_id=\d+\n", logs), logs[-3000:]
    assert re.search(rf"Z w1 event vote\.changed seminar={sid} activity_id={activity_id} card_id=\d+\n", logs)
    requests = [line for line in logs.splitlines() if re.search(r" (GET|POST) /", line)]
    assert any(" GET /join/- " in f"{line} " for line in requests), requests[-20:]
    # ...and nothing personal: no name, no code, no facilitator secret, no browser address
    for leak in (NAME, "Zéphyrine", "Quillebeuf", code, SECRET):
        assert leak not in logs, f"{leak!r} is in the logs"
    assert not [line for line in requests if "from=qr" in line]
    # the stranger's refused handshake is logged too, without the address it came from
    balancer = (hosted.data_dir / "workers" / "haproxy.log").read_text()
    assert "SSL handshake failure" in balancer and "127.0.0.1" not in balancer, balancer[-2000:]
    assert "presence.worker" not in logs  # the workers' heartbeat is not an event of the room

    # a renewed certificate: `systemctl reload` (SIGHUP) and HAProxy serves it, nothing restarted
    old = _served_certificate(hosted.port)
    assert old == _certificate_of(hosted.pki.site)
    renewed = _certificate_of(issue_server_certificate(hosted.pki.site.parent))
    assert renewed != old
    hosted.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while _served_certificate(hosted.port) != renewed:
        assert time.monotonic() < deadline, "the renewed certificate is not served after SIGHUP"
        time.sleep(0.3)
    assert hosted.process.poll() is None and "HAProxy rechargé" in hosted.log.read_text()
    # a broken file is refused at reload: the renewed certificate keeps being served
    hosted.pki.site.write_text("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
    hosted.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while "Rechargement refusé" not in hosted.log.read_text():
        assert time.monotonic() < deadline, "a broken certificate was not refused at reload"
        time.sleep(0.3)
    assert _served_certificate(hosted.port) == renewed and hosted.process.poll() is None


def test_the_health_probe_says_503_when_the_database_does_not_answer(tmp_path, monkeypatch):
    """What the monitoring sees; the proxy's check (alive) does not depend on the database."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from workshop.db import Database, set_database
    from workshop.ui.health import HealthMiddleware

    monkeypatch.delenv("WORKSHOP_WORKER_ID", raising=False)
    app = HealthMiddleware(Starlette())
    client = TestClient(app)
    working = Database(f"sqlite:///{tmp_path / 'workshop.sqlite3'}")
    down = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    try:
        set_database(working)
        answer = client.get("/_workshop/health")
        assert answer.status_code == 200 and answer.json() == {"ok": True, "worker": None, "database": "ok"}
        set_database(down)
        answer = client.get("/_workshop/health")
        assert answer.status_code == 503 and answer.json()["database"] == "unreachable"
        assert client.get("/_workshop/alive").status_code == 200
        assert "set-cookie" not in answer.headers
    finally:
        set_database(None)
        working.dispose()
        down.dispose()
