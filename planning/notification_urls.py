"""In-app notifications and private calendar feeds."""

urlpatterns: list = []
