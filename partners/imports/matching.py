"""Finding the organisation a row names: by its external reference (following
merges) or by its normalised name.

``OrganisationLookup`` asks the database each time (the preview, one row at a
time). ``ChunkLookup`` reads what a chunk of rows names in three queries
before the rows run, and answers from that; whatever a row has touched, or
tried to, it forgets, so the next row naming it asks the database again and
sees what the row left (or nothing, if the row was rolled back).
"""

from partners.dedupe.models import OrganisationMerge
from partners.dedupe.normalise import name_key
from partners.models import Organisation

_UNREAD = object()


def _follow_merges(found: Organisation | None) -> Organisation | None:
    while found is not None and found.merged_into_id is not None:
        found = found.merged_into
    return found


class OrganisationLookup:
    """Lookups answered by the database."""

    def by_ref(self, external_ref: str) -> Organisation | None:
        """The organisation with this reference, or the one it was merged into."""
        found = Organisation.all_objects.filter(external_ref=external_ref).first()
        if found is None:
            merge = (
                OrganisationMerge.objects.filter(
                    merged_fields__external_ref=external_ref
                )
                .select_related("target")
                .first()
            )
            found = merge.target if merge else None
        return _follow_merges(found)

    def by_key(self, key: str) -> Organisation | None:
        """The organisation in use with this normalised name."""
        return Organisation.objects.filter(name_key=key).first()

    def forget(self, *, external_ref: str, name: str, organisation=None) -> None:
        """Nothing is kept."""


class ChunkLookup(OrganisationLookup):
    """Lookups of one chunk of rows, read together before the rows run."""

    def __init__(self, rows: list[dict]):
        refs = {d["external_ref"] for d in rows if d.get("external_ref")}
        keys = {name_key(d["name"]) for d in rows if d.get("name")}
        self.refs: dict[str, Organisation | None] = dict.fromkeys(refs)
        self.keys: dict[str, Organisation | None] = dict.fromkeys(keys)
        if refs:
            for found in Organisation.all_objects.filter(external_ref__in=refs):
                self.refs[found.external_ref] = found
            for merge in OrganisationMerge.objects.filter(
                merged_fields__external_ref__in=sorted(refs)
            ).select_related("target"):
                ref = merge.merged_fields.get("external_ref")
                if self.refs.get(ref) is None:
                    self.refs[ref] = merge.target
            for ref, found in self.refs.items():
                if found is not None and found.merged_into_id is not None:
                    self.refs[ref] = _follow_merges(found)
        if keys:
            for found in Organisation.objects.filter(name_key__in=keys):
                self.keys[found.name_key] = found

    def by_ref(self, external_ref: str) -> Organisation | None:
        found = self.refs.get(external_ref, _UNREAD)
        return super().by_ref(external_ref) if found is _UNREAD else found

    def by_key(self, key: str) -> Organisation | None:
        found = self.keys.get(key, _UNREAD)
        return super().by_key(key) if found is _UNREAD else found

    def forget(self, *, external_ref: str, name: str, organisation=None) -> None:
        """Forget what a row named and what it found or made: the row may have
        changed it (or changed it in memory and then been rolled back)."""
        touched = {id(organisation)} if organisation is not None else set()
        for table, key in ((self.refs, external_ref), (self.keys, name_key(name))):
            found = table.pop(key, None) if key else None
            if found is not None:
                touched.add(id(found))
        if touched:
            for table in (self.refs, self.keys):
                for key in [k for k, v in table.items() if id(v) in touched]:
                    del table[key]
