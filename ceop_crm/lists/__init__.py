"""Lists people work with: saved views (filters, sort, columns) per person, one
of them their default for each list. The lists themselves live with their
app (the task list in ``activities.lists``)."""
