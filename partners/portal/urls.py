"""The partner self-service portal under /portal/."""

app_name = "portal"
urlpatterns: list = []
