"""ORM models. Repositories turn them into dataclasses; nothing else touches them.

Every model module is imported here so that Alembic sees all tables on the metadata.
"""

from storage.models.core import Chat, Delivery, Member, Organisation, User

__all__ = ["Chat", "Delivery", "Member", "Organisation", "User"]
