"""A bounded load test on loopback through gradio_client: 20 clients × 25 questions, plus feedback writes."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

from assistant.feedback import FeedbackStore
from corpus.settings import REPO_ROOT
from eval.dataset import load_items
from eval.metrics import percentile

CLIENTS = 20
QUESTIONS_EACH = 25


def test_concurrent_clients_get_answers_and_every_feedback_lands(app, curriculum):
    from gradio_client import Client

    questions = [i.question for i in load_items() if len(i.turns) == 1]
    store = FeedbackStore(app["data"] / "feedback.sqlite3")
    before = len(store.rows())

    def one_client(n: int) -> tuple[list[float], list[str]]:
        client = Client(app["url"], verbose=False)
        latencies, errors = [], []
        for k in range(QUESTIONS_EACH):
            question = questions[(n * QUESTIONS_EACH + k) % len(questions)]
            started = time.perf_counter()
            try:
                answer = client.predict(question, None, api_name="/ask")
                latencies.append(time.perf_counter() - started)
                assert all(curriculum.course(c["code"]) for c in answer["citations"])
                client.predict(answer, k % 2 == 0, f"client {n}", api_name="/feedback")
            except Exception as exc:  # counted, not raised: the test reports every error
                errors.append(f"{question}: {exc!r}")
        return latencies, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(one_client, range(CLIENTS)))
    wall = time.perf_counter() - started
    latencies = [x for r in results for x in r[0]]
    errors = [e for r in results for e in r[1]]
    figures = {
        "clients": CLIENTS,
        "questions_each": QUESTIONS_EACH,
        "wall_s": round(wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "errors": len(errors),
    }
    artifacts = REPO_ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "load-test.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(f"\nload test: {figures}")
    assert errors == []
    assert len(latencies) == CLIENTS * QUESTIONS_EACH
    assert len(store.rows()) - before == CLIENTS * QUESTIONS_EACH
