"""Accounts: registering, signing in, tokens (rotation, revocation, tampering), passwords and resets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from core.auth import tokens
from core.auth.models import LoginThrottle, User
from core.events import Event
from tests.factories import PASSWORD, access_token, make_user

REGISTER = """mutation($input: AccountRegisterInput!) {
  accountRegister(input: $input) { user { email fullName } errors { field code message } } }"""
LOGIN = """mutation($email: String!, $password: String!) {
  tokenCreate(input: { email: $email, password: $password }) {
    token refreshToken user { email } errors { field code message } } }"""
REFRESH = """mutation($t: String!) { tokenRefresh(refreshToken: $t) { token refreshToken errors { code } } }"""
ME = "{ me { email fullName isPlatformAdmin staffMemberships { brandSlug role } } }"


async def login(gql, email: str, password: str = PASSWORD) -> dict:
    return (await gql(LOGIN, {"email": email, "password": password}))["tokenCreate"]


async def test_register_sign_in_and_ask_who_i_am(gql):
    data = await gql(REGISTER, {"input": {"email": "Siti@Example.ID", "password": PASSWORD, "fullName": "Siti"}})
    assert data["accountRegister"] == {"user": {"email": "siti@example.id", "fullName": "Siti"}, "errors": []}
    pair = await login(gql, "siti@example.id")
    assert pair["errors"] == [] and pair["token"] and pair["refreshToken"]
    me = await gql(ME, token=pair["token"])
    assert me["me"] == {
        "email": "siti@example.id",
        "fullName": "Siti",
        "isPlatformAdmin": False,
        "staffMemberships": [],
    }
    assert (await gql(ME))["me"] is None


@pytest.mark.parametrize(
    ("email", "password", "field", "code"),
    [
        ("not-an-email", PASSWORD, "email", "INVALID_EMAIL"),
        ("a@b", PASSWORD, "email", "INVALID_EMAIL"),
        ("new@example.id", "short", "password", "PASSWORD_TOO_SHORT"),
        ("new@example.id", "password123", "password", "PASSWORD_TOO_COMMON"),
        ("new@example.id", "1234567890123", "password", "PASSWORD_TOO_COMMON"),
        ("budiman@example.id", "budiman-2026!", "password", "PASSWORD_TOO_SIMILAR"),
        ("taken@example.id", PASSWORD, "email", "EMAIL_TAKEN"),
        ("TAKEN@example.id", PASSWORD, "email", "EMAIL_TAKEN"),
    ],
)
async def test_bad_registrations_are_user_errors_and_write_nothing(gql, email, password, field, code):
    await make_user("taken@example.id")
    data = await gql(REGISTER, {"input": {"email": email, "password": password}})
    assert data["accountRegister"]["user"] is None
    [error] = data["accountRegister"]["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert await User.all().count() == 1
    assert not await Event.filter(type="account.registered").exists()


async def test_wrong_password_and_unknown_account_look_the_same(gql):
    await make_user("siti@example.id")
    wrong = await login(gql, "siti@example.id", "not-the-password")
    unknown = await login(gql, "nobody@example.id", "not-the-password")
    assert (
        wrong["errors"]
        == unknown["errors"]
        == [{"field": "email", "code": "INVALID_CREDENTIALS", "message": "The e-mail or password is not right."}]
    )
    assert wrong["token"] is None


async def test_repeated_failures_slow_down_then_lock(gql):
    await make_user("siti@example.id")
    for _ in range(3):
        assert (await login(gql, "siti@example.id", "wrong-password-1"))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    # the fourth try, even with the right password, must wait
    assert (await login(gql, "siti@example.id"))["errors"][0]["code"] == "LOGIN_THROTTLED"
    # keep failing (pretending each wait, at most 64 s here, has passed) until the account locks; failures
    # further apart than the lock lasts (15 minutes) would be forgotten instead
    for _ in range(7):
        await LoginThrottle.all().update(last_failure_at=datetime.now(UTC) - timedelta(minutes=2))
        await login(gql, "siti@example.id", "wrong-password-1")
    locked = await login(gql, "siti@example.id")
    assert locked["errors"][0]["code"] == "LOGIN_LOCKED" and locked["token"] is None
    await LoginThrottle.all().update(locked_until=datetime.now(UTC) - timedelta(seconds=1))
    assert (await login(gql, "siti@example.id"))["token"]


async def test_refresh_rotates_and_a_replayed_refresh_token_revokes_the_family(gql):
    await make_user("siti@example.id")
    first = await login(gql, "siti@example.id")
    second = (await gql(REFRESH, {"t": first["refreshToken"]}))["tokenRefresh"]
    assert second["errors"] == [] and second["refreshToken"] != first["refreshToken"]
    # the spent token is refused …
    replay = (await gql(REFRESH, {"t": first["refreshToken"]}))["tokenRefresh"]
    assert replay["errors"] == [{"code": "INVALID_TOKEN"}] and replay["token"] is None
    # … and its replay revoked the whole family, so the thief's or owner's newer token fails too
    assert (await gql(REFRESH, {"t": second["refreshToken"]}))["tokenRefresh"]["errors"] == [{"code": "INVALID_TOKEN"}]


async def test_token_revoke_signs_out_the_device(gql):
    await make_user("siti@example.id")
    pair = await login(gql, "siti@example.id")
    revoke = "mutation($t: String!) { tokenRevoke(refreshToken: $t) { errors { code } } }"
    assert (await gql(revoke, {"t": pair["refreshToken"]}))["tokenRevoke"]["errors"] == []
    assert (await gql(REFRESH, {"t": pair["refreshToken"]}))["tokenRefresh"]["errors"] == [{"code": "INVALID_TOKEN"}]


def forged(user_id: int, *, key: str = tokens.DEVELOPMENT_KEY, minutes: int = 5, kind: str = "access") -> str:
    token, _ = tokens.issue(key, user_id=user_id, kind=kind, version=1, lifetime=timedelta(minutes=minutes))
    return token


async def test_expired_tampered_wrongly_signed_and_misused_tokens_are_refused(gql):
    user = await make_user("siti@example.id")
    good = access_token(user)
    header, _, signature = good.split(".")
    claims = jwt.decode(good, options={"verify_signature": False})
    claims["sub"] = "999"
    tampered_payload = jwt.encode(claims, "k" * 32, algorithm="HS256").split(".")[1]
    bad_tokens = {
        "expired": forged(user.id, minutes=-1),
        "tampered": f"{header}.{tampered_payload}.{signature}",
        "wrong signature": forged(user.id, key="another-key-that-is-long-enough-0123456789"),
        "refresh as access": forged(user.id, kind="refresh"),
        "garbage": "not.a.token",
        "unknown app token": "lini_app_doesnotexist",
    }
    for name, token in bad_tokens.items():
        error = await gql.error(ME, token=token)
        assert error["extensions"]["code"] == "UNAUTHENTICATED", name
    assert (await gql(ME, token=good))["me"]["email"] == "siti@example.id"
    error = await gql.error(ME, headers={"Authorization": "Basic abc"})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_password_change_revokes_every_earlier_token(gql):
    await make_user("siti@example.id")
    old = await login(gql, "siti@example.id")
    change = """mutation($input: PasswordChangeInput!) { passwordChange(input: $input) {
                  token refreshToken errors { field code } } }"""
    wrong = await gql(
        change, {"input": {"oldPassword": "nope-nope-nope", "newPassword": "batik-parang-77"}}, token=old["token"]
    )
    assert wrong["passwordChange"]["errors"] == [{"field": "oldPassword", "code": "INVALID_PASSWORD"}]
    done = await gql(change, {"input": {"oldPassword": PASSWORD, "newPassword": "batik-parang-77"}}, token=old["token"])
    assert done["passwordChange"]["errors"] == []
    assert (await gql.error(ME, token=old["token"]))["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await gql(REFRESH, {"t": old["refreshToken"]}))["tokenRefresh"]["errors"] == [{"code": "INVALID_TOKEN"}]
    assert (await gql(ME, token=done["passwordChange"]["token"]))["me"]["email"] == "siti@example.id"
    assert (await login(gql, "siti@example.id", "batik-parang-77"))["token"]


async def test_password_reset_by_single_use_expiring_token(gql):
    await make_user("siti@example.id")
    request = "mutation($e: String!) { passwordResetRequest(input: { email: $e }) { errors { code } } }"
    reset = """mutation($t: String!, $p: String!) { passwordReset(input: { token: $t, password: $p }) {
                 user { email } errors { field code } } }"""
    assert (await gql(request, {"e": "nobody@example.id"}))["passwordResetRequest"]["errors"] == []
    assert not await Event.filter(type="account.password_reset_requested").exists()
    assert (await gql(request, {"e": "siti@example.id"}))["passwordResetRequest"]["errors"] == []
    event = await Event.get(type="account.password_reset_requested")
    token = event.payload["token"]
    weak = await gql(reset, {"t": token, "p": "123"})
    assert weak["passwordReset"]["errors"] == [{"field": "password", "code": "PASSWORD_TOO_SHORT"}]
    done = await gql(reset, {"t": token, "p": "songket-emas-9"})
    assert done["passwordReset"] == {"user": {"email": "siti@example.id"}, "errors": []}
    again = await gql(reset, {"t": token, "p": "songket-emas-10"})
    assert again["passwordReset"]["errors"] == [{"field": "token", "code": "INVALID_TOKEN"}]
    assert (await login(gql, "siti@example.id", "songket-emas-9"))["token"]


async def test_account_update_validates_language(gql):
    user = await make_user("siti@example.id")
    update = """mutation($input: AccountUpdateInput!) { accountUpdate(input: $input) {
                  user { fullName language } errors { field code } } }"""
    ok = await gql(update, {"input": {"fullName": "Siti Aminah", "language": "ms"}}, token=access_token(user))
    assert ok["accountUpdate"] == {"user": {"fullName": "Siti Aminah", "language": "ms"}, "errors": []}
    bad = await gql(update, {"input": {"language": "xx"}}, token=access_token(user))
    assert bad["accountUpdate"]["errors"] == [{"field": "language", "code": "INVALID_LANGUAGE"}]
    assert (await User.get(id=user.id)).language == "ms"
    anonymous = await gql.error(update, {"input": {"fullName": "x"}})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def test_concurrent_registrations_with_one_email_leave_one_account(gql):
    payload = {"input": {"email": "kembar@example.id", "password": PASSWORD}}
    results = await asyncio.gather(*(gql(REGISTER, payload) for _ in range(4)))
    outcomes = sorted(len(r["accountRegister"]["errors"]) for r in results)
    assert outcomes == [0, 1, 1, 1]
    assert {e["code"] for r in results for e in r["accountRegister"]["errors"]} == {"EMAIL_TAKEN"}
    assert await User.filter(email="kembar@example.id").count() == 1
