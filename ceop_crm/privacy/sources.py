"""Where the system keeps personal data: the declarations every privacy task reads.

Each app declares its own places (``partners.personal_data``,
``planning.personal_data``); the project-wide ones (users, outgoing mail) are
declared here. Person search, the subject access export, erasure and the
retention schedule all work from this one list, so a new place holding personal
data is added once, and the tests seed one person into every place listed.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db import models

from ceop_crm.models import EmailBounce, OutboundEmail

ERASED = "[erased]"


@dataclass(frozen=True)
class PersonalDataSource:
    """One model holding personal data, and which of its fields do.

    - ``name_fields``/``email_fields``: each holds one person's name or address
      (a JSON list of addresses for outgoing mail);
    - ``full_name``: a (first, last) pair of fields forming one name (users);
    - ``user_fields``: links to a user account: the row concerns that user;
    - ``contact_fields``: links to contacts (a foreign key or many-to-many):
      the row concerns whoever those contacts are (an activity they took part
      in); found through the contact's own name and address;
    - ``other_fields``: further personal fields, cleared on erasure;
    - ``text_fields``: free text that may name the person (searched, exported);
    - ``text_searched``: the rows whose ``text_fields`` are searched, where
      the other rows' texts are made of words that name nobody (None: all);
    - ``whole_row``: the row is about one person, so each of its personal
      fields (and every version of it) goes when that person is erased; when
      False only the field that names them does (an MoU's two signatories);
    - ``erased_name``: what a name field holds once its person is erased;
    - ``delete_on_erasure``: the row is deleted rather than anonymised, for a
      record that exists only for its address (a refusal by the mail server, an
      opt-out): once the address is erased it has no purpose left, and a
      placeholder address would collide with the place's unique constraint.
      Only for ``whole_row`` places without history.
    """

    key: str
    label: str
    model: type[models.Model]
    name_fields: tuple[str, ...] = ()
    email_fields: tuple[str, ...] = ()
    full_name: tuple[str, str] | None = None
    user_fields: tuple[str, ...] = ()
    contact_fields: tuple[str, ...] = ()
    other_fields: tuple[str, ...] = ()
    text_fields: tuple[str, ...] = ()
    text_searched: models.Q | None = None
    organisation: str | None = "organisation"
    whole_row: bool = True
    erased_name: str = ERASED
    delete_on_erasure: bool = False

    def __post_init__(self) -> None:
        if self.delete_on_erasure and (
            not self.whole_row or self.history_model is not None
        ):
            raise ValueError(
                f"{self.key}: only a whole row without history is deleted on erasure."
            )

    @property
    def history_model(self) -> type[models.Model] | None:
        history = getattr(self.model, "history", None)
        return history.model if history is not None else None

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower

    def is_json(self, field: str) -> bool:
        return isinstance(self.model._meta.get_field(field), models.JSONField)


def _project_sources() -> list[PersonalDataSource]:
    return [
        PersonalDataSource(
            key="user",
            label="User account",
            model=get_user_model(),
            email_fields=("email",),
            full_name=("first_name", "last_name"),
            organisation="portal_membership__organisation",
        ),
        PersonalDataSource(
            key="email",
            label="Email sent",
            model=OutboundEmail,
            email_fields=("to",),
            other_fields=("body_text", "body_html", "subject"),
            text_fields=("subject", "body_text"),
            organisation=None,
        ),
        PersonalDataSource(
            key="email_bounce",
            label="Address refused by the mail server",
            model=EmailBounce,
            email_fields=("address",),
            organisation=None,
            delete_on_erasure=True,
        ),
    ]


@cache
def personal_data_sources() -> tuple[PersonalDataSource, ...]:
    """Every place holding personal data, in the order pages and exports list them."""
    from activities.personal_data import personal_data_sources as activities_sources
    from partners.personal_data import personal_data_sources as partners_sources
    from planning.personal_data import personal_data_sources as planning_sources

    return (
        *_project_sources(),
        *partners_sources(),
        *planning_sources(),
        *activities_sources(),
    )


def personal_data_source(key: str) -> PersonalDataSource:
    return next(s for s in personal_data_sources() if s.key == key)
