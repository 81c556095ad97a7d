"""``workshop serve --workers N``: N worker processes behind HAProxy, watched and restarted.

Start-up: checks what workers mode needs (PostgreSQL in ``DATABASE_URL``, Redis, HAProxy),
brings the schema up to date once, starts the workers on free ports of 127.0.0.1 (each is
``workshop serve`` with ``WORKSHOP_WORKER_ID`` set), waits until each answers, then writes
``<data dir>/workers/haproxy.cfg`` and starts HAProxy on the public address.

SIGHUP (``systemctl reload``) starts a new HAProxy with the configuration and certificate
read again (a renewed certificate) while the old one finishes its connections.

While it runs: a worker that dies (crash, SIGKILL, out of memory) is started again on its
port within a second or so; meanwhile HAProxy sends its browsers to the other workers. Both
moments are one line on standard error: its death, and its return once it answers again (with
how long it was away). If
HAProxy itself dies, everything stops (exit status 1). SIGTERM or Ctrl-C stops HAProxy
and the workers (each closes its pages cleanly).

With ``--tls-cert`` (the hosted setup) HAProxy also terminates HTTPS (see ``haproxy.Tls``);
the workers are told so (``WORKSHOP_TLS_CERT``, ``WORKSHOP_PUBLIC_URL``: ``Secure`` cookies, QR
codes and links to the public address).

Logs: ``<data dir>/workers/w1.log``… (one line per event, ``workshop/eventlog.py``) and
``haproxy.log`` (one line per request); neither has names, codes nor addresses.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from workshop import config
from workshop.workers import (
    EVENTS_CHANNEL_ENV,
    HEALTH_PATH,
    REDIS_PREFIX_ENV,
    REDIS_URL_ENV,
    haproxy,
    redis_prefix,
    redis_url,
)

START_TIMEOUT = 90.0
RESTART_ENV = "WORKSHOP_WORKER_RESTART_SECONDS"  # wait this long before starting a dead worker again


def restart_pause() -> float:
    try:
        return max(0.0, float(os.environ.get(RESTART_ENV, "1")))
    except ValueError:
        return 1.0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def answers(port: int, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Worker:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None
    restarts: int = 0
    started_at: float = 0.0
    died_at: float | None = None
    away_since: float | None = None  # found dead at; cleared once it answers again after its restart


@dataclass
class Supervisor:
    host: str
    port: int
    count: int
    run_dir: Path
    env: dict[str, str]
    workers: list[Worker] = field(default_factory=list)
    balancer: subprocess.Popen | None = None
    tls: haproxy.Tls | None = None
    stopping: bool = False
    reload_requested: bool = False  # SIGHUP: HAProxy reads its configuration and certificate again
    retired: list[subprocess.Popen] = field(default_factory=list)  # old HAProxy finishing its connections
    pause: float = field(default_factory=restart_pause)

    def worker_env(self, worker: Worker) -> dict[str, str]:
        return {**self.env, "WORKSHOP_WORKER_ID": worker.name}

    def start_worker(self, worker: Worker) -> None:
        with worker.log.open("ab") as out:
            worker.process = subprocess.Popen(
                [sys.executable, "-m", "workshop", "serve", "--host", "127.0.0.1", "--port", str(worker.port)],
                env=self.worker_env(worker), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        worker.started_at = time.monotonic()
        worker.died_at = None
        (self.run_dir / f"{worker.name}.pid").write_text(f"{worker.process.pid}\n")

    def wait_ready(self, workers: list[Worker]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        pending = list(workers)
        while pending:
            for worker in list(pending):
                if worker.process.poll() is not None:
                    raise RuntimeError(f"le processus {worker.name} s'est arrêté au démarrage "
                                       f"(code {worker.process.returncode}) : voir {worker.log}")
                if answers(worker.port):
                    pending.remove(worker)
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"{', '.join(w.name for w in pending)} ne répond pas après {START_TIMEOUT:.0f} s")
            time.sleep(0.2)

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.workers = [Worker(f"w{i}", free_port(), self.run_dir / f"w{i}.log") for i in range(1, self.count + 1)]
        for worker in self.workers:
            self.start_worker(worker)
        self.wait_ready(self.workers)
        cfg = self._write_balancer_config()
        valid, said = haproxy.check(haproxy.find_haproxy(), cfg)
        if not valid:
            raise RuntimeError(f"configuration HAProxy refusée ({cfg}) :\n{said}")
        self.balancer = self._start_balancer(cfg)
        deadline = time.monotonic() + 15
        while not self._balancer_answers():
            if self.balancer.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"HAProxy ne démarre pas sur {self.host}:{self.port} : voir {self.run_dir / 'haproxy.log'}")
            time.sleep(0.1)

    def _write_balancer_config(self) -> Path:
        return haproxy.write_config(self.run_dir / "haproxy.cfg", self.host, self.port,
                                    [(w.name, w.port) for w in self.workers], tls=self.tls)

    def _start_balancer(self, cfg: Path, replacing: subprocess.Popen | None = None) -> subprocess.Popen:
        command = haproxy.command(haproxy.find_haproxy(), cfg)
        if replacing is not None:  # the old one stops listening once the new one is ready (-sf)
            command += ["-sf", str(replacing.pid)]
        with (self.run_dir / "haproxy.log").open("ab") as out:
            balancer = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        (self.run_dir / "haproxy.pid").write_text(f"{balancer.pid}\n")
        return balancer

    def reload_balancer(self) -> bool:
        """A new HAProxy with the configuration and certificate as they are now (a renewed
        certificate); the old one stops accepting and finishes its open connections, so
        tablets keep theirs. A refused configuration (a broken certificate) keeps the old one."""
        cfg = self._write_balancer_config()
        valid, said = haproxy.check(haproxy.find_haproxy(), cfg)
        if not valid:
            print(f"Rechargement refusé, HAProxy garde l'ancienne configuration : {said}", file=sys.stderr, flush=True)
            return False
        old = self.balancer
        self.balancer = self._start_balancer(cfg, replacing=old)
        self.retired.append(old)
        print("HAProxy rechargé (configuration et certificat relus).", file=sys.stderr, flush=True)
        return True

    def _balancer_answers(self) -> bool:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        try:
            with socket.create_connection((host, self.port), timeout=1):
                return True
        except OSError:
            return False

    def watch(self) -> int:
        """Restart dead workers until stopped; returns the exit status."""
        while not self.stopping:
            if self.reload_requested:
                self.reload_requested = False
                self.reload_balancer()
            self.retired = [old for old in self.retired if old.poll() is None]
            if self.balancer.poll() is not None:
                print(f"HAProxy s'est arrêté (code {self.balancer.returncode}) : arrêt des processus.",
                      file=sys.stderr, flush=True)
                return 1
            self.tend_workers()
            time.sleep(0.2)
        return 0

    def tend_workers(self) -> None:
        """One look at the workers: a dead one is said and started again (after ``pause``); a
        restarted one is said to be back once it answers, with how long it was away."""
        for worker in self.workers:
            if self.stopping:
                return
            if worker.process.poll() is None:
                if worker.away_since is not None and answers(worker.port, timeout=0.5):
                    away = f"{time.monotonic() - worker.away_since:.1f}".replace(".", ",")
                    worker.away_since = None
                    print(f"Processus {worker.name} de retour (port {worker.port}) : il répond de nouveau après "
                          f"{away} s d'absence.", file=sys.stderr, flush=True)
                continue
            now = time.monotonic()
            if worker.died_at is None:
                worker.died_at = now
                if worker.away_since is None:  # not when it dies again before answering
                    worker.away_since = now
                print(f"Processus {worker.name} arrêté (code {worker.process.returncode}, port {worker.port}) : "
                      f"ses tablettes passent par les autres ; redémarrage dans {self.pause:.0f} s.",
                      file=sys.stderr, flush=True)
            # a worker that keeps dying at start is not restarted in a tight loop
            lived = worker.died_at - worker.started_at
            if now - worker.died_at >= max(self.pause, 5.0 if lived < 10 else 0.0):
                worker.restarts += 1
                self.start_worker(worker)

    def stop(self) -> None:
        self.stopping = True
        processes = (([self.balancer] if self.balancer else []) + self.retired
                     + [w.process for w in self.workers if w.process])
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def tls_problems(cert: str | None, public_url: str | None) -> list[str]:
    """What ``--tls-cert`` needs and is missing, in French."""
    found = []
    if cert:
        path = Path(cert)
        if not path.is_file():
            found.append(f"le certificat {cert} est introuvable (un fichier PEM : la chaîne de certificats "
                         f"puis la clé privée)")
        elif not os.access(path, os.R_OK):
            found.append(f"le certificat {cert} n'est pas lisible par cet utilisateur")
        if not public_url:
            found.append("avec --tls-cert, donnez l'adresse publique du site : --public-url https://… "
                         "(ou WORKSHOP_PUBLIC_URL)")
        elif not public_url.lower().startswith("https://"):
            found.append(f"avec --tls-cert, l'adresse publique doit commencer par https:// (reçu : {public_url})")
    return found


def problems(database_url: str) -> list[str]:
    """What workers mode needs and is missing, in French (what the person running it reads)."""
    found = []
    if not database_url.startswith("postgresql"):
        found.append("le mode multi-processus demande PostgreSQL : définissez DATABASE_URL "
                     "(ex. DATABASE_URL=postgresql://utilisateur@hôte/visions21) ; SQLite ne sert qu'un processus")
    if haproxy.find_haproxy() is None:
        found.append("HAProxy est introuvable : installez-le (scripts/install-system-deps.sh, paquet Debian haproxy)")
    try:
        import redis

        redis.Redis.from_url(redis_url(), socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        found.append(f"Redis ne répond pas à {redis_url()} ({type(exc).__name__}) : démarrez-le ou définissez "
                     f"{REDIS_URL_ENV}")
    return found


def serve_workers(host: str, port: int, count: int, tls: haproxy.Tls | None = None) -> int:
    """Run the deployment in the foreground until SIGTERM/Ctrl-C.

    The caller has checked ``problems()`` and migrated the schema (workers then find it up to date).
    """
    from workshop.ui.app import storage_secret

    env = {**os.environ, "WORKSHOP_STORAGE_SECRET": storage_secret(), REDIS_URL_ENV: redis_url(),
           REDIS_PREFIX_ENV: redis_prefix(), "PYTHONUNBUFFERED": "1"}
    # NiceGUI's storage in Redis would open two Redis clients per browser and per tab: the
    # workers keep what browsers share in Redis themselves (workshop/ui/browser_state.py).
    for name in ("NICEGUI_REDIS_URL", "NICEGUI_REDIS_KEY_PREFIX"):
        env.pop(name, None)
    if os.environ.get(EVENTS_CHANNEL_ENV):
        env[EVENTS_CHANNEL_ENV] = os.environ[EVENTS_CHANNEL_ENV]
    if tls is not None:
        env[config.TLS_CERT_ENV] = str(tls.cert)
        env[config.PUBLIC_URL_ENV] = tls.public_url
    supervisor = Supervisor(host, port, count, config.data_dir() / "workers", env, tls=tls)

    def on_signal(_signum, _frame) -> None:
        supervisor.stopping = True

    def on_reload(_signum, _frame) -> None:
        supervisor.reload_requested = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, on_reload)
    try:
        supervisor.start()
        shown = "localhost" if host in ("0.0.0.0", "::") else host
        address = tls.public_url if tls else f"http://{shown}:{port}"
        print(f"Visions +21 : {count} processus derrière HAProxy sur {address} "
              f"(base PostgreSQL, identités des tablettes dans Redis ; journaux : {supervisor.run_dir})", flush=True)
        return supervisor.watch()
    except RuntimeError as exc:
        print(f"Impossible de démarrer : {exc}", file=sys.stderr)
        return 1
    finally:
        supervisor.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
