"""initData as Telegram specifies it for Web Apps: signed, checked, and refused when not."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote

import pytest

from bot.core.webapp_auth import (
    InvalidInitData,
    init_data_for,
    sign_init_data,
    verify_init_data,
)

TOKEN = "123456:ABCdefGHI"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def test_the_hash_is_telegrams_recipe() -> None:
    # Written out from the documentation, independently of the module's helpers.
    fields = {"auth_date": "1795000000", "user": '{"id":7,"first_name":"张三"}', "query_id": "Q"}
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = "auth_date=1795000000\nquery_id=Q\nuser=" + fields["user"]
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert dict(parse_qsl(sign_init_data(fields, TOKEN)))["hash"] == expected


def test_a_valid_string_names_its_user() -> None:
    user = verify_init_data(init_data_for(7, "张三", TOKEN, NOW), TOKEN, NOW)
    assert (user.id, user.full_name, user.auth_date) == (7, "张三", NOW.replace(microsecond=0))


def test_a_day_old_string_is_still_valid_a_second_more_is_not() -> None:
    data = init_data_for(7, "张三", TOKEN, NOW - timedelta(hours=24))
    assert verify_init_data(data, TOKEN, NOW).id == 7
    with pytest.raises(InvalidInitData, match="too old"):
        verify_init_data(data, TOKEN, NOW + timedelta(seconds=1))


def test_a_string_from_the_future_is_refused() -> None:
    data = init_data_for(7, "张三", TOKEN, NOW + timedelta(hours=1))
    with pytest.raises(InvalidInitData):
        verify_init_data(data, TOKEN, NOW)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.replace("%22id%22%3A+7", "%22id%22%3A+8"),  # another user
        lambda d: d.replace("auth_date=", "auth_date=1"),  # another time
        lambda d: d + "&extra=1",  # a field added
        lambda d: d + "&hash=" + "0" * 64,  # the hash twice
        lambda d: d.split("&hash=")[0],  # no hash
        lambda d: "",
        lambda d: d + "&x=" + "a" * 5000,  # too long to bother
        lambda d: "%%%",
    ],
)
def test_tampered_strings_are_refused(change: object) -> None:
    data = init_data_for(7, "张三", TOKEN, NOW)
    assert "%22id%22%3A+7" in data
    with pytest.raises(InvalidInitData):
        verify_init_data(change(data), TOKEN, NOW)  # type: ignore[operator]


def test_another_bots_token_is_refused() -> None:
    with pytest.raises(InvalidInitData, match="hash"):
        verify_init_data(init_data_for(7, "张三", "999:OTHER", NOW), TOKEN, NOW)


@pytest.mark.parametrize("user", ["", "not json", "[1]", '{"id": "7"}', '{"first_name": "x"}'])
def test_a_signed_string_without_a_user_id_is_refused(user: str) -> None:
    data = sign_init_data({"auth_date": str(int(NOW.timestamp())), "user": user}, TOKEN)
    with pytest.raises(InvalidInitData):
        verify_init_data(data, TOKEN, NOW)


def test_percent_encoded_values_are_hashed_decoded() -> None:
    user = json.dumps({"id": 7, "first_name": "A&B=C"})
    data = f"auth_date={int(NOW.timestamp())}&user={quote(user)}"
    fields = dict(parse_qsl(data))
    signed = sign_init_data(fields, TOKEN)
    assert verify_init_data(signed, TOKEN, NOW).first_name == "A&B=C"
