"""Public pages: approaches from new organisations at /get-involved/."""

app_name = "public"
urlpatterns: list = []
