"""One row of an import, applied through the services the workspace uses.

``import_row_apply`` runs inside the caller's transaction (one per row): any
rule a service enforces refuses the row with that rule's message, and the
caller rolls back everything the row had written. Re-applying a row that is
already in the system changes nothing and reports it as unchanged.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from ceop_crm.exceptions import ApplicationError
from partners import services as partner_services
from partners.dedupe.normalise import name_key, website_domain
from partners.imports.fields import _squash
from partners.imports.matching import OrganisationLookup
from partners.models import Contact, DueDiligence, MoU, Organisation
from partners.selectors import staff_user_list
from planning.services import review_record_past
from priorities.models import Principle
from tiers import services as tier_services
from tiers.selectors import association_current, association_on, tier_level_list

IMPORTED_EVIDENCE = "Recorded as met in the imported file {file}."
NOT_RECORDED = "Not recorded (imported from {file})."
ORGANISATION_FIELDS = ("external_ref", "sector", "website", "country", "description")


@dataclass
class RowContext:
    """What every row of one import looks up, read once."""

    actor: AbstractBaseUser
    file_name: str
    today: dt.date = field(default_factory=timezone.localdate)
    staff_by_email: dict = field(default_factory=dict)
    tiers: dict = field(default_factory=dict)
    principle_ids: list[int] = field(default_factory=list)
    # Which organisation a row names; a chunk of rows reads it together.
    lookup: OrganisationLookup = field(default_factory=OrganisationLookup)

    @classmethod
    def load(cls, *, actor: AbstractBaseUser, file_name: str) -> "RowContext":
        context = cls(actor=actor, file_name=file_name)
        for user in staff_user_list():
            if user.email:
                context.staff_by_email.setdefault(user.email.casefold(), user)
        for tier in tier_level_list():
            context.tiers[_squash(tier.name)] = tier
            context.tiers[_squash(tier.code)] = tier
            if not tier.is_association:
                context.tiers["supplier"] = tier
                context.tiers["contractor"] = tier
        context.principle_ids = list(
            Principle.objects.order_by("order").values_list("pk", flat=True)
        )
        return context

    def staff(self, email: str, what: str):
        if not email:
            return None
        user = self.staff_by_email.get(email.casefold())
        if user is None:
            raise ApplicationError(
                {what: [f"No relationship manager has the email {email}."]}
            )
        return user


@dataclass
class RowResult:
    outcome: str  # "created", "updated" or "skipped"
    organisation: Organisation
    notes: list[str] = field(default_factory=list)


def organisation_match(
    *,
    external_ref: str,
    name: str,
    website: str,
    lookup: OrganisationLookup | None = None,
) -> Organisation | None:
    """The organisation a row describes: by external reference (following merges),
    else by normalised name where the website domains do not disagree."""
    lookup = lookup or OrganisationLookup()
    if external_ref:
        found = lookup.by_ref(external_ref)
        if found is not None:
            return found
    if not name:
        return None
    found = lookup.by_key(name_key(name))
    if found is None:
        return None
    if external_ref and found.external_ref and found.external_ref != external_ref:
        raise ApplicationError(
            {
                "external_ref": [
                    f"“{found.name}” already exists with the reference "
                    f"{found.external_ref}, not {external_ref}."
                ]
            }
        )
    domain = website_domain(website)
    if domain and found.domain and domain != found.domain:
        raise ApplicationError(
            {
                "website": [
                    f"“{found.name}” already exists with the website {found.domain}: "
                    "is this the same organisation?"
                ]
            }
        )
    return found


def organisation_given(data: dict, context: RowContext) -> dict:
    """The organisation's fields the row gives, its owner and deputy found by email."""
    owner = context.staff(data.get("owner_email", ""), "owner_email")
    deputy = context.staff(data.get("deputy_email", ""), "deputy_email")
    given = {f: data[f] for f in ORGANISATION_FIELDS if data.get(f)}
    if owner is not None:
        given["owner"] = owner
    if deputy is not None:
        given["deputy"] = deputy
    return given


