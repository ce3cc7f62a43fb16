"""A fake GitHub REST API in-process, over a real socket: the issue-comment and issue endpoints
a sticky comment and a drift issue use. Records every request; answers can be made to fail."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BODY_LIMIT = 65_536


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeGitHub:
    """``url`` is the API root (``GITHUB_API_URL``); ``repository`` the only one it knows."""

    def __init__(
        self, repository: str = "acme/schemas", token: str = "ghs_fake_token_1234"
    ) -> None:
        self.repository = repository
        self.token = token
        self.requests: list[Request] = []
        self.items: dict[int, dict[str, Any]] = {}  # issues and pull requests share numbers
        self.comments: dict[int, dict[str, Any]] = {}  # id -> comment (with "issue" number)
        self._faults: list[Answer] = []
        self._next_number = 1
        self._next_comment = 1001
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- set-up ----------------------------------------------------------------------------------
    def open_pull_request(self, title: str = "Change a schema") -> int:
        number = self._number()
        self.items[number] = {
            "number": number,
            "title": title,
            "body": "",
            "state": "open",
            "labels": [],
            "pull_request": {"url": f"{self.url}/repos/{self.repository}/pulls/{number}"},
            "html_url": f"https://github.example/{self.repository}/pull/{number}",
        }
        return number

    def fail_next(
        self, status: int, *, times: int = 1, message: str = "nope", **headers: str
    ) -> None:
        """The next ``times`` requests get ``status`` (header names: underscores for dashes)."""
        answer = Answer(
            status,
            {"message": message, "documentation_url": "https://docs.github.example"},
            {k.replace("_", "-"): v for k, v in headers.items()},
        )
        self._faults.extend([answer] * times)

    # -- what happened ---------------------------------------------------------------------------
    def comments_on(self, number: int) -> list[dict[str, Any]]:
        return [c for c in self.comments.values() if c["issue"] == number]

    def issues(self, *, label: str | None = None) -> list[dict[str, Any]]:
        return [
            i
            for i in self.items.values()
            if "pull_request" not in i and (label is None or label in _names(i))
        ]

    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.method != "GET"]

    # -- serving ---------------------------------------------------------------------------------
    def _number(self) -> int:
        number = self._next_number
        self._next_number += 1
        return number

    def handle(self, method: str, target: str, body: Any, headers: dict[str, str]) -> Answer:
        parts = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append(Request(method, parts.path, query, body, headers))
            if self._faults:
                return self._faults.pop(0)
            if headers.get("authorization") != f"Bearer {self.token}":
                return Answer(401, {"message": "Bad credentials"})
            return self._route(method, parts.path, query, body)

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
        prefix = f"/repos/{self.repository}/"
        if not path.startswith(prefix):
            return Answer(404, {"message": "Not Found"})
        rest = path[len(prefix) :]
        text = body.get("body") if isinstance(body, dict) else None
        if isinstance(text, str) and len(text) > BODY_LIMIT:
            return Answer(
                422,
                {
                    "message": "Validation Failed",
                    "errors": [{"message": "body is too long (maximum is 65536 characters)"}],
                },
            )
        if m := re.fullmatch(r"issues/(\d+)/comments", rest):
            number = int(m[1])
            if number not in self.items:
                return Answer(404, {"message": "Not Found"})
            if method == "GET":
                listed = sorted(self.comments_on(number), key=lambda c: c["id"])
                return Answer(200, _page(listed, query))
            if method == "POST":
                cid = self._next_comment
                self._next_comment += 1
                self.comments[cid] = {
                    "id": cid,
                    "issue": number,
                    "body": body["body"],
                    "html_url": f"https://github.example/{self.repository}/issues/{number}#c{cid}",
                }
                return Answer(201, self.comments[cid])
        if (m := re.fullmatch(r"issues/comments/(\d+)", rest)) and method == "PATCH":
            comment = self.comments.get(int(m[1]))
            if comment is None:
                return Answer(404, {"message": "Not Found"})
            comment["body"] = body["body"]
            return Answer(200, comment)
        if rest == "issues" and method == "GET":
            wanted = [x for x in query.get("labels", "").split(",") if x]
            state = query.get("state", "open")
            listed = [
                i
                for _, i in sorted(self.items.items())
                if (state == "all" or i["state"] == state) and set(wanted) <= set(_names(i))
            ]
            return Answer(200, _page(listed, query))
        if rest == "issues" and method == "POST":
            number = self._number()
            self.items[number] = {
                "number": number,
                "title": body["title"],
                "body": body.get("body", ""),
                "state": "open",
                "labels": [{"name": n} for n in body.get("labels", [])],
                "html_url": f"https://github.example/{self.repository}/issues/{number}",
            }
            return Answer(201, self.items[number])
        if (m := re.fullmatch(r"issues/(\d+)", rest)) and method == "PATCH":
            item = self.items.get(int(m[1]))
            if item is None:
                return Answer(404, {"message": "Not Found"})
            for key in ("title", "body", "state", "state_reason"):
                if key in body:
                    item[key] = body[key]
            return Answer(200, item)
        return Answer(404, {"message": "Not Found"})


def _names(item: dict[str, Any]) -> list[str]:
    return [label["name"] for label in item.get("labels", [])]


def _page(items: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
    per_page = int(query.get("per_page", "30"))
    page = int(query.get("page", "1"))
    return items[(page - 1) * per_page : page * per_page]


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = fake.handle(self.command, self.path, body, headers)
            data = b"" if answer.body is None else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _serve  # noqa: N815

    return Handler
