from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from common.services import model_update
from mentees.models import Mentee
from scheduling.models import Slot, SlotBooking, SlotSignup
from scheduling.services.errors import Overlapping, SafeguardingRefusal, SchedulingError, SlotFull
from volunteers.models import Volunteer


@transaction.atomic
def slot_create(
    *, organisation: Organisation, created_by: User, host: Volunteer | None = None, languages=(), skills=(), **fields
) -> Slot:
    slot = Slot.objects.create(organisation=organisation, created_by=created_by, host=host, **fields)
    slot.languages.set(languages)
    slot.skills.set(skills)
    return slot


@transaction.atomic
def slot_update(*, slot: Slot, languages=None, skills=None, **fields) -> Slot:
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.signups.count() > fields.get("volunteers_needed", slot.volunteers_needed):
        raise SchedulingError(_("More volunteers are already signed up than that."), field="volunteers_needed")
    if slot.bookings.count() > fields.get("mentee_places", slot.mentee_places):
        raise SchedulingError(_("More mentees have already booked than that."), field="mentee_places")
    model_update(instance=slot, data=fields)
    if languages is not None:
        slot.languages.set(languages)
    if skills is not None:
        slot.skills.set(skills)
    return slot


@transaction.atomic
def slot_signup_create(*, slot_id: int, volunteer: Volunteer) -> SlotSignup:
    # Lock the volunteer, then the slot (always this order): the volunteer lock serialises their own
    # sign-ups (no two overlapping slots), the slot lock serialises the race for its last place.
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)  # fresh: vetting may have changed
    slot = Slot.objects.select_for_update().get(pk=slot_id)
    if slot.start <= timezone.now():
        raise SchedulingError(_("This slot has already started."))
    if slot.signups.filter(volunteer=volunteer).exists():
        raise SchedulingError(_("You are already signed up for this slot."))
    if slot.signups.count() >= slot.volunteers_needed:
        raise SlotFull()
    if not volunteer.is_vetted and slot.bookings.filter(mentee__in=Mentee.objects.minors()).exists():
        raise SafeguardingRefusal(_("A minor takes part in this slot: only vetted volunteers can sign up."))
    clash = (
        SlotSignup.objects.filter(volunteer=volunteer, slot__start__lt=slot.end, slot__end__gt=slot.start)
        .select_related("slot")
        .first()
    )
    if clash is not None:
        raise Overlapping(
            _("You are already signed up for “%(topic)s”, which overlaps this slot.") % {"topic": clash.slot.topic}
        )
    return SlotSignup.objects.create(slot=slot, volunteer=volunteer)


def slot_signup_delete(*, slot: Slot, volunteer: Volunteer) -> bool:
    deleted, _details = SlotSignup.objects.filter(slot=slot, volunteer=volunteer).delete()
    return bool(deleted)


@transaction.atomic
def slot_booking_create(*, slot_id: int, mentee: Mentee) -> SlotBooking:
    mentee = Mentee.objects.select_for_update().select_related("user").get(pk=mentee.pk)
    slot = Slot.objects.select_for_update().get(pk=slot_id)
    if slot.start <= timezone.now():
        raise SchedulingError(_("This slot has already started."))
    if not mentee.is_active:
        raise SchedulingError(_("Your profile is not active yet."))
    if slot.host_id is not None and not slot.host.pairings.live().filter(mentee=mentee).exists():
        raise SchedulingError(_("This one-to-one slot is only for the volunteer's own mentees."))
    if slot.bookings.filter(mentee=mentee).exists():
        raise SchedulingError(_("You have already booked a place in this slot."))
    if slot.bookings.count() >= slot.mentee_places:
        raise SlotFull()
    if mentee.is_minor and _has_unvetted_volunteer(slot):
        raise SafeguardingRefusal(_("A volunteer in this slot is not vetted yet, so it is not open to minors."))
    clash = SlotBooking.objects.filter(mentee=mentee, slot__start__lt=slot.end, slot__end__gt=slot.start).first()
    if clash is not None:
        raise Overlapping(_("You already have a place in another slot at that time."))
    return SlotBooking.objects.create(slot=slot, mentee=mentee)


def _has_unvetted_volunteer(slot: Slot) -> bool:
    volunteers = [signup.volunteer for signup in slot.signups.select_related("volunteer")]
    if slot.host is not None:
        volunteers.append(slot.host)
    return any(not volunteer.is_vetted for volunteer in volunteers)


def slot_booking_delete(*, slot: Slot, mentee: Mentee) -> bool:
    deleted, _details = SlotBooking.objects.filter(slot=slot, mentee=mentee).delete()
    return bool(deleted)