def organisation_new_fields(data: dict, given: dict) -> dict:
    """The fields of the new organisation a row describes (by the services or in
    bulk, partners.imports.bulk): a new one needs its sector."""
    if not data.get("sector"):
        raise ApplicationError({"sector": ["Give the sector of a new organisation."]})
    return {"name": data["name"], **given}


def _organisation(data: dict, context: RowContext) -> tuple[Organisation, str]:
    given = organisation_given(data, context)
    organisation = organisation_match(
        external_ref=data.get("external_ref", ""),
        name=data.get("name", ""),
        website=data.get("website", ""),
        lookup=context.lookup,
    )
    if organisation is None:
        organisation = partner_services.organisation_create(
            actor=context.actor, **organisation_new_fields(data, given)
        )
        organisation._created_by_import = True
        return organisation, "created"
    changes = {f: v for f, v in given.items() if getattr(organisation, f) != v}
    if (
        data.get("external_ref")
        and organisation.external_ref == data["external_ref"]
        and name_key(data["name"]) != organisation.name_key
    ):
        # Found by its reference under another name: the file renames it.
        changes["name"] = data["name"]
    if "website" in changes and website_domain(changes["website"]) == (
        organisation.domain
    ):
        changes.pop("website")
    if not changes:
        return organisation, "skipped"
    partner_services.organisation_update(
        organisation=organisation, actor=context.actor, **changes
    )
    return organisation, "updated"


def contact_wanted(data: dict) -> dict:
    return {
        "name": data.get("contact_name", ""),
        "email": data.get("contact_email", ""),
        "job_title": data.get("contact_job_title", ""),
        "phone": data.get("contact_phone", ""),
    }


def contact_new(organisation: Organisation, wanted: dict, *, is_primary: bool):
    """A new contact of the organisation (by the services or in bulk): it needs
    a name."""
    if not wanted["name"]:
        raise ApplicationError({"contact_name": ["Give the contact's name."]})
    return Contact(organisation=organisation, is_primary=is_primary, **wanted)


def _contact(organisation: Organisation, data: dict, context: RowContext) -> bool:
    name, email = data.get("contact_name", ""), data.get("contact_email", "")
    if not name and not email:
        return False
    # An organisation this row created has no contacts yet: no need to ask.
    created = getattr(organisation, "_created_by_import", False)
    contacts = [] if created else list(organisation.contacts.all())
    contact = next(
        (c for c in contacts if email and c.email.casefold() == email),
        None,
    ) or next(
        (
            c
            for c in contacts
            if name and not email and c.name.casefold() == name.casefold()
        ),
        None,
    )
    wanted = contact_wanted(data)
    if contact is None:
        contact = contact_new(
            organisation, wanted, is_primary=not any(c.is_primary for c in contacts)
        )
    else:
        wanted = {f: v for f, v in wanted.items() if v and getattr(contact, f) != v}
        if not wanted:
            return False
        for name_, value in wanted.items():
            setattr(contact, name_, value)
    partner_services.contact_save(contact=contact, actor=context.actor)
    return True


def _due_diligence(organisation: Organisation, data: dict, context: RowContext) -> bool:
    outcome = data.get("dd_outcome", "")
    if not outcome:
        return False
    expires_on = data.get("dd_expires_on")
    assessed_on = data.get("dd_assessed_on") or data.get("level_start") or context.today
    if organisation.due_diligence.filter(
        outcome=outcome, assessed_on=assessed_on, expires_on=expires_on
    ).exists():
        return False
    approved = outcome == DueDiligence.Outcome.APPROVED
    evidence = IMPORTED_EVIDENCE.format(file=context.file_name)
    due_diligence = partner_services.due_diligence_record(
        organisation=organisation,
        assessed_on=assessed_on,
        child_protection=(
            DueDiligence.ChildProtection.IN_PLACE
            if approved
            else DueDiligence.ChildProtection.MISSING
        ),
        brand_risk=DueDiligence.BrandRisk.LOW
        if approved
        else DueDiligence.BrandRisk.MEDIUM,
        findings=dict.fromkeys(
            context.principle_ids, (approved, evidence if approved else "")
        ),
        notes=f"Imported from {context.file_name}.",
        actor=context.actor,
    )
    if outcome != DueDiligence.Outcome.PENDING:
        partner_services.due_diligence_decide(
            due_diligence=due_diligence,
            outcome=outcome,
            expires_on=expires_on,
            actor=context.actor,
        )
    return True


