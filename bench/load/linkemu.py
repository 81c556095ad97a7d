"""A bad link where the kernel has no netem: packets held and dropped through NFQUEUE.

    ip netns exec NS python -m bench.load.linkemu QUEUE DELAY_MS JITTER_MS LOSS_PERCENT

Only for the bad-wifi benchmark, and only when ``tc netem`` is missing (the machines of this
project run a kernel built without it). In its namespace an iptables rule sends the packets
leaving the wifi veth to NFQUEUE number QUEUE; this process receives each one (metadata only,
over netfilter's netlink socket), drops it with probability LOSS_PERCENT, else lets it go
after DELAY_MS ± JITTER_MS (uniform, as netem's default), so packets are reordered by the
jitter as with netem. Stops on SIGTERM. Linux only; no third-party library.
"""

from __future__ import annotations

import heapq
import random
import signal
import socket
import struct
import sys
import threading
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NLM_F_REQUEST = 1
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_DROP, NF_ACCEPT = 0, 1


def _attr(kind: int, payload: bytes) -> bytes:
    raw = struct.pack("=HH", 4 + len(payload), kind) + payload
    return raw + b"\0" * (-len(raw) % 4)


def _message(msg: int, queue: int, attrs: bytes, seq: int) -> bytes:
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + attrs
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg, NLM_F_REQUEST, seq, 0) + body


class Link:
    def __init__(self, queue: int, delay_ms: float, jitter_ms: float, loss: float) -> None:
        self.queue, self.delay, self.jitter, self.loss = queue, delay_ms / 1000, jitter_ms / 1000, loss / 100
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.bind((0, 0))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.seq = 0
        self.held: list[tuple[float, int]] = []
        self.cond = threading.Condition()
        self.send_lock = threading.Lock()
        self.stopped = False
        self.passed = self.dropped = 0

    def _send(self, msg: int, attrs: bytes) -> None:
        with self.send_lock:
            self.seq += 1
            self.sock.send(_message(msg, self.queue, attrs, self.seq))

    def configure(self) -> None:
        self._send(NFQNL_MSG_CONFIG, _attr(NFQA_CFG_CMD, struct.pack("=BxH", NFQNL_CFG_CMD_BIND, socket.htons(socket.AF_INET))))
        self._send(NFQNL_MSG_CONFIG, _attr(NFQA_CFG_PARAMS, struct.pack(">IB", 0, NFQNL_COPY_META) + b"\0\0\0"))
        self._send(NFQNL_MSG_CONFIG, _attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack(">I", 100_000)))

    def verdict(self, packet_id: int, verdict: int) -> None:
        self._send(NFQNL_MSG_VERDICT, _attr(NFQA_VERDICT_HDR, struct.pack(">II", verdict, packet_id)))

    def release_loop(self) -> None:
        while True:
            with self.cond:
                while not self.stopped and (not self.held or self.held[0][0] > time.monotonic()):
                    self.cond.wait(None if not self.held else max(0.0, self.held[0][0] - time.monotonic()))
                if self.stopped:
                    return
                due = []
                now = time.monotonic()
                while self.held and self.held[0][0] <= now:
                    due.append(heapq.heappop(self.held)[1])
            for packet_id in due:
                self.verdict(packet_id, NF_ACCEPT)
                self.passed += 1

    def receive_loop(self) -> None:
        rng = random.Random()
        while not self.stopped:
            try:
                data = self.sock.recv(1 << 20)
            except OSError:
                if self.stopped:
                    return
                raise
            offset = 0
            while offset + 16 <= len(data):
                length, kind = struct.unpack_from("=IH", data, offset)
                if length < 16:
                    break
                if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                    packet_id = self._packet_id(data[offset + 20:offset + length])
                    if packet_id is not None:
                        if rng.random() < self.loss:
                            self.verdict(packet_id, NF_DROP)
                            self.dropped += 1
                        else:
                            due = time.monotonic() + max(0.0, self.delay + rng.uniform(-self.jitter, self.jitter))
                            with self.cond:
                                heapq.heappush(self.held, (due, packet_id))
                                self.cond.notify()
                offset += (length + 3) & ~3

    @staticmethod
    def _packet_id(attrs: bytes) -> int | None:
        offset = 0
        while offset + 4 <= len(attrs):
            length, kind = struct.unpack_from("=HH", attrs, offset)
            if length < 4:
                return None
            if kind & 0x7FFF == NFQA_PACKET_HDR:
                return struct.unpack_from(">I", attrs, offset + 4)[0]
            offset += (length + 3) & ~3
        return None

    def stop(self, *_args) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify()


def main(argv: list[str]) -> int:
    queue, delay, jitter, loss = int(argv[0]), float(argv[1]), float(argv[2]), float(argv[3])
    link = Link(queue, delay, jitter, loss)
    link.configure()
    signal.signal(signal.SIGTERM, link.stop)
    signal.signal(signal.SIGINT, link.stop)
    releaser = threading.Thread(target=link.release_loop, daemon=True)
    releaser.start()
    receiver = threading.Thread(target=link.receive_loop, daemon=True)
    receiver.start()
    print(f"link emulation on queue {queue}: {delay:.0f} ± {jitter:.0f} ms, {loss:g} % loss", flush=True)
    while not link.stopped:
        time.sleep(0.2)
    print(f"passed {link.passed}, dropped {link.dropped}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
