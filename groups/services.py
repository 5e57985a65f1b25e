from django.db import transaction

from .models import Profile


@transaction.atomic
def profile_initialise(*, name: str, neighbourhood: str = "") -> Profile:
    """Create the group's profile row in the current schema (right after cloning)."""
    profile, _created = Profile.objects.get_or_create(
        id=1, defaults={"name": name, "neighbourhood": neighbourhood}
    )
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, **fields) -> Profile:
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile
