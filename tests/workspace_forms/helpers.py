"""Helpers of the workspace form tests: a signed-in client, a UK date, the
messages shown."""

import datetime as dt

from django.test import Client

from tests.clients import VerifiedClient


def _client(user) -> Client:
    client = VerifiedClient()
    client.force_login(user)
    return client


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
