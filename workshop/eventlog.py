"""One log line per event, without personal data (hosted / workers mode).

Every event a service publishes in this process (a card written, a vote, a participant who
joined, an activity opened…) becomes one line on stderr, e.g.::

    2026-12-02T03:41:07Z w1 event vote.changed seminar=3 activity_id=12 card_id=41

The workers' head-count heartbeat (``presence.worker``, every 5 s) is not logged. Only the
topic, the seminar's number and the event's numbers (ids, counts) are written: never
text (names, cards), codes, tokens or addresses, whatever an event carries. Events received
from another worker are not logged again (that worker logged them). Requests are logged by
HAProxy, also without addresses (``workshop/workers/haproxy.py``).

On by default in workers mode; ``WORKSHOP_EVENT_LOG=1`` turns it on for one process (a single
server behind a proxy), ``0`` off.
"""

from __future__ import annotations

import logging
import os
import sys
import time

from workshop import config

logger = logging.getLogger("workshop.eventlog")
ENV = "WORKSHOP_EVENT_LOG"


def enabled() -> bool:
    setting = os.environ.get(ENV)
    if setting is not None:
        return setting.strip().lower() not in ("", "0", "off", "no", "false")
    return config.worker_id() is not None


def line(event) -> str:
    """What is written for ``event``: topic, seminar, and only its integer and boolean fields."""
    fields = []
    for key, value in sorted(event.data.items()):
        if isinstance(value, bool) or isinstance(value, int):
            fields.append(f"{key}={int(value) if isinstance(value, bool) else value}")
        elif isinstance(value, (list, tuple)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            fields.append(f"{key}={','.join(str(v) for v in value)}")
    return " ".join([f"event {event.topic}", f"seminar={event.seminar_id}", *fields])


QUIET_TOPICS = ("presence.worker",)  # the workers' head-count heartbeat (every 5 s): not an event of the room


def log_event(event) -> None:
    if logger.isEnabledFor(logging.INFO) and event.topic not in QUIET_TOPICS:
        logger.info(line(event))


class _Formatter(logging.Formatter):
    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__(f"%(asctime)sZ {config.worker_id() or '-'} %(message)s", "%Y-%m-%dT%H:%M:%S")


def configure() -> None:
    """Start writing event lines on stderr (once per process), if enabled."""
    if not enabled() or logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
