"""Django admin: pages, access, rules as form errors, and lists at scale."""
