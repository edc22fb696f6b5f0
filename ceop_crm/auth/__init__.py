"""Sign-in, the second factor, sessions and their limits, sign-in lockout.

Views are Django's auth views (styled) plus the second-factor pages; the
rules are in services and selectors; middleware enforces them on every path.
"""
