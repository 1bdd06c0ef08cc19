"""The storage layer (issue 16): every case runs against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from assistant.feedback import FeedbackStore, QuestionLog, ReviewFilter, outcome_of
from assistant.models import Answer, Citation
from corpus.settings import get_settings, reload_settings
from storage import Database, now
from storage.schema import feedback as feedback_table
from storage.schema import login_failures, trainer_sessions
from storage.schema import questions as question_log
from workspace.accounts import AccountError, Accounts, LoginError

PASSWORD = "correct horse battery"


def answer(question: str = "跟個資法有關的課", kind: str = "topic", citations: int = 1, **extra) -> Answer:
    cited = [Citation(code="4.2.1", name="遵守AI相關法律與政策", hours=6, module=4)][:citations]
    return Answer(question=question, answer="……", citations=cited, kind=kind, **extra)


def test_schema_is_at_the_newest_revision(database):
    assert database.revision() == "0002"
    Database(database.url).upgrade()  # a second server starting: nothing to do, no error
    assert database.revision() == "0002"


def test_a_vote_is_stored_and_a_second_vote_replaces_it(database):
    store = FeedbackStore(database)
    first = store.vote("a" * 32, answer(), True, "很好", session="s1")
    second = store.vote("a" * 32, answer(), False, "", session="s1")
    assert first == second
    [row] = store.rows()
    assert (row.rating, row.comment, row.kind, row.citations[0]["code"]) == (-1, "很好", "topic", "4.2.1")
    assert store.comment(row.id, "改了") and store.rows()[0].comment == "改了"
    assert store.remove(row.id) and store.rows() == []


def test_feedback_filters_by_date_rating_kind_and_comment(database):
    store = FeedbackStore(database)
    store.vote("1" * 32, answer(kind="topic"), True, "")
    store.vote("2" * 32, answer(kind="role_path"), False, "想要更多例子")
    old = store.vote("3" * 32, answer(kind="topic"), False, "")
    with database.begin() as connection:
        connection.execute(update(feedback_table).where(feedback_table.c.id == old).values(created_at=now() - timedelta(days=10)))
    today = date.today()
    assert len(store.rows(ReviewFilter(since=today))) == 2
    assert [r.id for r in store.rows(ReviewFilter(until=today - timedelta(days=1)))] == [old]
    assert {r.kind for r in store.rows(ReviewFilter(rating=-1))} == {"role_path", "topic"}
    assert [r.comment for r in store.rows(ReviewFilter(kinds=["role_path"]))] == ["想要更多例子"]
    assert [r.comment for r in store.rows(ReviewFilter(with_comment=True))] == ["想要更多例子"]
    days = store.daily()
    assert sum(up for _, up, _ in days) == 1 and sum(down for _, _, down in days) == 2 and len(days) == 2


def test_question_log_keeps_no_identifier_and_finds_unanswered_questions(database):
    log = QuestionLog(database)
    log.record(answer("我是中階主管該上哪些課", kind="role_path"))
    log.record(answer("怎麼用 GIS 畫地圖", kind="no_match", citations=0))
    log.record(answer("第二個", kind="clarify", citations=0))
    log.record(answer("今天天氣如何", kind="out_of_scope", citations=0, refused=True))
    assert {c.name for c in question_log.c} == {"id", "created_at", "question", "kind", "outcome", "citations"}
    assert [(r.question, r.outcome) for r in log.unanswered()] == [("怎麼用 GIS 畫地圖", "no_course"), ("第二個", "clarify")]
    assert outcome_of(answer(kind="topic", citations=0)) == "no_course" and outcome_of(answer(hedged=True)) == "hedged"


def test_retention_deletes_older_questions_and_feedback(database, monkeypatch):
    log, store = QuestionLog(database), FeedbackStore(database)
    log.record(answer("舊問題"))
    store.vote("b" * 32, answer("舊問題"), True)
    with database.begin() as connection:
        connection.execute(update(question_log).values(created_at=now() - timedelta(days=40)))
        connection.execute(update(feedback_table).values(created_at=now() - timedelta(days=40)))
    monkeypatch.setenv("ADVISOR_RETENTION_DAYS", "30")
    from corpus.settings import reload_settings

    reload_settings()
    try:
        log._purged_at = -1e9  # due: the next record purges
        log.record(answer("新問題"))
        assert [r.question for r in log.rows()] == ["新問題"]
        assert store.rows() == []
    finally:
        monkeypatch.delenv("ADVISOR_RETENTION_DAYS")
        reload_settings()


def test_old_sqlite_feedback_is_migrated_once(database, tmp_path):
    legacy = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(legacy) as old:  # the pre-storage file at its last migration (m003)
        old.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, rating INTEGER NOT NULL,"
            " question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '',"
            " session TEXT NOT NULL DEFAULT '', answer_id TEXT)"
        )
        old.execute(
            "INSERT INTO feedback (created_at, rating, question, answer, citations, comment, session, answer_id) VALUES"
            " ('2026-05-01T08:00:00+00:00', -1, '舊的問題', '舊的回答', '[{\"code\": \"3.1.4\", \"name\": \"委外\", \"hours\": 6, \"module\": 3}]', '舊意見', 's', 'x')"
        )
    assert database.import_legacy_feedback(legacy) == 1
    assert database.import_legacy_feedback(legacy) == 0  # once, even when every server tries
    [row] = FeedbackStore(database).rows()
    assert (row.question, row.rating, row.comment, row.citations[0]["code"]) == ("舊的問題", -1, "舊意見", "3.1.4")
    assert row.created_at.startswith("2026-05-01T08:00:00")


def test_accounts_sign_in_with_a_slow_salted_hash(database):
    accounts = Accounts(database)
    accounts.add("trainer1", PASSWORD)
    with pytest.raises(AccountError, match="已經存在"):
        accounts.add("trainer1", PASSWORD)
    with pytest.raises(AccountError, match="至少"):
        accounts.add("trainer2", "short")
    with database.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT password_hash FROM trainers").scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    session = accounts.login("trainer1", PASSWORD)
    assert accounts.session(session.token).name == "trainer1"
    with database.engine.connect() as connection:  # only a hash of the token is stored
        assert session.token not in {r[0] for r in connection.execute(trainer_sessions.select().with_only_columns(trainer_sessions.c.token_hash))}
    accounts.logout(session.token)
    assert accounts.session(session.token) is None
    actions = [r.action for r in accounts.audit_rows()]
    assert actions[:3] == ["logout", "login", "account_add"]


def test_sessions_expire(database):
    accounts = Accounts(database)
    accounts.add("trainer1", PASSWORD)
    session = accounts.login("trainer1", PASSWORD)
    with database.begin() as connection:
        connection.execute(update(trainer_sessions).values(expires_at=now() - timedelta(seconds=1)))
    assert accounts.session(session.token) is None
    assert accounts.session("forged-token") is None and accounts.session(None) is None


def test_failed_sign_ins_are_rate_limited(database):
    accounts = Accounts(database)
    accounts.add("trainer1", PASSWORD)
    assert get_settings().login_max_failures_per_account == 5  # the default in corpus/settings.py
    for _ in range(5):
        with pytest.raises(LoginError, match="帳號或密碼不正確"):
            accounts.login("trainer1", "wrong password!")
    with pytest.raises(LoginError, match="次數過多"):
        accounts.login("trainer1", PASSWORD)  # even the right password waits
    with pytest.raises(LoginError, match="帳號或密碼不正確"):
        accounts.login("nobody", PASSWORD)  # an unknown name gets the same message
    with database.begin() as connection:  # the window passes
        connection.execute(update(login_failures).values(at=now() - timedelta(hours=1)))
    assert accounts.login("trainer1", PASSWORD).name == "trainer1"
    assert "login_blocked" in [r.action for r in accounts.audit_rows()]


@pytest.fixture()
def client_limit(monkeypatch):
    """A per-client limit of 4 failures (the account limit stays 5), set where every limit is configured."""
    monkeypatch.setenv("ADVISOR_LOGIN_MAX_FAILURES_PER_CLIENT", "4")
    reload_settings()
    yield 4
    monkeypatch.delenv("ADVISOR_LOGIN_MAX_FAILURES_PER_CLIENT")
    reload_settings()


def test_failed_sign_ins_are_rate_limited_per_client_too(database, client_limit):
    """One address trying many account names is stopped, whatever the names; other addresses are not,
    and a second app server on the same database sees the same counts."""
    accounts = Accounts(database)
    accounts.add("trainer1", PASSWORD)
    accounts.add("trainer2", PASSWORD)
    attacker, colleague = "203.0.113.5", "198.51.100.7"
    for i in range(client_limit):  # one failure per name: no account reaches its own limit
        with pytest.raises(LoginError, match="帳號或密碼不正確"):
            accounts.login(f"guess{i}", "wrong password!", client=attacker)
    with pytest.raises(LoginError, match="這個網路位址登入失敗的次數過多，請 15 分鐘後再試"):
        accounts.login("trainer1", PASSWORD, client=attacker)  # even the right password waits
    other_server = Accounts(Database(database.url))
    with pytest.raises(LoginError, match="這個網路位址"):
        other_server.login("trainer2", PASSWORD, client=attacker)
    assert other_server.login("trainer1", PASSWORD, client=colleague).name == "trainer1"  # another address signs in
    assert accounts.login("trainer2", PASSWORD).name == "trainer2"  # the server's own terminal has no address
    with pytest.raises(LoginError, match="這個網路位址"):  # a success elsewhere does not clear the address
        accounts.login("trainer1", PASSWORD, client=attacker)
    blocked = [r for r in accounts.audit_rows() if r.action == "login_blocked"]
    assert len(blocked) == 3 and all("同一來源" in r.detail and attacker in r.detail for r in blocked)
    with database.begin() as connection:  # the window passes
        connection.execute(update(login_failures).values(at=now() - timedelta(hours=1)))
    assert accounts.login("trainer1", PASSWORD, client=attacker).name == "trainer1"


def test_an_accounts_limit_holds_across_addresses(database, client_limit):
    accounts = Accounts(database)
    accounts.add("trainer1", PASSWORD)
    for i in range(5):  # five addresses, one failure each: the account's own limit
        with pytest.raises(LoginError, match="帳號或密碼不正確"):
            accounts.login("trainer1", "wrong password!", client=f"192.0.2.{i}")
    with pytest.raises(LoginError, match="^登入失敗次數過多"):
        accounts.login("trainer1", PASSWORD, client="192.0.2.99")


def test_changing_a_password_ends_every_session(database):
    accounts = Accounts(database)
    accounts.add("trainer1", PASSWORD)
    session = accounts.login("trainer1", PASSWORD)
    accounts.set_password("trainer1", "another long password")
    assert accounts.session(session.token) is None
    with pytest.raises(LoginError):
        accounts.login("trainer1", PASSWORD)
