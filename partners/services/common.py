"""What every write of this app shares: the actor type and saving with history."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from ceop_crm.exceptions import full_clean

Actor = AbstractBaseUser | None


def _save(obj: Any, actor: Actor, **kwargs: Any) -> Any:
    obj._history_user = actor
    full_clean(obj)
    obj.save(**kwargs)
    return obj


def _apply(obj: Any, data: dict[str, Any]) -> None:
    for field, value in data.items():
        setattr(obj, field, value)


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)
