#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tiny scripted TCP transfer tool used by make-captures.sh.

Protocol (one request line per connection, like a minimal HTTP GET/PUT):
  client -> server  "GET <n>\\n"   server answers with exactly n bytes, then closes
  client -> server  "PUT <n>\\n"   client sends exactly n bytes, then half-closes;
                                   server reads to EOF, then closes
Payload bytes are a fixed repeating pattern, so captures are deterministic in size.
If OL_MAX_PACING_RATE (bytes/s) is set, every data socket gets SO_MAX_PACING_RATE, so the
sender's TCP paces its (super-)segments like a host behind a link of that speed; this
keeps bursts below the veth backlog limit (net.core.netdev_max_backlog), which otherwise
drops packets at random.

  xfer.py server <bind-addr> <port> <connections>
      accept exactly <connections> connections (served concurrently), then exit 0.
      Prints "ready" on stdout once listening.
  xfer.py client <server-addr> <port> GET|PUT <n> [GET|PUT <n> ...]
      open one connection per (verb, n) pair, all concurrently; exit 0 when every
      transfer moved exactly n bytes.
"""
import os
import socket
import sys
import threading

CHUNK = 256 * 1024
PATTERN = (b"OffloadLens generated test payload 0123456789 " * 6000)[:CHUNK]


SO_MAX_PACING_RATE = getattr(socket, "SO_MAX_PACING_RATE", 47)   # Linux value


def pace(sock):
    rate = int(os.environ.get("OL_MAX_PACING_RATE", "0") or 0)
    if rate > 0:
        sock.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, rate)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def send_n(sock, n):
    left = n
    while left > 0:
        k = min(left, CHUNK)
        sock.sendall(PATTERN[:k])
        left -= k


def recv_all(sock):
    got = 0
    while True:
        b = sock.recv(CHUNK)
        if not b:
            return got
        got += len(b)


def read_line(sock):
    line = b""
    while not line.endswith(b"\n"):
        b = sock.recv(1)
        if not b:
            raise RuntimeError("peer closed before request line")
        line += b
    return line.decode().split()


def serve_one(conn, errors):
    try:
        verb, n = read_line(conn)
        n = int(n)
        if verb == "GET":
            send_n(conn, n)
        elif verb == "PUT":
            got = recv_all(conn)
            if got != n:
                raise RuntimeError(f"PUT expected {n} got {got}")
        else:
            raise RuntimeError(f"bad verb {verb}")
        conn.close()
    except Exception as e:  # noqa: BLE001
        errors.append(repr(e))


def server(addr, port, count):
    s = socket.socket(family_of(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(16)
    print("ready", flush=True)
    threads, errors = [], []
    for _ in range(count):
        conn, _peer = s.accept()
        pace(conn)
        t = threading.Thread(target=serve_one, args=(conn, errors))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    s.close()
    if errors:
        print("server errors: " + "; ".join(errors), file=sys.stderr)
        return 1
    return 0


def client_one(addr, port, verb, n, results, i):
    try:
        s = socket.create_connection((addr, port), timeout=60)
        pace(s)
        s.sendall(f"{verb} {n}\n".encode())
        if verb == "GET":
            got = recv_all(s)
        else:
            send_n(s, n)
            s.shutdown(socket.SHUT_WR)
            recv_all(s)
            got = n
        s.close()
        results[i] = (got == n, f"{verb} {n}: moved {got}")
    except Exception as e:  # noqa: BLE001
        results[i] = (False, f"{verb} {n}: {e!r}")


def client(addr, port, jobs):
    results = [None] * len(jobs)
    threads = [threading.Thread(target=client_one, args=(addr, port, v, n, results, i))
               for i, (v, n) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = all(r[0] for r in results)
    for r in results:
        print(r[1], file=sys.stderr if not r[0] else sys.stdout)
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 5 and argv[1] == "server":
        return server(argv[2], int(argv[3]), int(argv[4]))
    if len(argv) >= 6 and argv[1] == "client" and len(argv[4:]) % 2 == 0:
        jobs = [(argv[i], int(argv[i + 1])) for i in range(4, len(argv), 2)]
        return client(argv[2], int(argv[3]), jobs)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