def _mou(organisation: Organisation, data: dict, context: RowContext) -> bool:
    status = data.get("mou_status", "")
    if not status:
        return False
    start, end, signed_on = (
        data.get("mou_start"),
        data.get("mou_end"),
        data.get("mou_signed_on"),
    )
    existing = organisation.mous.filter(start=start, end=end)
    if status in (MoU.Status.DRAFT, MoU.Status.NEGOTIATION):
        if existing.filter(status=status).exists():
            return False
    elif existing.filter(signed_on=signed_on).exists():
        return False
    signatories = {
        "ceop_signatory": data.get("mou_ceop_signatory", ""),
        "partner_signatory": data.get("mou_partner_signatory", ""),
    }
    signed = status in (MoU.Status.SIGNED, MoU.Status.EXPIRED)
    mou = partner_services.mou_create(
        organisation=organisation,
        actor=context.actor,
        status=MoU.Status.NEGOTIATION if signed else status,
        start=start,
        end=end,
        **signatories,
    )
    if signed:
        missing = [
            label
            for label, value in (
                ("signed", signed_on),
                ("start", start),
                ("end", end),
            )
            if value is None
        ]
        if missing:
            raise ApplicationError(
                {
                    "mou_status": [
                        f"A {status} MoU needs its {', '.join(missing)} date"
                        + ("s." if len(missing) > 1 else ".")
                    ]
                }
            )
        mou = partner_services.mou_sign(
            mou=mou, signed_on=signed_on, start=start, end=end, actor=context.actor
        )
    if status == MoU.Status.EXPIRED:
        partner_services.mou_expire(mou=mou, actor=context.actor, today=context.today)
    return True


def _association(organisation: Organisation, data: dict, context: RowContext) -> bool:
    level = data.get("level", "")
    if not level:
        return False
    tier = context.tiers.get(_squash(level))
    if tier is None:
        raise ApplicationError({"level": [f"“{level}” is not a level of association."]})
    start = data.get("level_start")
    if start is None:
        raise ApplicationError({"level_start": ["Give the date the level started."]})
    current = association_current(organisation=organisation)
    if current is not None:
        if current.tier_id == tier.pk and current.start == start:
            return False
        raise ApplicationError(
            {
                "level": [
                    f"{organisation.name} is already a {current.tier.name} from "
                    f"{current.start:%d/%m/%Y}: a change of level is a tier move, "
                    "approved in the workspace."
                ]
            }
        )
    tier_services.association_start(
        organisation=organisation, tier=tier, start=start, actor=context.actor
    )
    return True


def _review(organisation: Organisation, data: dict, context: RowContext) -> bool:
    completed_on = data.get("review_completed_on")
    if completed_on is None:
        return False
    association = association_on(organisation=organisation, on=completed_on)
    if association is None:
        raise ApplicationError(
            {
                "review_completed_on": [
                    "The organisation had no level of association on the review date."
                ]
            }
        )
    not_recorded = NOT_RECORDED.format(file=context.file_name)
    before = association.reviews.filter(
        completed_on=completed_on, status="completed"
    ).exists()
    review_record_past(
        association=association,
        completed_on=completed_on,
        actor=context.actor,
        progress=data.get("review_notes", "") or not_recorded,
        benefits_to_ceop=not_recorded,
        benefits_to_partner=not_recorded,
        recommendation=data.get("review_recommendation", ""),
    )
    return not before


def possible_duplicates_message(twins: list) -> str:
    """What a created row says of the organisations it looks like."""
    if not twins:
        return ""
    return "Possible duplicate of " + "; ".join(t.organisation.name for t in twins)


def import_row_apply(*, data: dict, context: RowContext) -> RowResult:
    """Create or update the organisation a row describes and what it records."""
    organisation, outcome = _organisation(data, context)
    changed = [
        step(organisation, data, context)
        for step in (_contact, _due_diligence, _mou, _association, _review)
    ]
    if outcome == "skipped" and any(changed):
        outcome = "updated"
    return RowResult(outcome=outcome, organisation=organisation)
