"""The client side of the benchmarks that time HTTP routes (core.bench_server is the server side):
asyncio tasks in the bench's own process, each with one keep-alive HTTP/1.1 connection and as lean
a client as can be, so the timings are the server's and not an HTTP library's. The clients share
the machine with the server: threaded clients (httpx), starved on a loaded machine, capped a bare
route at a fraction of what it serves and made a ratio to it meaningless."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple
from urllib.parse import urlencode

_CONTENT_LENGTH = re.compile(rb"(?i)\r\ncontent-length: *([0-9]+)")


class Request(NamedTuple):
    method: str
    path: str
    form: Mapping[str, str] | None = None  # sent url-encoded
    body: bytes | None = None  # sent as it is (a form already encoded, as its signature was computed)
    headers: Mapping[str, str] | None = None  # besides Host and Content-Length


class Answer(NamedTuple):
    client: int  # which client sent it (0 … clients - 1)
    count: int  # that client's count of requests before it
    seconds: float
    status: int
    body: bytes


class Connection:
    """One client's keep-alive HTTP/1.1 connection to `base` (http://host:port)."""

    def __init__(self, base: str) -> None:
        self.host, _, port = base.removeprefix("http://").partition(":")
        self.port = int(port)
        self.reader = self.writer = None

    async def send(self, method: str, path: str, form: Mapping[str, str] | None = None, body: bytes | None = None,
                   headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """(status, body) of the answer; the body must come with a Content-Length (Starlette's do)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        if form is not None:
            body = urlencode(form).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        body = body or b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.writer.write(head.encode() + b"\r\n" + body)
        answer = await self.reader.readuntil(b"\r\n\r\n")
        length = _CONTENT_LENGTH.search(answer)
        content = await self.reader.readexactly(int(length.group(1)) if length else 0)
        return int(answer.split(b" ", 2)[1]), content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


ClientRequest = Callable[[int, int], Request | tuple | None]


async def load(base: str, clients: int, request: ClientRequest, *, each: int | None = None,
               until: threading.Event | None = None) -> list[Answer]:
    """`clients` connections at once, each sending request(its number, its count so far) — a Request
    or the same as a tuple — `each` times, or until `until` is set, or until request gives None;
    every request's Answer, client by client."""
    async def one(n: int) -> list[Answer]:
        connection, answers, k = Connection(base), [], 0
        try:
            while (each is None or k < each) and (until is None or not until.is_set()):
                wanted = request(n, k)
                if wanted is None:
                    break
                started = time.perf_counter()
                status, body = await connection.send(*wanted)
                answers.append(Answer(n, k, time.perf_counter() - started, status, body))
                k += 1
        finally:
            connection.close()
        return answers

    return [a for answers in await asyncio.gather(*(one(n) for n in range(clients))) for a in answers]


def send_all(base: str, clients: int, requests: list[Request]) -> tuple[float, list[Answer]]:
    """Send `requests` from `clients` connections at once, the n-th client the n-th, (n + clients)-th…:
    (seconds in all, each request's Answer in the order given)."""
    def nth(n: int, k: int) -> Request | None:
        index = n + k * clients
        return requests[index] if index < len(requests) else None

    started = time.perf_counter()
    answers = asyncio.run(load(base, clients, nth))
    took = time.perf_counter() - started
    return took, sorted(answers, key=lambda a: a.client + a.count * clients)
