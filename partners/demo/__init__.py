"""Demo data for development and demonstrations (seed_demo, create_demo_users)."""

from partners.demo.builder import demo_seed

__all__ = ["demo_seed"]
