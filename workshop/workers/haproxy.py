"""The load balancer of workers mode: HAProxy (Debian's package), configured by a generated file.

Why HAProxy rather than nginx: Debian's nginx has no cookie stickiness nor active health
checks (those are in the commercial edition); HAProxy has both, and proxies websockets as
they are. What the configuration does:

- **sticky sessions**: the first answer to a browser sets the ``V21WORKER`` cookie to the
  worker that built its page; every later request (the page's websocket included) goes to
  that worker, which holds the page's elements;
- **websockets**: tunnels kept open for an hour of silence (NiceGUI pings every few seconds);
- **a worker down**: a connection refused is retried on another worker (``option redispatch``),
  which then becomes the browser's worker; a worker marked down by the health check below
  has its open connections closed (``on-marked-down shutdown-sessions``), so its tablets
  reconnect through another one;
- **addresses**: the browser's address is passed in ``X-Forwarded-For`` (login throttles
  count per address), except for browsers on this computer, which stay "local" (the
  facilitators' area trusts them); such headers sent by browsers are dropped first;
- **health**: each worker is asked ``GET /_workshop/alive`` every second (answered before
  NiceGUI's session layer, so a check opens no browser session); three failed checks in a
  row (refused, or no answer within 5 s: a worker busy for a moment is not dropped) mark it
  down;
- **TLS** (``workshop serve --tls-cert PEM``, the hosted setup): HAProxy terminates HTTPS
  with that certificate, an optional plain-HTTP port only redirects to the public address,
  answers carry ``Strict-Transport-Security``, the ``V21WORKER`` cookie is ``Secure``, and the
  workers are told ``X-Forwarded-Proto: https``;
- **logs**: one line per request (per websocket, when it closes) on stderr, without the
  browser's address, query strings or join codes (``/join/-``): date, status, worker, timings,
  size, method and path.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workshop.workers import ALIVE_PATH, STICKY_COOKIE

# Let's Encrypt renewals: on the plain-HTTP port, /.well-known/acme-challenge/ goes to
# 127.0.0.1:8402, where `certbot --standalone --http-01-address 127.0.0.1 --http-01-port 8402`
# answers while it renews (README, "Hosting"); 503 the rest of the time.
DEFAULT_ACME_PORT = 8402
DEFAULT_HSTS_SECONDS = 31_536_000  # one year: browsers refuse plain HTTP for this site meanwhile
# One line per request, nothing personal: no client address, no query string, join codes masked.
LOG_FORMAT = "%t %ST %b/%s %Tq/%Tw/%Tc/%Tr/%Ta %B %HM %[var(txn.route)]"
# Connections that fail before a request (a TLS handshake refused…): what failed, not who.
ERROR_LOG_FORMAT = "%t %ft %[fc_err_str]"


@dataclass(frozen=True)
class Tls:
    """HTTPS terminated by HAProxy: the PEM (certificate chain then private key), the public
    address the HTTP port redirects to, and that HTTP port (None: no plain-HTTP listener)."""

    cert: Path
    public_url: str
    http_port: int | None = None
    hsts_seconds: int = DEFAULT_HSTS_SECONDS
    acme_port: int = DEFAULT_ACME_PORT


def find_haproxy() -> str | None:
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(p).exists()), None)


def default_maxconn() -> int:
    """As many connections as the open-files limit allows (HAProxy needs two descriptors each)."""
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 65_536
    return max(500, min(20_000, (hard - 200) // 2))


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def config_text(host: str, port: int, workers: Sequence[tuple[str, int]], *, maxconn: int | None = None,
                tls: Tls | None = None) -> str:
    """The whole ``haproxy.cfg`` for workers ``(name, port)`` listening on 127.0.0.1."""
    maxconn = maxconn or default_maxconn()
    bind = _address(host, port)
    secure = ""
    tls_rules = ""
    if tls is not None:
        bind += f" ssl crt {tls.cert} alpn http/1.1"
        if tls.http_port:
            bind += f"\n    bind {_address(host, tls.http_port)}"
        secure = " secure"
        tls_rules = ("    acl acme path_beg /.well-known/acme-challenge/\n"
                     f"    http-request redirect prefix {tls.public_url} code 301 unless {{ ssl_fc }} || acme\n"
                     "    http-request set-header X-Forwarded-Proto https if { ssl_fc }\n"
                     f"    http-response set-header Strict-Transport-Security \"max-age={tls.hsts_seconds}\" "
                     "if { ssl_fc }\n")
    acme_route = "    use_backend acme if acme !{ ssl_fc }\n" if tls is not None and tls.http_port else ""
    acme = ("\nbackend acme\n"
            f"    server certbot 127.0.0.1:{tls.acme_port}\n") if tls is not None and tls.http_port else ""
    servers = "\n".join(f"    server {name} 127.0.0.1:{worker_port} cookie {name}" for name, worker_port in workers)
    return f"""# Generated by `workshop serve --workers {len(workers)}` (workshop/workers/haproxy.py): do not edit.
global
    maxconn {maxconn}
    log stderr format raw local0 info

defaults
    mode http
    log global
    option dontlognull
    log-format "{LOG_FORMAT}"
    error-log-format "{ERROR_LOG_FORMAT}"
    timeout connect 3s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    timeout http-keep-alive 10s
    timeout client-fin 5s
    retries 2
    option redispatch 1

frontend visions21
    bind {bind}
    http-request del-header X-Forwarded-For
    http-request del-header Forwarded
    http-request del-header X-Real-IP
    http-request del-header X-Forwarded-Proto
    http-request set-var(txn.route) path,regsub(^/join/[^/]*,/join/-)
{tls_rules}    option forwardfor except 127.0.0.0/8
{acme_route}    default_backend workers

backend workers
    balance leastconn
    cookie {STICKY_COOKIE} insert indirect nocache httponly{secure}
    option httpchk GET {ALIVE_PATH}
    http-check expect status 200
    timeout check 5s
    default-server check inter 1s fastinter 500ms fall 3 rise 2 on-marked-down shutdown-sessions
{servers}
{acme}"""


def write_config(path: Path, host: str, port: int, workers: Sequence[tuple[str, int]], *,
                 tls: Tls | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config_text(host, port, workers, tls=tls))
    return path


def command(haproxy: str, config: Path) -> list[str]:
    """Foreground (``-db``), so the supervisor owns the process and sees it die."""
    return [haproxy, "-db", "-f", str(config)]


def check(haproxy: str, config: Path) -> tuple[bool, str]:
    """HAProxy's own check of the file (``-c``): (valid, what it said)."""
    import subprocess

    done = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    return done.returncode == 0, (done.stdout + done.stderr).strip()
