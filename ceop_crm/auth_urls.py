"""Sign-in, sign-out and password pages (Django's auth views, styled)."""

urlpatterns: list = []
