"""Repositories: take a session, return dataclasses; the caller owns the transaction."""

from storage.repositories.chats import ChatRepo
from storage.repositories.deliveries import DeliveryRepo
from storage.repositories.members import MemberRepo, UserRepo
from storage.repositories.organisations import OrganisationRepo

__all__ = ["ChatRepo", "DeliveryRepo", "MemberRepo", "OrganisationRepo", "UserRepo"]
