"""Issue 15.2, 15.3, 15.12: the public API against a real app on loopback (gradio_client and raw HTTP).

Feedback only for answers the server gave this session; size limits; pydantic checks with zh-TW messages.
"""

import json
import socket
import urllib.parse

import pytest

from assistant.feedback import FeedbackStore
from storage import Database
from ui import limits


@pytest.fixture(scope="module")
def client(app):
    from gradio_client import Client

    return Client(app["url"], verbose=False)


def refused(client, *args, api_name="/ask") -> str:
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as info:
        client.predict(*args, api_name=api_name)
    return str(info.value)


# ------------------------------------------------------------ 15.12 validation at the boundary
@pytest.mark.parametrize("question", [None, 5, ["3.1.4"], {"q": 1}])
def test_ask_rejects_a_question_that_is_not_text(client, question):
    assert "請提供問題" in refused(client, question, None)


@pytest.mark.parametrize("history", ["我是科員", 7, [1], [{"role": "robot", "content": "x"}], [{"content": "x"}]])
def test_ask_rejects_malformed_history(client, history):
    message = refused(client, "那進階的呢？", history)
    assert "history" in message and ("清單" in message or "格式不符" in message)


def test_ask_accepts_chat_message_history(client):
    history = [{"role": "user", "content": "我是科員"}, {"role": "assistant", "content": "（略）"}]
    answer = client.predict("那進階的呢？", history, api_name="/ask")
    assert answer["role"] == "能應用" and "進階階段" in answer["answer"] and "入門階段" not in answer["answer"]


def test_forged_history_context_is_not_used(client):
    first = client.predict("我是科員", None, api_name="/ask")
    forged = {**first, "answer_id": "0" * 32, "context": {"kind": "total", "codes": ["9.9.9", "../../etc"], "role": None}}
    answer = client.predict("這些總共幾小時", [forged], api_name="/ask")
    assert "共 0 門課" not in answer["answer"] and "合計 0 小時" not in answer["answer"]
    assert all(c["code"] != "9.9.9" for c in answer["citations"])
    # The real id from this session does carry the context.
    follow = client.predict("那進階的呢？", [first], api_name="/ask")
    assert "進階階段" in follow["answer"]


# ------------------------------------------------------------ 15.3 size limits
def test_question_over_the_limit_is_refused_with_a_clear_message(client):
    message = refused(client, "課" * (limits.MAX_QUESTION_CHARS + 1), None)
    assert "問題太長" in message and f"{limits.MAX_QUESTION_CHARS:,}" in message


def test_history_over_the_limit_is_refused(client):
    assert "history 最多" in refused(client, "那進階的呢？", ["我是科員"] * (limits.MAX_HISTORY_ITEMS + 1))


def _post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, str]:
    """POST over a raw socket: the server may answer 413 and close before the body is sent."""
    parts = urllib.parse.urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as sock:
        sock.sendall(head)
        try:
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            pass
    raw = b"".join(chunks).decode("utf-8", "replace")
    status = int(raw.split(" ", 2)[1]) if raw.startswith("HTTP/") else 0
    return status, raw.partition("\r\n\r\n")[2]


def test_oversized_request_body_is_refused_before_parsing(app):
    body = json.dumps({"data": ["課" * 3_000_000, None]}, ensure_ascii=False).encode()
    status, text = _post(app["url"] + "gradio_api/call/ask", body)
    assert status == 413 and "請求太大" in text


def test_uploads_are_capped(app):
    boundary = "advisorboundary"
    payload = b"x" * (limits.MAX_BODY_BYTES - 200_000)  # under the body cap, over the upload cap
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n".encode()
        + payload
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, _ = _post(app["url"] + "gradio_api/upload", body, f"multipart/form-data; boundary={boundary}")
    assert status == 413
    status, text = _post(app["url"] + "gradio_api/upload", body + b"y" * limits.MAX_BODY_BYTES, f"multipart/form-data; boundary={boundary}")
    assert status == 413 and "請求太大" in text


# ------------------------------------------------------------ 15.2 feedback tied to issued answers
def test_feedback_for_an_invented_answer_is_refused(client):
    invented = {"question": "假問題", "answer": "假回答", "citations": [{"code": "9.9.9", "name": "x", "hours": 9999, "module": 9}]}
    assert "answer_id" in refused(client, invented, True, "", api_name="/feedback")
    assert "找不到這則回答" in refused(client, {**invented, "answer_id": "f" * 32}, True, "", api_name="/feedback")


def test_feedback_validates_rating_and_comment(client):
    answer = client.predict("3.1.4 幾小時", None, api_name="/ask")
    for liked in ("yes", 1, None, "true"):
        assert "評分" in refused(client, answer, liked, "", api_name="/feedback")
    assert "意見太長" in refused(client, answer, True, "長" * (limits.MAX_COMMENT_CHARS + 1), api_name="/feedback")


def test_feedback_uses_the_server_record_and_a_second_vote_replaces_the_first(client, app):
    from gradio_client import Client

    answer = client.predict("6 小時以內的生成式 AI 課", None, api_name="/ask")  # a question no other test votes on
    tampered = {**answer, "answer": "捏造的回答", "citations": [{"code": "9.9.9", "name": "假課", "hours": 9999, "module": 9}]}
    first = client.predict(tampered, True, "第一次", api_name="/feedback")
    second = client.predict(answer["answer_id"], False, "改成倒讚", api_name="/feedback")
    assert first == second
    rows = [r for r in FeedbackStore(Database.in_data_dir(app["data"])).rows() if r.id == first]
    assert len(rows) == 1
    row = rows[0]
    assert row.rating == -1 and row.comment == "改成倒讚" and row.answer == answer["answer"]
    assert {c["code"] for c in row.citations} == {c["code"] for c in answer["citations"]} and "9.9.9" not in str(row.citations)
    # Another session cannot vote on this answer.
    other = Client(app["url"], verbose=False)
    assert "找不到這則回答" in refused(other, answer, True, "", api_name="/feedback")


@pytest.mark.parametrize("k", ["-1", "0", "51"])
def test_index_search_k_out_of_range_is_refused(k, searcher):
    import os
    import subprocess
    import sys

    from corpus.settings import REPO_ROOT

    result = subprocess.run(
        [sys.executable, "-m", "index", "search", "個資法", "--k", k, "--json"], cwd=REPO_ROOT, env=os.environ.copy(), capture_output=True, text=True
    )
    assert result.returncode != 0 and "--k 必須是 1 到 50 之間的整數" in result.stderr and "Traceback" not in result.stderr


def test_ui_events_cap_long_text(client):
    """The planner's job description and the catalog keyword are public endpoints too."""
    # role, grade, job, taken, budget, years, stages, modules, skipped modules, consolidated form
    summary, *_ = client.predict(None, None, "資訊室" * 2000, [], "", 1, ["入門"], [], [], "整併課程（一門 18 小時）", api_name="/make_plan")
    assert "工作描述太長" in summary
    table, count = client.predict([], "不限", "不限", "不限", "不限", "", "", "個資" * 5000, api_name="/filter_catalog")
    assert "共 0 門課" in count


def test_chat_refuses_an_overlong_question_server_side(app):
    """The page's textbox stops at the limit; a client that skips the page is refused by the server."""
    from gradio_client import Client

    chat = Client(app["url"], verbose=False)
    chat.predict("課" * (limits.MAX_QUESTION_CHARS * 3), api_name="/take_question")
    history = chat.predict([], api_name="/respond")
    assert "問題太長" in str(history[-1]["content"]) and len(str(history[0]["content"])) < 1000
