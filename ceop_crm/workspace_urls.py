"""The relationship manager's workspace at /: includes each app's staff URLs."""

urlpatterns: list = []
