"""How the API shows the organisations working on a contribution."""

from rest_framework import serializers

from partners.joint.models import ContributionParty


class ContributionPartySerializer(serializers.ModelSerializer):
    """Staff read who took part, who added them and when."""

    name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ContributionParty
        fields = ["organisation", "name", "added_by", "added_at"]
        read_only_fields = fields


class ContributionPartyPartnerSerializer(serializers.ModelSerializer):
    """A partner user reads the other organisations' names, nothing else of theirs."""

    name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ContributionParty
        fields = ["name"]
        read_only_fields = fields
