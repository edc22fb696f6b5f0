"""The base of every output serializer."""

from django.db import models
from rest_framework import serializers


class OutputSerializer(serializers.ModelSerializer):
    """Read-only representation. Optional URL and email fields are stored as ""
    when empty, so they are described as plain strings, not `uri`/`email`."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: serializers.CharField,
        models.EmailField: serializers.CharField,
    }
