"""Trainer accounts: Argon2id password hashes, expiring sessions, rate-limited sign-in, audit log."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update

from corpus.settings import get_settings
from storage import Database, get_database, now
from storage.schema import audit_log, login_failures, trainer_sessions, trainers

NAME = re.compile(r"^[\w.\-]{2,64}$")
MIN_PASSWORD = 10
MAX_CLIENT_CHARS = 128  # the login_failures.client column
_hasher = PasswordHasher()  # Argon2id with the library's recommended cost
_DUMMY = _hasher.hash("not-a-password-" + secrets.token_hex(8))  # equal work for unknown names


class AccountError(ValueError):
    """An account request the server refuses; the message is for the user (zh-TW)."""


class LoginError(AccountError):
    pass


@dataclass(frozen=True)
class TrainerSession:
    token: str
    name: str
    expires_at: datetime


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    trainer: str
    action: str
    detail: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, db: Database | None = None):
        self.db = db or get_database()

    # ------------------------------------------------------------ accounts (server side: CLI)
    def add(self, name: str, password: str) -> None:
        name = check_name(name)
        check_password(password)
        with self.db.begin() as connection:
            if connection.execute(select(trainers.c.id).where(trainers.c.name == name)).first():
                raise AccountError(f"帳號「{name}」已經存在；要改密碼請用 `python -m ui trainer password {name}`。")
            connection.execute(insert(trainers).values(name=name, password_hash=_hasher.hash(password), created_at=now()))
            self._audit(connection, name, "account_add", "")

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        with self.db.begin() as connection:
            row = connection.execute(select(trainers.c.id).where(trainers.c.name == name)).first()
            if row is None:
                raise AccountError(f"沒有帳號「{name}」；新增請用 `python -m ui trainer add {name}`。")
            connection.execute(update(trainers).where(trainers.c.id == row.id).values(password_hash=_hasher.hash(password)))
            connection.execute(delete(trainer_sessions).where(trainer_sessions.c.trainer_id == row.id))
            self._audit(connection, name, "password", "所有登入階段已失效")

    def names(self) -> list[str]:
        with self.db.engine.connect() as connection:
            return [r.name for r in connection.execute(select(trainers.c.name).order_by(trainers.c.name))]

    # ------------------------------------------------------------ sign-in
    def login(self, name: str, password: str, client: str | None = None) -> TrainerSession:
        """A new session, or LoginError: wrong name or password (one message for both), or too many failures.

        Failures are counted per account name and per client (the remote address the web server saw;
        None from the server's terminal) within a window; the limits are in the settings
        (`ADVISOR_LOGIN_*`) and the counts in the database, so every app server shares them."""
        settings = get_settings()
        window = timedelta(minutes=settings.login_window_minutes)
        name = (name or "").strip()[:64]
        client = (client or "").strip()[:MAX_CLIENT_CHARS]
        password = password or ""
        cutoff = now() - window
        with self.db.engine.connect() as connection:
            by_name = connection.execute(
                select(func.count(), func.min(login_failures.c.at)).where(login_failures.c.name == name, login_failures.c.at >= cutoff)
            ).one()
            by_client = (
                connection.execute(
                    select(func.count(), func.min(login_failures.c.at)).where(login_failures.c.client == client, login_failures.c.at >= cutoff)
                ).one()
                if client
                else (0, None)
            )
            account = connection.execute(select(trainers).where(trainers.c.name == name)).first()
        if by_client[0] >= settings.login_max_failures_per_client:
            self.audit(name, "login_blocked", {"reason": "同一來源嘗試次數過多", "client": client})
            raise LoginError(f"這個網路位址登入失敗的次數過多，請 {_minutes_left(by_client[1], window)} 分鐘後再試。")
        if by_name[0] >= settings.login_max_failures_per_account:
            self.audit(name, "login_blocked", {"reason": "同一帳號嘗試次數過多", "client": client})
            raise LoginError(f"登入失敗次數過多，請 {_minutes_left(by_name[1], window)} 分鐘後再試。")
        ok = False
        try:
            ok = _hasher.verify(account.password_hash if account else _DUMMY, password) and account is not None and not account.disabled
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            with self.db.begin() as connection:  # committed before the refusal is raised
                connection.execute(delete(login_failures).where(login_failures.c.at < cutoff))  # rows no limit counts any more
                connection.execute(insert(login_failures).values(name=name, client=client, at=now()))
                self._audit(connection, name, "login_failed", {"client": client} if client else "")
            raise LoginError("帳號或密碼不正確。")
        with self.db.begin() as connection:
            # The account's own failures are forgiven; other names' failures from this client still count.
            connection.execute(delete(login_failures).where(login_failures.c.name == name))
            connection.execute(delete(trainer_sessions).where(trainer_sessions.c.expires_at < now()))
            if _hasher.check_needs_rehash(account.password_hash):
                connection.execute(update(trainers).where(trainers.c.id == account.id).values(password_hash=_hasher.hash(password)))
            token = secrets.token_urlsafe(32)
            expires = now() + timedelta(hours=settings.trainer_session_hours)
            connection.execute(
                insert(trainer_sessions).values(token_hash=_token_hash(token), trainer_id=account.id, created_at=now(), expires_at=expires)
            )
            self._audit(connection, name, "login", {"client": client} if client else "")
        return TrainerSession(token=token, name=name, expires_at=expires)

    def session(self, token: object) -> TrainerSession | None:
        """The signed-in trainer for a token, or None (unknown, expired, or the account disabled)."""
        if not isinstance(token, str) or not token:
            return None
        query = (
            select(trainers.c.name, trainers.c.disabled, trainer_sessions.c.expires_at)
            .join(trainers, trainers.c.id == trainer_sessions.c.trainer_id)
            .where(trainer_sessions.c.token_hash == _token_hash(token))
        )
        with self.db.engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None or row.disabled or row.expires_at <= now():
            return None
        return TrainerSession(token=token, name=row.name, expires_at=row.expires_at)

    def logout(self, token: str) -> None:
        session = self.session(token)
        with self.db.begin() as connection:
            connection.execute(delete(trainer_sessions).where(trainer_sessions.c.token_hash == _token_hash(token)))
            if session:
                self._audit(connection, session.name, "logout", "")

    # ------------------------------------------------------------ audit log
    def audit(self, trainer: str, action: str, detail: dict | str = "") -> None:
        with self.db.begin() as connection:
            self._audit(connection, trainer, action, detail)

    @staticmethod
    def _audit(connection, trainer: str, action: str, detail: dict | str) -> None:
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, sort_keys=True)
        connection.execute(insert(audit_log).values(at=now(), trainer=trainer[:64], action=action, detail=text))

    def audit_rows(self, limit: int = 200) -> list[AuditRow]:
        with self.db.engine.connect() as connection:
            rows = connection.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
            return [AuditRow(at=r.at, trainer=r.trainer, action=r.action, detail=r.detail) for r in rows]


def _minutes_left(oldest: datetime, window: timedelta) -> int:
    """Whole minutes until the oldest counted failure leaves the window (at least 1)."""
    return max(1, int(((oldest + window) - now()).total_seconds() // 60) + 1)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME.fullmatch(name):
        raise AccountError("帳號名稱請用 2–64 個字母、數字、底線、點或連字號。")
    return name


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密碼至少要 {MIN_PASSWORD} 個字元。")
