"""Role checks shared by every app's API. Visibility itself is decided by each model's `visible_to`."""

from django.utils.translation import gettext_lazy as _l
from rest_framework import permissions

from accounts.models import Role


class _HasRole(permissions.BasePermission):
    role: str = ""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role == self.role)


class IsCoordinator(_HasRole):
    role = Role.COORDINATOR
    message = _l("Only coordinators may do this.")


class IsVolunteer(_HasRole):
    role = Role.VOLUNTEER
    message = _l("Only volunteers may do this.")


class IsMentee(_HasRole):
    role = Role.MENTEE
    message = _l("Only mentees may do this.")


class IsOwner(permissions.BasePermission):
    """The object belongs to the caller (`obj.user_id`); seeing it is not enough to change it."""

    message = _l("Only the owner may change this.")

    def has_object_permission(self, request, view, obj) -> bool:
        return obj.user_id == request.user.id


class IsCoordinatorOfObject(permissions.BasePermission):
    """The caller coordinates the organisation the object belongs to (`obj.organisation_id`)."""

    message = _l("Only a coordinator of this organisation may do this.")

    def has_object_permission(self, request, view, obj) -> bool:
        user = request.user
        return user.role == Role.COORDINATOR and user.organisation_id == obj.organisation_id
