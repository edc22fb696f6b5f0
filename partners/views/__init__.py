"""Staff workspace views of the partners app (organisations, MoUs, support, reports)."""
