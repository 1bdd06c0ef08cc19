"""Size limits for everything a client can send, and the ASGI guard for request bodies.

The README's fault-handling section lists each of these numbers.
"""

from __future__ import annotations

import json

from assistant import MAX_COMMENT_CHARS

MAX_BODY_BYTES = 2 * 1024 * 1024  # any HTTP request body (a long chat resends its messages)
MAX_UPLOAD = "1mb"  # Gradio's /gradio_api/upload: the app has no upload feature
MAX_QUESTION_CHARS = 10_000  # the assistant reads the first 1,000 and says so; beyond this: refused
MAX_MESSAGE_CHARS = 20_000  # one chat message sent back as history
MAX_HISTORY_ITEMS = 50  # earlier turns sent to /ask
MAX_CHAT_TURNS = 50  # questions in one chat before it asks to be cleared
# MAX_COMMENT_CHARS (a feedback comment) comes from assistant.feedback, which enforces it.

BODY_TOO_LARGE = f"請求太大（上限 {MAX_BODY_BYTES // (1024 * 1024)} MB）。問題最多 {MAX_QUESTION_CHARS:,} 字；對話太長時請先清除對話。"


def question_too_long(length: int | None = None) -> str:
    counted = f"，您的問題有 {length:,} 字" if length else ""
    return f"問題太長：最多 {MAX_QUESTION_CHARS:,} 字{counted}。請精簡後再問（我會讀前 1,000 字）。"


def comment_too_long(length: int) -> str:
    return f"意見太長：最多 {MAX_COMMENT_CHARS:,} 字，目前 {length:,} 字。請精簡後再送出。"


CHAT_TOO_LONG = f"這段對話已經有 {MAX_CHAT_TURNS} 題了，請按「清除對話」後再繼續提問。"


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Pure ASGI middleware: refuse a request body over `max_bytes` before anything parses it.

    A declared Content-Length is checked up front; a chunked body is counted as it streams.
    """

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = True
            if too_big:
                await _refuse(send)
                return
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await _refuse(send)


async def _refuse(send) -> None:
    body = json.dumps({"error": BODY_TOO_LARGE, "detail": BODY_TOO_LARGE}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
